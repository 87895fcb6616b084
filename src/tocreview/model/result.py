"""What a draw produces: pairings, a trace of every choice, and a receipt."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_validator

from tocreview.errors import NoApplicableRule
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import PartyId

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Side(StrEnum):
    """Which of the two reviewer places a reviewer fills."""

    SAME_GROUP = "same_group"
    OTHER_GROUP = "other_group"


class Role(StrEnum):
    """Drawn in the main draw, or in a supplementary draw for missing instruments."""

    MAIN = "main"
    SUPPLEMENTARY = "supplementary"


class Pairing(BaseModel):
    """One reviewing State reviewing one State under review for one instrument."""

    model_config = _FROZEN

    under_review: PartyId
    reviewer: PartyId
    instrument: Instrument
    side: Side | None = None
    role: Role | None = None

    @classmethod
    def trusted(cls, under_review: str, reviewer: str, instrument: Instrument,
                side: Side | None, role: Role | None) -> Pairing:
        """A pairing from parts the engine has already validated, without validation: the
        record ``model_construct`` makes, at about a third of its cost (a simulation lists
        millions). tests/test_kernel.py holds the two equal, field by field."""
        made = cls.__new__(cls)
        _set(made, "__dict__", {"under_review": under_review, "reviewer": reviewer,
                                "instrument": instrument, "side": side, "role": role})
        _set(made, "__pydantic_fields_set__", set(_PAIRING_FIELDS))
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made


_set = object.__setattr__  # a frozen model refuses ordinary assignment
_PAIRING_FIELDS = ("under_review", "reviewer", "instrument", "side", "role")


class TraceEntry(BaseModel):
    """One choice by lot: from which pool, bounded by which rules, with which stream.

    A list of candidates that many lots draw from (every State of one regional group, say)
    is written once, as an entry of its own (action ``pool``); a lot drawn from it names
    that entry's step (``pool_from``) and the few members it leaves out (``pool_less``: the
    State itself, States it reviewed before), so a trace grows with the number of lots, not
    lots times candidates. :meth:`Draw.pool_of` gives the candidates of any entry."""

    model_config = _FROZEN

    step: int
    action: str = Field(
        description="'order', 'draw', 'redraw', 'start group', 'note', or 'pool' (a list of "
        "candidates later entries draw from)")
    state_under_review: PartyId | None = None
    side: Side | None = None
    role: Role | None = None
    instruments: tuple[Instrument, ...] = ()
    pool: tuple[str, ...] = ()
    pool_from: int | None = Field(
        default=None, ge=1, description="the step of the 'pool' entry whose list this lot "
        "draws from, less pool_less (None: the lot draws from this entry's own pool)")
    pool_less: tuple[str, ...] = Field(
        default=(), description="members of the list at pool_from this lot does not draw "
        "from, e.g. the State under review itself")
    set_aside: tuple[str, ...] = Field(
        default=(), description="drawn but set aside: no valid completion of the draw with them"
    )
    chosen: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    stream: str = ""
    note: str = ""


class DrawRequest(BaseModel):
    """Everything a draw depends on besides the roster and the parameters."""

    model_config = _FROZEN

    group: int = Field(ge=1)
    states_under_review: tuple[PartyId, ...]
    seed: str
    method: str
    as_of: date | None = None
    history: tuple[Pairing, ...] = ()
    excluded: frozenset[PartyId] = frozenset()
    deferring: frozenset[PartyId] = frozenset()

    @field_serializer("excluded", "deferring")
    def _sorted(self, value: frozenset[str]) -> list[str]:
        # Sets iterate in a per-process order; hashes and files need one order.
        return sorted(value)


class Redraw(BaseModel):
    """A State under review's request to replace a drawn reviewer."""

    model_config = _FROZEN

    state_under_review: PartyId
    rejected: PartyId
    exceptional: bool = False


class ValueInForce(BaseModel):
    """One parameter a draw used: its value (JSON), and the status and source of that value
    (the variant, override or baseline that set it)."""

    model_config = _FROZEN

    name: str
    value: str
    status: Status
    citation: Citation


class RuleUsed(BaseModel):
    """One rule a draw used, with its status (the weakest of its citations)."""

    model_config = _FROZEN

    id: str
    status: Status


class Receipt(BaseModel):
    """What an auditor needs to re-derive the draw and to see it was not altered, and what
    the draw rests on.

    No wall-clock time is inside, so the same draw always gives the same hashes.
    """

    model_config = _FROZEN

    package_version: str
    method: str
    seed: str
    scenario: str = "untoc-2018"
    inputs_hash: str = Field(description="SHA-256 of roster, parameters and request")
    result_hash: str = Field(description="SHA-256 of the pairings and the trace")
    redraws: tuple[Redraw, ...] = ()
    as_of: date | None = Field(default=None, description="the date party status was taken "
                               "on; None: all known facts")
    history_given: bool = Field(default=False, description="whether earlier draws' pairings "
                                "were given (no mutual reviews spans them only then)")
    in_force: tuple[ValueInForce, ...] = Field(
        default=(), description="the parameters the draw used, with their values and sources")
    rules: tuple[RuleUsed, ...] = Field(default=(), description="the rules the draw used")
    roster_caveats: tuple[str, ...] = Field(
        default=(), description="roster facts the draw rests on that are unconfirmed or past "
        "the data's validity")
    warnings: tuple[str, ...] = ()
    provisional: tuple[str, ...] = Field(
        default=(), description="parameters and rules the draw used that are not adopted text"
    )


class Draw(BaseModel):
    """The result of a drawing of lots for one start group."""

    model_config = _FROZEN

    request: DrawRequest
    pairings: tuple[Pairing, ...]
    trace: tuple[TraceEntry, ...]
    receipt: Receipt
    data_valid_for: str = ""
    citations: dict[str, tuple[Citation, ...]] = Field(
        default_factory=dict, description="rule id -> every citation of the rules the trace "
        "names"
    )

    @model_validator(mode="after")
    def _pools_listed(self) -> Draw:
        # Steps number the entries 1, 2, ... in order, so a step is found by its position.
        for position, entry in enumerate(self.trace, start=1):
            if entry.step != position:
                raise ValueError(f"trace entry {position} is numbered step {entry.step}")
            origin = entry.pool_from
            if origin is not None and not (
                    origin < position and self.trace[origin - 1].action == "pool"):
                raise ValueError(f"trace step {position}: pool_from {origin} is not an "
                                 "earlier 'pool' entry")
        return self

    def pool_of(self, entry: TraceEntry) -> tuple[str, ...]:
        """The candidates ``entry``'s lot was drawn from, in order: its own pool, or the list
        at its ``pool_from`` step less its ``pool_less`` members."""
        if entry.pool_from is None:
            return entry.pool
        less = set(entry.pool_less)
        return tuple(m for m in self.trace[entry.pool_from - 1].pool if m not in less)

    def reviewers_of(self, state_under_review: str) -> dict[Instrument, list[str]]:
        """For one State under review: instrument -> reviewing States (same group first)."""
        out: dict[Instrument, list[str]] = {}
        sides = [Side.SAME_GROUP, Side.OTHER_GROUP, None]  # the order the docstring promises
        for p in sorted(self.pairings, key=lambda p: (p.instrument, sides.index(p.side))):
            if p.under_review == state_under_review:
                out.setdefault(p.instrument, []).append(p.reviewer)
        return out


def canonical_hash(payload: object) -> str:
    """SHA-256 of canonical JSON (sorted keys, no spaces): equal content, equal hash."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Violation(BaseModel):
    """One breach of one rule, with the rule's id and citation and the parties involved."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    citations: tuple[Citation, ...]
    parties: tuple[str, ...]
    instrument: Instrument | None = None
    message: str


class StartGroups(BaseModel):
    """The start groups (group 1 first) and the trace of how they were drawn."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    groups: tuple[tuple[PartyId, ...], ...]
    trace: tuple[TraceEntry, ...]

    def group(self, number: int) -> tuple[str, ...]:
        """Members of start group ``number`` (1-based)."""
        if not 1 <= number <= len(self.groups):
            raise NoApplicableRule(
                f"there is no start group {number}: groups are numbered 1 to {len(self.groups)}"
            )
        return self.groups[number - 1]
