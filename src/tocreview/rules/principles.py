"""The guiding principles of the Mechanism as checkable properties, each with its citation.

The checks themselves run over draws and mechanisms (see :mod:`tocreview.testing`); this
module states each principle and the pure predicates they use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from tocreview.model.citation import Citation, Status

PRINCIPLES_CITATION = Citation(
    document="COP resolution 5/5, as recalled in the 2017 meeting report",
    status=Status.SECONDARY, provision="2017 meeting report, para. 9",
    note="transparent, efficient, non-intrusive, inclusive and impartial; no ranking of any "
    "kind; non-adversarial and non-punitive; non-political and non-selective",
)


class Principle(StrEnum):
    NON_SELECTIVE = "non-selective"
    INCLUSIVE = "inclusive"
    IMPARTIAL = "impartial"
    NO_RANKING = "no ranking"
    TRANSPARENT = "transparent"


@dataclass(frozen=True)
class PrincipleRule:
    principle: Principle
    property: str
    citation: Citation


PRINCIPLES: dict[Principle, PrincipleRule] = {
    Principle.NON_SELECTIVE: PrincipleRule(
        Principle.NON_SELECTIVE,
        "every State under review gets the full prescribed review: for each instrument it is "
        "party to, the prescribed reviewers; none is singled out or skipped",
        PRINCIPLES_CITATION),
    Principle.INCLUSIVE: PrincipleRule(
        Principle.INCLUSIVE,
        "every State party is reviewed once per cycle, unless an option says otherwise, and "
        "then that is reported", PRINCIPLES_CITATION),
    Principle.IMPARTIAL: PrincipleRule(
        Principle.IMPARTIAL,
        "who a State is matters only through the facts the rules use: relabelling States "
        "permutes the outcome distribution and changes nothing else",
        PRINCIPLES_CITATION),
    Principle.NO_RANKING: PrincipleRule(
        Principle.NO_RANKING,
        "no result orders, scores or rates States", PRINCIPLES_CITATION.model_copy(
            update={"note": "'it shall not produce any form of ranking'"})),
    Principle.TRANSPARENT: PrincipleRule(
        Principle.TRANSPARENT,
        "every choice of a draw is traced to the rules that bounded it and to the seed, and "
        "can be re-derived", PRINCIPLES_CITATION),
}

_RANKING_WORDS = re.compile(r"(^|_)(rank|ranking|score|rating|grade|position|league)(_|$)",
                            re.IGNORECASE)
_PARTY_ID = re.compile(r"^[A-Z]{3}$")


def ranking_fields(value: Any, path: str = "result") -> Iterator[str]:
    """Where a result orders or scores States: a field named like a ranking, or a mapping
    from party ids to numbers. Walks models, mappings and sequences."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if _RANKING_WORDS.search(name):
                yield f"{path}.{name}"
            yield from ranking_fields(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, dict):
        keys = list(value)
        if keys and all(isinstance(k, str) and _PARTY_ID.match(k) for k in keys) and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()):
            yield f"{path} (a number per State: {', '.join(keys[:3])}...)"
        for k, v in value.items():
            if isinstance(k, str) and _RANKING_WORDS.search(k):
                yield f"{path}[{k!r}]"
            yield from ranking_fields(v, f"{path}[{k!r}]")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value[:50]):
            yield from ranking_fields(item, f"{path}[{i}]")


_TOKEN = re.compile(r"[A-Z]{3}")


def per_state_signals(value: Any, ids: frozenset[str], path: str = "result") -> Iterator[str]:
    """Where a result a plugin or option produces speaks of single States by number or order,
    whatever its keys are called: a key naming a State (``"top FRA"``, ``"FRA_reviews"``)
    with a number, a text that lists States out of alphabetical order (an order is a
    ranking), or a list of States not sorted. Aggregates by group or category pass."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name == "trace":  # the order lots fell in: the record of a draw, not a verdict
                continue
            yield from per_state_signals(getattr(value, name), ids, f"{path}.{name}")
    elif isinstance(value, dict):
        for k, v in value.items():
            named = [t for t in _TOKEN.findall(str(k)) if t in ids]
            if named and isinstance(v, int | float) and not isinstance(v, bool):
                yield f"{path}[{k!r}] (a number for {named[0]})"
            yield from per_state_signals(v, ids, f"{path}[{k!r}]")
    elif isinstance(value, list | tuple):
        states = [v for v in value if isinstance(v, str) and v in ids]
        if len(states) >= 2 and len(states) == len(value) and states != sorted(states):
            yield f"{path} (States in an order: {', '.join(states[:3])}...)"
        for i, item in enumerate(value[:200]):
            yield from per_state_signals(item, ids, f"{path}[{i}]")
    elif isinstance(value, str):
        named = [t for t in _TOKEN.findall(value) if t in ids]
        if len(named) >= 2 and named != sorted(named):
            yield f"{path} (States in an order: {', '.join(named[:3])}...)"
