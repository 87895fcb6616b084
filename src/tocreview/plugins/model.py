"""What plugins register: variants, effects and metrics (pydantic data, no callables stored
in serialisable models)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tocreview.model.citation import Citation
from tocreview.model.result import Draw

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Variant(BaseModel):
    """A named alternative: the policy options and parameters it sets, the constraints it
    switches on, and the guiding principles it trades away (reported, never hidden)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="stable key used in scenario keys, e.g. 'marrakech'")
    option: str = Field(description="the open question it answers, e.g. 'civil_society'")
    title: str
    citation: Citation
    policy: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(default_factory=dict)
    constraints: tuple[str, ...] = ()
    principles_traded: tuple[str, ...] = ()

    @field_validator("key")
    @classmethod
    def _key_shape(cls, key: str) -> str:
        if not _KEY.match(key):
            raise ValueError(f"variant key {key!r}: use lower-case letters, digits and '-'")
        return key

    def touches(self) -> set[str]:
        """What this variant sets: 'policy.<field>', 'parameters.<field>', 'constraint.<id>'."""
        return ({f"policy.{k}" for k in self.policy}
                | {f"parameters.{k}" for k in self.parameters}
                | {f"constraint.{c}" for c in self.constraints})


class Effect(BaseModel):
    """One observable consequence of the options in force, with its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    option: str
    item: str
    value: str
    citation: Citation


@dataclass(frozen=True)
class Metric:
    """A named measure of a draw. It reports counts, never an order or score of States."""

    name: str
    description: str
    compute: Callable[[Draw], dict[str, int]]
    source: str = "built-in"


class RateChange(BaseModel):
    """A change a plugin makes to one cost rate (``cost_rates`` hook), with its source."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    name: str = Field(description="a rate of CostRates, or pages.KIND / secretariat_hours.ROLE")
    value: float
    citation: Citation
