"""Parties: States and regional economic integration organizations, with their facts."""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tocreview.errors import UnknownNameError
from tocreview.inputs import iso_date
from tocreview.model.citation import Citation
from tocreview.model.development import DevelopmentCategory, DevelopmentStatus
from tocreview.model.instrument import Instrument

_PARTY_ID = re.compile(r"^[A-Z]{3}$")
PARTY_ID_PATTERN = r"^[A-Z]{3}$"

IsoDate = Annotated[date, BeforeValidator(iso_date)]
"""A date that, given as text, is exactly ``YYYY-MM-DD`` (never a number or a week date)."""


def _validate_party_id(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "party_id_type", "a party id must be a string, got {got}", {"got": type(value).__name__}
        )
    if not _PARTY_ID.match(value):
        hint = " (use upper case)" if _PARTY_ID.match(value.upper()) else ""
        raise PydanticCustomError(
            "party_id",
            "{value!r} is not a party id: expected an ISO 3166 alpha-3 code such as 'FRA', "
            "or 'EUU' for the European Union{hint}",
            {"value": value, "value!r": repr(value), "hint": hint},
        )
    return value


PartyId = Annotated[
    str,
    BeforeValidator(_validate_party_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PARTY_ID_PATTERN,
            "description": "ISO 3166-1 alpha-3 code, or EUU for the European Union",
        }
    ),
]
"""A party's identifier: an ISO 3166-1 alpha-3 code, or ``EUU`` for the European Union."""


class RegionalGroup(StrEnum):
    """The five United Nations regional groups."""

    AFRICAN = "african"
    ASIA_PACIFIC = "asia_pacific"
    EASTERN_EUROPEAN = "eastern_european"
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean"
    WEOG = "weog"

    @property
    def full_title(self) -> str:
        """The group's name as the UN writes it."""
        return _GROUP_TITLES[self]

    @classmethod
    def parse(cls, value: str | RegionalGroup) -> RegionalGroup:
        """Accept a member, its value, its name or the usual abbreviations (EEG, GRULAC)."""
        if isinstance(value, RegionalGroup):
            return value
        text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if text in (member.value, member.name.lower()) or text in _GROUP_ALIASES.get(
                member, ()
            ):
                return member
        raise UnknownNameError("regional group", str(value), [m.value for m in cls])


_GROUP_TITLES = {
    RegionalGroup.AFRICAN: "African States",
    RegionalGroup.ASIA_PACIFIC: "Asia-Pacific States",
    RegionalGroup.EASTERN_EUROPEAN: "Eastern European States",
    RegionalGroup.LATIN_AMERICAN_CARIBBEAN: "Latin American and Caribbean States",
    RegionalGroup.WEOG: "Western European and other States",
}
_GROUP_ALIASES = {
    RegionalGroup.EASTERN_EUROPEAN: ("eeg",),
    RegionalGroup.LATIN_AMERICAN_CARIBBEAN: ("grulac",),
    RegionalGroup.ASIA_PACIFIC: ("apg", "asia_pacific_states"),
}


class GroupStatus(StrEnum):
    """How a party belongs to its regional group."""

    MEMBER = "member"
    OBSERVER = "observer"
    """Attends the group as an observer (United States, Holy See)."""
    NONE = "none"
    """In no regional group."""


class PartyKind(StrEnum):
    """A State, or a regional economic integration organization (Convention art. 2 (j))."""

    STATE = "state"
    REIO = "reio"


class ConsentType(StrEnum):
    """How a party expressed its consent to be bound."""

    RATIFICATION = "ratification"
    ACCESSION = "accession"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    SUCCESSION = "succession"


class DatePrecision(StrEnum):
    """How precisely the date of deposit is known."""

    DAY = "day"
    MONTH = "month"
    UNKNOWN = "unknown"


class Language(StrEnum):
    """The six official languages of the United Nations."""

    ARABIC = "ar"
    CHINESE = "zh"
    ENGLISH = "en"
    FRENCH = "fr"
    RUSSIAN = "ru"
    SPANISH = "es"


class Consent(BaseModel):
    """A party's consent to be bound by one instrument.

    ``deposited`` is the date of deposit of the instrument of consent. Where only the month is
    known (``precision=month``) it holds the first day of that month. Where the date is unknown,
    ``party_by`` may hold a date by which a source says the party had joined.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    instrument: Instrument
    deposited: IsoDate | None = None
    precision: DatePrecision = DatePrecision.DAY
    party_by: IsoDate | None = None
    consent_type: ConsentType | None = None
    signed: IsoDate | None = None
    source: Citation

    @model_validator(mode="after")
    def _dates_agree(self) -> Consent:
        if self.precision is DatePrecision.UNKNOWN and self.deposited is not None:
            raise ValueError("precision 'unknown' cannot have a deposit date")
        if self.precision is not DatePrecision.UNKNOWN and self.deposited is None:
            raise ValueError(f"precision {self.precision.value!r} needs a deposit date")
        if self.precision is DatePrecision.MONTH and self.deposited and self.deposited.day != 1:
            raise ValueError("a month-precision date is stored as the first day of the month")
        if self.signed and self.deposited and self.precision is DatePrecision.DAY and (
                self.signed > self.deposited):
            raise ValueError(f"signed on {self.signed} after the consent was deposited on "
                             f"{self.deposited}")
        return self

    def is_party_on(self, as_of: date | None) -> bool | None:
        """Whether the deposit had happened by ``as_of``; ``None`` when the data cannot say."""
        if as_of is None:
            return True
        if self.precision is DatePrecision.DAY:
            assert self.deposited is not None
            return self.deposited <= as_of
        if self.precision is DatePrecision.MONTH:
            assert self.deposited is not None
            last = self.deposited.replace(
                day=calendar.monthrange(self.deposited.year, self.deposited.month)[1]
            )
            if last <= as_of:
                return True
            return False if as_of < self.deposited else None
        if self.party_by is not None and self.party_by <= as_of:
            return True
        return None


class Unresolved(BaseModel):
    """An instrument for which the sources do not settle whether the party is bound."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    instrument: Instrument
    not_party_before: IsoDate | None = Field(
        default=None, description="a date before which a source shows it was not yet a party"
    )
    source: Citation


class Party(BaseModel):
    """A party to the Convention or a Protocol (or a UN Member that may become one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: PartyId
    name: str = Field(min_length=1)
    other_names: tuple[str, ...] = ()
    kind: PartyKind = PartyKind.STATE
    un_member: bool = True
    regional_group: RegionalGroup | None = Field(
        default=None, description="the group used by the rules; None for no group"
    )
    group_status: GroupStatus = GroupStatus.MEMBER
    also_participates_in: tuple[RegionalGroup, ...] = ()
    group_source: Citation
    consents: tuple[Consent, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    members: tuple[PartyId, ...] = Field(default=(), description="member States of a REIO")
    members_source: Citation | None = None
    languages: tuple[Language, ...] | None = Field(
        default=None, min_length=1,
        description="official UN languages it works in; None when unknown",
    )
    languages_source: Citation | None = Field(
        default=None, description="where the languages come from, and how sure that is")
    development: tuple[DevelopmentStatus, ...] = Field(
        default=(), description="least developed, landlocked developing, small island "
        "developing: dated, with sources")

    @field_validator("consents", "unresolved", mode="after")
    @classmethod
    def _in_instrument_order(cls, items: tuple[Any, ...]) -> tuple[Any, ...]:
        # One canonical order, so that equal facts give equal parties whatever the input order.
        order = list(Instrument)
        return tuple(sorted(items, key=lambda c: order.index(c.instrument)))

    @model_validator(mode="after")
    def _consistent(self) -> Party:
        seen = [c.instrument for c in self.consents] + [u.instrument for u in self.unresolved]
        if len(seen) != len(set(seen)):
            raise ValueError(f"{self.id}: an instrument is listed twice in consents/unresolved")
        if (self.regional_group is None) != (self.group_status is GroupStatus.NONE):
            raise ValueError(f"{self.id}: group_status 'none' goes with no regional group")
        if self.members and self.kind is not PartyKind.REIO:
            raise ValueError(f"{self.id}: only a REIO has member States")
        if self.members and self.members_source is None:
            raise ValueError(f"{self.id}: the list of member States needs a members_source")
        if self.languages and self.languages_source is None:
            raise ValueError(f"{self.id}: the languages need a languages_source")
        return self

    def consent(self, instrument: Instrument) -> Consent | None:
        """The consent to ``instrument``, if any."""
        for c in self.consents:
            if c.instrument is instrument:
                return c
        return None

    def is_party_to(self, instrument: Instrument | str, as_of: date | None = None) -> bool | None:
        """True, False, or None when the sources do not settle it for that date."""
        inst = Instrument.parse(instrument)
        found = self.consent(inst)
        if found is not None:
            return found.is_party_on(as_of)
        for u in self.unresolved:
            if u.instrument is inst:
                if as_of is not None and u.not_party_before and as_of < u.not_party_before:
                    return False
                return None
        return False

    def development_status(self, as_of: date | None = None) -> frozenset[DevelopmentCategory]:
        """The development categories it is in on ``as_of``."""
        return frozenset(d.category for d in self.development if d.holds_on(as_of))

    def instruments(self, as_of: date | None = None) -> frozenset[Instrument]:
        """The instruments it is known to be party to on ``as_of``."""
        return frozenset(i for i in Instrument if self.is_party_to(i, as_of) is True)
