"""Development status: least developed countries, landlocked developing countries and small
island developing States, as dated facts with their source (a party may leave a category)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator

from tocreview.inputs import iso_date
from tocreview.model.citation import Citation


class DevelopmentCategory(StrEnum):
    """The United Nations lists of countries with special needs the simulations count."""

    LDC = "ldc"
    """Least developed countries (UN Committee for Development Policy list)."""
    LLDC = "lldc"
    """Landlocked developing countries."""
    SIDS = "sids"
    """Small island developing States."""

    @property
    def full_title(self) -> str:
        return _TITLES[self]


_TITLES = {
    DevelopmentCategory.LDC: "least developed countries",
    DevelopmentCategory.LLDC: "landlocked developing countries",
    DevelopmentCategory.SIDS: "small island developing States",
}


class DevelopmentStatus(BaseModel):
    """One category a party is in, from ``since`` (None: throughout the roster's period) until
    ``until`` (None: still in it), with the source of the fact."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: DevelopmentCategory
    since: date | None = None
    until: date | None = None
    source: Citation

    @model_validator(mode="before")
    @classmethod
    def _strict_dates(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in ("since", "until"):
                if data.get(key) is not None:
                    data = {**data, key: iso_date(data[key])}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> DevelopmentStatus:
        if self.since and self.until and self.until <= self.since:
            raise ValueError(f"{self.category.value}: 'until' {self.until} is not after "
                             f"'since' {self.since}")
        return self

    def holds_on(self, when: date | None) -> bool:
        """Whether the party is in the category on ``when`` (None: on the roster's date, read
        as 'now': only a category it has not left counts)."""
        if when is None:
            return self.until is None
        return (self.since is None or self.since <= when) and (
            self.until is None or when < self.until)
