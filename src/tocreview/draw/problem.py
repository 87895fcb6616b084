"""The draw as a problem: the reviewer places to fill and the pools the rules leave for them.

A *place* is one State under review and one side (same regional group, other group). A place
is filled by a *choice*: a main reviewer, party to the Convention, and, when the main reviewer
is not party to every instrument the State is reviewed for, a supplementary reviewer from
the same side, party to all the missing instruments. The static pools below apply every rule
that does not depend on other choices of the same draw; :class:`Fill` tracks the rules that
do (no mutual reviews within the draw, reviews per reviewer, the cap on reviewers).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

from tocreview.draw.model import DrawRequest, Side
from tocreview.errors import NoApplicableRule
from tocreview.model.instrument import Instrument
from tocreview.model.party import Party, RegionalGroup
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import rule_of

Place = tuple[str, Side]
Choice = tuple[str, str | None]  # (main reviewer, supplementary reviewer or None)

STATIC_RULES = tuple(
    rule_of(f).id
    for f in (sel.reviewer_is_party, sel.not_self, sel.not_mutual, sel.is_available,
              sel.may_serve_as_reviewer)
)
SIDE_RULE = {
    Side.SAME_GROUP: rule_of(sel.in_same_group).id,
    Side.OTHER_GROUP: rule_of(sel.in_other_group).id,
}


@dataclass
class Problem:
    """The places of one draw and their static pools (built once, read many times)."""

    roster: Roster
    parameters: Parameters
    request: DrawRequest
    history_pairs: frozenset[tuple[str, str]]
    group: dict[str, RegionalGroup]
    groups_of: dict[str, frozenset[RegionalGroup]]
    instruments: dict[str, frozenset[Instrument]]
    places: list[Place]
    main_pool: dict[Place, tuple[str, ...]]
    _supp_cache: dict[tuple[Place, frozenset[Instrument]], tuple[str, ...]] = field(
        default_factory=dict
    )
    _weights: dict[Place, tuple[list[int], int]] = field(default_factory=dict)
    _missing: dict[tuple[str, str], frozenset[Instrument]] = field(default_factory=dict)

    @property
    def states_under_review(self) -> tuple[str, ...]:
        return self.request.states_under_review

    def missing(self, place: Place, main: str) -> frozenset[Instrument]:
        key = (place[0], main)
        found = self._missing.get(key)
        if found is None:
            found = sel.missing_instruments(self.instruments[place[0]], self.instruments[main])
            self._missing[key] = found
        return found

    def supplementary_pool(self, place: Place, missing: frozenset[Instrument]) -> tuple[str, ...]:
        key = (place, missing)
        if key not in self._supp_cache:
            self._supp_cache[key] = tuple(
                r for r in self.main_pool[place] if missing <= self.instruments[r]
            )
        return self._supp_cache[key]

    def choices_count(self, place: Place, main: str) -> int:
        """How many (main, supplementary) choices a main reviewer opens (0 if none is valid)."""
        missing = self.missing(place, main)
        return 1 if not missing else len(self.supplementary_pool(place, missing))

    def open_mains(self, place: Place) -> list[str]:
        """The main pool less the reviewers for whom no supplementary reviewer exists."""
        cumulative, _ = self.weights(place)
        previous = 0
        out = []
        for r, c in zip(self.main_pool[place], cumulative, strict=True):
            if c > previous:
                out.append(r)
            previous = c
        return out

    def weights(self, place: Place) -> tuple[list[int], int]:
        """Cumulative choice counts over the main pool, and their total."""
        if place not in self._weights:
            pool = self.main_pool[place]
            held, wanted = self.instruments, self.instruments[place[0]]
            gaps = [wanted - held[r] for r in pool]  # missing_instruments, inlined: hot loop
            per_gap = {g: len(self.supplementary_pool(place, g)) for g in set(gaps) if g}
            counts = [per_gap[g] if g else 1 for g in gaps]
            cumulative = list(accumulate(counts))
            self._weights[place] = (cumulative, cumulative[-1] if cumulative else 0)
        return self._weights[place]

    def choice_at(self, place: Place, index: int) -> Choice:
        """The index-th (main, supplementary) choice in the fixed order of the pools."""
        cumulative, _ = self.weights(place)
        i = bisect_right(cumulative, index)
        main = self.main_pool[place][i]
        offset = index - (cumulative[i - 1] if i else 0)
        missing = self.missing(place, main)
        return (main, None) if not missing else (
            main, self.supplementary_pool(place, missing)[offset])

    @cached_property
    def by_party(self) -> dict[str, Party]:
        return {p.id: p for p in self.roster.parties}


def build_problem(roster: Roster, parameters: Parameters, request: DrawRequest) -> Problem:
    as_of = request.as_of
    group: dict[str, RegionalGroup] = {}
    groups_of: dict[str, frozenset[RegionalGroup]] = {}
    instruments: dict[str, frozenset[Instrument]] = {}
    for party in roster.parties:
        counted = sel.counting_group(party, parameters)
        if counted is not None:
            group[party.id] = counted
        extra = party.also_participates_in if parameters.dual_group_counts_as_same else ()
        groups_of[party.id] = frozenset([counted, *extra]) if counted else frozenset()
        instruments[party.id] = party.instruments(as_of)
    for sur in request.states_under_review:
        roster.get(sur)  # an unknown id is an error naming close matches
        if sur not in group:
            raise NoApplicableRule(
                f"{sur} is in no regional group and the parameter no_group_mapping gives none "
                "for it, so no rule says which reviewers are 'same group'; add it to "
                "no_group_mapping"
            )
        if Instrument.CONVENTION not in instruments[sur]:
            raise NoApplicableRule(f"{sur} is not a party to the Convention on {as_of}")
    history = frozenset((p.under_review, p.reviewer) for p in request.history)
    candidates = [
        p.id for p in roster.parties
        if sel.may_serve_as_reviewer(p, parameters)
        and sel.is_available(p.id, request.excluded, request.deferring, parameters)
        and sel.reviewer_is_party(p, Instrument.CONVENTION, as_of)
    ]
    buckets: dict[tuple[Side, RegionalGroup], list[str]] = {}
    for g in RegionalGroup:
        buckets[(Side.SAME_GROUP, g)] = [
            c for c in candidates if sel.in_same_group(groups_of[c], g)
        ]
        buckets[(Side.OTHER_GROUP, g)] = [
            c for c in candidates if sel.in_other_group(groups_of[c], g)
        ]
    places: list[Place] = []
    main_pool: dict[Place, tuple[str, ...]] = {}
    for sur in sorted(request.states_under_review):
        for side in Side:
            place = (sur, side)
            places.append(place)
            main_pool[place] = tuple(
                r for r in buckets[(side, group[sur])]
                if sel.not_self(r, sur) and sel.not_mutual(r, sur, history)
            )
    return Problem(roster, parameters, request, history, group, groups_of, instruments,
                   places, main_pool)


class Fill:
    """A partial or complete filling of the places, with the counters the dynamic rules need."""

    def __init__(self, problem: Problem, choices: dict[Place, Choice] | None = None) -> None:
        self.problem = problem
        self.choices: dict[Place, Choice] = {}
        self.pairs: set[tuple[str, str]] = set()  # (state under review, reviewing state)
        self.load: Counter[str] = Counter()
        for place, choice in (choices or {}).items():
            self.put(place, choice)

    def copy(self) -> Fill:
        return Fill(self.problem, dict(self.choices))

    @staticmethod
    def reviewers(choice: Choice) -> tuple[str, ...]:
        return (choice[0],) if choice[1] is None else (choice[0], choice[1])

    def distinct_for(self, sur: str) -> int:
        return sum(
            len(tuple(self.reviewers(self.choices[(sur, side)])))
            for side in Side if (sur, side) in self.choices
        )

    def allows(self, place: Place, reviewer: str, extra: int = 0) -> bool:
        """Whether ``reviewer`` may take ``place`` given the other places filled so far."""
        sur = place[0]
        parameters = self.problem.parameters
        return (
            sel.not_mutual(reviewer, sur, self.pairs)
            and sel.within_reviewer_load(self.load[reviewer], parameters)
            and sel.within_reviewer_cap(self.distinct_for(sur) + 1 + extra, sur, parameters)
        )

    def allows_choice(self, place: Place, choice: Choice) -> bool:
        main, supp = choice
        if supp is None:
            return self.allows(place, main)
        return supp != main and self.allows(place, main, extra=1) and self.allows(
            place, supp, extra=1
        )

    def put(self, place: Place, choice: Choice) -> None:
        for r in self.reviewers(choice):
            self.pairs.add((place[0], r))
            self.load[r] += 1
        self.choices[place] = choice

    def take(self, place: Place) -> Choice:
        choice = self.choices.pop(place)
        for r in self.reviewers(choice):
            self.pairs.discard((place[0], r))
            self.load[r] -= 1
        return choice
