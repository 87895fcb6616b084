"""Rules as plain typed functions, each carrying a stable id, a kind and its citations.

A rule function is decorated with :func:`rule`, which attaches a :class:`Rule` record to it
and changes nothing else: the function stays an ordinary function a reader can hold against
its paragraph. A :class:`RuleBook` is an immutable catalogue of such records.

Where several rules could answer one question, :func:`decide` applies them as default logic:
a rule that another applicable rule overrides drops out; if the rest disagree the answer is
:class:`~tocreview.errors.RuleConflict`, and if none applies it is
:class:`~tocreview.errors.NoApplicableRule`. Nothing is picked silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from tocreview.errors import NoApplicableRule, RuleConflict, UnknownNameError
from tocreview.model.citation import Citation, Status


class RuleKind(StrEnum):
    """What a rule does."""

    HARD_CONSTRAINT = "hard constraint"
    """Must hold in every valid result."""
    PREFERENCE = "preference"
    """Should hold where possible."""
    DERIVATION = "derivation"
    """Derives a fact the other rules use (e.g. the regional group a party counts in)."""


@dataclass(frozen=True)
class Rule:
    """A rule's record: id, kind, a one-line statement, citations, what it overrides, and
    the parameters it reads (so a receipt can list exactly the values a result used)."""

    id: str
    kind: RuleKind
    statement: str
    citations: tuple[Citation, ...]
    overrides: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    function: Callable[..., Any] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.citations:
            raise ValueError(f"rule {self.id} has no citation")

    @property
    def status(self) -> Status:
        """The weakest status among its citations: a rule is only as sure as its least
        certain part."""
        return Status.weakest([c.status for c in self.citations])


F = TypeVar("F", bound=Callable[..., Any])


def rule(
    rule_id: str,
    kind: RuleKind,
    statement: str,
    *citations: Citation,
    overrides: Sequence[str] = (),
    parameters: Sequence[str] = (),
) -> Callable[[F], F]:
    """Attach a :class:`Rule` record to a function (as ``function.rule``). ``parameters``
    names the fields of :class:`~tocreview.rules.parameters.Parameters` the rule reads."""

    def attach(function: F) -> F:
        record = Rule(rule_id, kind, statement, tuple(citations), tuple(overrides),
                      tuple(parameters), function)
        function.rule = record  # type: ignore[attr-defined]
        return function

    return attach


def rule_of(function: Callable[..., Any]) -> Rule:
    """The record attached to a rule function."""
    record = getattr(function, "rule", None)
    if not isinstance(record, Rule):
        raise TypeError(f"{getattr(function, '__name__', function)!r} is not a rule function")
    return record


class RuleBook:
    """An immutable catalogue of rules, looked up by id."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        by_id: dict[str, Rule] = {}
        for r in rules:
            if r.id in by_id:
                raise ValueError(f"two rules share the id {r.id!r}")
            by_id[r.id] = r
        self._by_id = dict(sorted(by_id.items()))

    @classmethod
    def from_modules(cls, *modules: Any) -> RuleBook:
        """Collect every rule function defined in the given modules."""
        found = []
        for module in modules:
            for value in vars(module).values():
                record = getattr(value, "rule", None)
                if isinstance(record, Rule) and getattr(value, "__module__", None) == (
                    module.__name__
                ):
                    found.append(record)
        return cls(found)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; an error naming close matches otherwise."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise UnknownNameError("rule", rule_id, list(self._by_id)) from None

    def merged(self, other: Iterable[Rule]) -> RuleBook:
        """A new book with more rules (an id used twice is an error)."""
        return RuleBook([*self, *other])


T = TypeVar("T")


def decide(question: str, answers: Sequence[tuple[Rule, T]]) -> tuple[Rule, T]:
    """Combine the answers of the rules that apply to ``question`` (see the module docstring)."""
    if not answers:
        raise NoApplicableRule(f"no rule applies: {question}")
    overridden = {o for r, _ in answers for o in r.overrides}
    standing = [(r, v) for r, v in answers if r.id not in overridden]
    values = {repr(v) for _, v in standing}
    if len(values) > 1:
        listed = "; ".join(f"{r.id} says {v!r}" for r, v in standing)
        raise RuleConflict(f"rules disagree on {question}: {listed}")
    return standing[0]
