"""The data of every JSON output, as models with a schema (``tocreview schema NAME``).

Most outputs are models that exist anyway (a roster, a draw, a timeline); the few built for the
command line (the rules catalogue, the scenario overview, a check, the access table) are defined
here, so an application can validate what it reads.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tocreview.comparison import Comparison
from tocreview.errors import UnknownNameError
from tocreview.mechanism import AccessLine, LateEntry
from tocreview.model.citation import Citation, Status
from tocreview.model.envelope import Envelope
from tocreview.model.result import Draw, Receipt, StartGroups, Violation
from tocreview.model.roster import Roster
from tocreview.plugins.model import Effect, Variant
from tocreview.rules.costs import Costs
from tocreview.rules.languages import LanguagePlan
from tocreview.rules.timeline import Timeline
from tocreview.simulate import Simulation

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class RuleEntry(BaseModel):
    model_config = _FROZEN

    id: str
    kind: str
    status: Status = Field(description="the weakest of the rule's citations")
    statement: str
    citations: tuple[Citation, ...]


class ParameterEntry(BaseModel):
    model_config = _FROZEN

    value: Any = Field(description="the value in force, as JSON")
    citation: Citation = Field(description="the source of the value in force")


class RulesView(BaseModel):
    """The catalogue: every rule, and every parameter with the value in force."""

    model_config = _FROZEN

    scenario: str
    rules: tuple[RuleEntry, ...]
    parameters: dict[str, ParameterEntry]


class BaselineEntry(BaseModel):
    model_config = _FROZEN

    title: str
    citation: Citation
    caveats: tuple[str, ...]


class ScenariosView(BaseModel):
    """Baselines, variants, and what the options of one scenario do."""

    model_config = _FROZEN

    scenario: str
    baselines: dict[str, BaselineEntry]
    variants: dict[str, Variant]
    effects: tuple[Effect, ...]
    in_force: dict[str, Citation] = Field(description="parameter or option -> source of the "
                                          "value in force")
    principles_traded: tuple[str, ...]


class CheckView(BaseModel):
    """A check of pairings made elsewhere: how many were read, and every violation."""

    model_config = _FROZEN

    checked: int = Field(description="pairings read (exact duplicates counted once)")
    violations: tuple[Violation, ...]


class AccessView(BaseModel):
    """Who may see which document at which stage."""

    model_config = _FROZEN

    consent: bool = Field(description="whether the State under review consents to publication")
    lines: tuple[AccessLine, ...]


class TimelineView(BaseModel):
    """A review's timeline; with ``late_entry`` when asked for a State that joined late."""

    model_config = _FROZEN

    late_entry: LateEntry | None = None
    timeline: Timeline | None = Field(default=None, description="None when the State enters "
                                      "only in the next cycle")


DATA: dict[str, type[BaseModel]] = {
    "roster": Roster,
    "start-groups": StartGroups,
    "draw": Draw,
    "check": CheckView,
    "rules": RulesView,
    "scenarios": ScenariosView,
    "timeline": TimelineView,
    "language": LanguagePlan,
    "access": AccessView,
    "costs": Costs,
    "simulate": Simulation,
    "compare": Comparison,
}
"""Output kind (the command that writes it) -> the model of its ``data``."""

DOCUMENTS: dict[str, type[BaseModel]] = {"receipt": Receipt}
"""Files written as they are, not in an envelope (``draw --receipt``)."""


def schema(name: str) -> str:
    """The JSON schema of an output (in its envelope) or of a document, as JSON text."""
    if name in DOCUMENTS:
        model: type[BaseModel] = DOCUMENTS[name]
    elif name in DATA:
        model = Envelope[DATA[name]]  # type: ignore[valid-type]
    else:
        raise UnknownNameError("schema", name, [*DATA, *DOCUMENTS])
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = f"tocreview {name}"
    return json.dumps(document, indent=2, ensure_ascii=False)
