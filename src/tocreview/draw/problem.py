"""The draw as a problem: the reviewer places to fill and the pools the rules leave for them.

A *place* is one State under review and one side (same regional group, other group). A place
is filled by a *choice*: a main reviewer, party to the Convention, and, when the main reviewer
is not party to every instrument the State is reviewed for, supplementary reviewers from the
same side, one per *slot*: each missing instrument is a slot of its own under the parameter
``supplementary_draw = per_instrument`` (one State may fill several), and all of them form
one slot under ``one_for_all_missing``. The static pools below apply every rule
that does not depend on other choices of the same draw; :class:`Fill` tracks the rules that
do (no mutual reviews within the draw, reviews per reviewer, the cap on reviewers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from tocreview.draw.pools import Pool, positions
from tocreview.errors import NoApplicableRule
from tocreview.model.instrument import Instrument
from tocreview.model.party import Party, RegionalGroup
from tocreview.model.result import DrawRequest, Side
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules.parameters import Composition, Parameters, SupplementaryDraw
from tocreview.rules.registry import rule_of
from tocreview.rules.selection import PairingConstraint as PairingConstraint  # re-exported

Place = tuple[str, Side]
Choice = tuple[str, tuple[str, ...]]  # (main reviewer, supplementary reviewer per slot)

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
    sur_groups: dict[str, frozenset[RegionalGroup]]
    groups_of: dict[str, frozenset[RegionalGroup]]
    instruments: dict[str, frozenset[Instrument]]
    places: list[Place]
    main_pool: dict[Place, Pool]
    static_rules: tuple[str, ...]
    side_rules: dict[Side, str]
    shape: dict[Place, tuple[object, frozenset[str]]] = field(default_factory=dict)
    """Per place: the key of the list its pool shares with other places, and the States the
    place leaves out of it (itself, the States it reviewed before). Every derived pool of the
    place (supplementary, open, search order) is the shared list filtered once, less these."""
    shared: dict[object, Any] = field(default_factory=dict)
    """Derived shared lists (with their positions) by key, kept across draws by BasePools."""
    _local: dict[object, Any] = field(default_factory=dict)
    _supp_cache: dict[tuple[Place, frozenset[Instrument]], Pool] = field(
        default_factory=dict
    )
    _missing: dict[tuple[str, str], frozenset[Instrument]] = field(default_factory=dict)
    _open: dict[Place, Pool] = field(default_factory=dict)
    _slot_pools: dict[Place, dict[frozenset[Instrument], tuple[Pool, ...]]] = field(
        default_factory=dict
    )
    cache: dict[object, Any] = field(default_factory=dict)
    """Derived tables a method builds once per problem (e.g. counts by number of reviewers)."""
    constraints: tuple[PairingConstraint, ...] = ()
    """The pairing constraints in force (their results are checked again on the output)."""

    @property
    def states_under_review(self) -> tuple[str, ...]:
        return self.request.states_under_review

    def group_title(self, sur: str) -> str:
        """The regional group(s) a State under review counts in, in words."""
        order = list(RegionalGroup)
        return " / ".join(g.full_title for g in sorted(self.sur_groups[sur], key=order.index))

    def missing(self, place: Place, main: str) -> frozenset[Instrument]:
        key = (place[0], main)
        found = self._missing.get(key)
        if found is None:
            found = sel.missing_instruments(self.instruments[place[0]], self.instruments[main])
            self._missing[key] = found
        return found

    def shared_list(self, place: Place, what: object,
                    make: Callable[[tuple[str, ...]], Iterable[str]]
                    ) -> tuple[tuple[str, ...], Mapping[str, int]]:
        """``make`` applied to the list the place's pool shares (``what`` names it), with
        each member's position: made once per shared list."""
        key = self.shape[place][0]
        store = self.store(key)
        found: tuple[tuple[str, ...], Mapping[str, int]] | None = store.get((key, what))
        if found is None:
            items = tuple(make(self.main_pool[place].base))
            found = (items, positions(items))
            store[(key, what)] = found
        return found

    def derived(self, place: Place, what: object,
                make: Callable[[tuple[str, ...]], Iterable[str]]) -> Pool:
        """The place's pool derived by ``make`` from the list it shares (``what`` names the
        derivation), less the States the place leaves out. It equals ``make`` applied to the
        place's own pool when ``make`` keeps the order and judges each member alone (a
        filter, or a stable sort)."""
        items, where = self.shared_list(place, what, make)
        return Pool.less(items, where, self.shape[place][1])

    def store(self, key: object) -> dict[object, Any]:
        """Where lists derived from the list ``key`` are kept: a list shared by class may be
        kept across draws; a place's own list is this draw's alone."""
        return self._local if isinstance(key, tuple) and key[0] == "place" else self.shared

    def supplementary_pool(self, place: Place, missing: frozenset[Instrument]) -> Pool:
        key = (place, missing)
        found = self._supp_cache.get(key)
        if found is None:
            found = self.derived(place, ("supplementary", missing),
                                 _party_to(missing, self.instruments))
            self._supp_cache[key] = found
        return found

    def slots(self, place: Place, main: str) -> tuple[frozenset[Instrument], ...]:
        """The instruments each supplementary reviewer covers, in instrument order."""
        return self.slots_for(self.missing(place, main))

    def slots_for(self, missing: frozenset[Instrument]) -> tuple[frozenset[Instrument], ...]:
        """The slots that cover these missing instruments, in instrument order."""
        return _slots(missing, self.parameters.supplementary_draw)

    def slot_pools(self, place: Place, main: str) -> tuple[Pool, ...]:
        """The pools of the supplementary slots ``main`` leaves open at ``place``: the same
        for every main reviewer party to the same instruments, so kept by those."""
        by_held = self._slot_pools.get(place)
        if by_held is None:
            by_held = self._slot_pools[place] = {}
        held = self.instruments[main]
        found = by_held.get(held)
        if found is None:
            found = tuple(self.supplementary_pool(place, s) for s in self.slots(place, main))
            by_held[held] = found
        return found

    def choices_count(self, place: Place, main: str) -> int:
        """How many (main, supplementary) choices a main reviewer opens (0 if none is valid)."""
        count = 1
        for pool in self.slot_pools(place, main):
            count *= len(pool)
        return count

    def _gaps(self, place: Place) -> tuple[tuple[frozenset[Instrument], ...],
                                           frozenset[frozenset[Instrument]]]:
        """The gaps (instruments a main reviewer lacks) found in the place's shared list, and
        those shut at this place: a slot of theirs has no one left."""
        held, wanted = self.instruments, self.instruments[place[0]]
        key, dropped = self.shape[place]
        store = self.store(key)
        gaps = store.get((key, "gaps", wanted))
        if gaps is None:  # per gap in the class, the shared list of each of its slots
            gaps = tuple(
                (gap, tuple(self.shared_list(place, ("supplementary", slot),
                                             _party_to(slot, held))[0]
                            for slot in self.slots_for(gap)))
                for gap in dict.fromkeys(wanted - held[r] for r in self.main_pool[place].base))
            store[(key, "gaps", wanted)] = gaps
        # The shared list is the class's; what the place leaves out (a few States) may
        # empty a slot.
        shut = frozenset(gap for gap, lists in gaps
                         if any(len(items) <= len(dropped) and dropped.issuperset(items)
                                for items in lists))
        return tuple(gap for gap, _ in gaps), shut

    def open_mains(self, place: Place) -> Pool:
        """The main pool less the reviewers for whom no supplementary reviewer exists."""
        found = self._open.get(place)
        if found is not None:
            return found
        held, wanted = self.instruments, self.instruments[place[0]]
        _, shut = self._gaps(place)
        found = self.derived(place, ("open", wanted, shut),
                             lambda base: (r for r in base if wanted - held[r] not in shut))
        self._open[place] = found
        return found

    def mains_by_gap(self, place: Place) -> dict[frozenset[Instrument], Pool]:
        """The open main reviewers of a place by the instruments they lack (the gaps in the
        order they first appear in the pool)."""
        held, wanted = self.instruments, self.instruments[place[0]]
        gaps, shut = self._gaps(place)
        return {gap: self.derived(place, ("gap", wanted, gap), _lacking(gap, wanted, held))
                for gap in gaps if gap not in shut}

    @cached_property
    def by_party(self) -> dict[str, Party]:
        return {p.id: p for p in self.roster.parties}


@lru_cache(maxsize=64)
def _slots(missing: frozenset[Instrument], how: SupplementaryDraw
           ) -> tuple[frozenset[Instrument], ...]:
    if not missing:
        return ()
    if how is SupplementaryDraw.ONE_FOR_ALL_MISSING:
        return (missing,)
    return tuple(frozenset([i]) for i in Instrument if i in missing)


def _party_to(instruments: frozenset[Instrument], held: dict[str, frozenset[Instrument]]
              ) -> Callable[[tuple[str, ...]], Iterable[str]]:
    """The filter keeping the reviewers party to every one of ``instruments``."""
    return lambda base: (r for r in base if instruments <= held[r])


def _lacking(gap: frozenset[Instrument], wanted: frozenset[Instrument],
             held: dict[str, frozenset[Instrument]]) -> Callable[[tuple[str, ...]], Iterable[str]]:
    """The filter keeping the reviewers who lack exactly ``gap`` of ``wanted``."""
    return lambda base: (r for r in base if wanted - held[r] == gap)


@dataclass
class BasePools:
    """Pools before history, kept across draws that share roster, parameters, date,
    exclusions and constraints (a simulation draws thousands of such problems). Only the
    history and the States under review differ between them, and a pool less the history is
    the same set of reviewers whatever order the rules are applied in."""

    roster: Roster
    parameters: Parameters
    key: tuple[object, ...]
    pools: dict[Place, list[str]] = field(default_factory=dict)
    lists: dict[object, Any] = field(default_factory=dict)
    """Lists shared by the places of a class, and lists derived from them (see Problem)."""
    facts: tuple[dict[str, frozenset[RegionalGroup]], dict[str, frozenset[Instrument]]] | None \
        = None

    @classmethod
    def of(cls, roster: Roster, parameters: Parameters, as_of: object,
           excluded: frozenset[str] = frozenset(), deferring: frozenset[str] = frozenset(),
           constraints: Sequence[PairingConstraint] = ()) -> BasePools:
        """Pools to share across draws made with these inputs (others ignore them)."""
        return cls(roster, parameters, (as_of, excluded, deferring, tuple(constraints)))

    def fits(self, roster: Roster, parameters: Parameters, key: tuple[object, ...]) -> bool:
        return roster is self.roster and parameters is self.parameters and key == self.key


def build_problem(
    roster: Roster,
    parameters: Parameters,
    request: DrawRequest,
    constraints: Sequence[PairingConstraint] = (),
    base: BasePools | None = None,
) -> Problem:
    as_of = request.as_of
    fixed = (as_of, request.excluded, request.deferring, tuple(constraints))
    shared = base if base is not None and base.fits(roster, parameters, fixed) else None
    if shared is not None and shared.facts is not None:
        groups_of, instruments = shared.facts
    else:
        groups_of, instruments = {}, {}
        for party in roster.parties:
            groups_of[party.id] = sel.reviewer_groups(party, parameters)
            instruments[party.id] = party.instruments(as_of)
        if shared is not None:
            shared.facts = (groups_of, instruments)
    sur_groups: dict[str, frozenset[RegionalGroup]] = {}
    for sur in request.states_under_review:
        party = roster.get(sur)  # an unknown id is an error naming close matches
        groups = sel.groups_under_review(party, groups_of.__getitem__, parameters)
        if not groups:
            raise NoApplicableRule(
                f"{sur} is in no regional group and the parameter no_group_mapping gives none "
                "for it, so no rule says which reviewers are 'same group'; add it to "
                "no_group_mapping"
            )
        if Instrument.CONVENTION not in instruments[sur]:
            raise NoApplicableRule(f"{sur} is not a party to the Convention on {as_of}")
        sur_groups[sur] = groups
    history = frozenset((p.under_review, p.reviewer) for p in request.history)
    context = sel.PairingContext(parameters, as_of, Instrument.CONVENTION, request.excluded,
                                 request.deferring)
    rules = sel.pairing_rules(parameters)
    once = [f for f in rules if f in sel.REVIEWER_ONLY]
    per_pairing = [f for f in rules if f not in sel.REVIEWER_ONLY]
    # A main reviewer must be party to the Convention, whatever its other instruments.
    lists: dict[object, Any] = shared.lists if shared is not None else {}
    candidates: list[Party] | None = lists.get(("candidates",))
    if candidates is None:  # the same for every draw a BasePools serves
        candidates = [p for p in roster.parties if all(f(p, p, context) for f in once)]
        lists[("candidates",)] = candidates
    side_functions = {
        side: sel.side_rule(parameters.composition, side is Side.SAME_GROUP) for side in Side
    }
    buckets: dict[tuple[Side, frozenset[RegionalGroup]], list[Party]] = {}
    places: list[Place] = []
    main_pool: dict[Place, Pool] = {}
    shape: dict[Place, tuple[object, frozenset[str]]] = {}
    legal = parameters.composition is Composition.SAME_REGION_LEGAL_SYSTEM
    cached = shared.pools if shared is not None else None
    # When not_self is the only rule on a pairing, a place's pool is its class's list (same
    # side, same groups under review) less itself, the States it reviewed before and those
    # the constraints bar (when they can list them): shared. A constraint that cannot list
    # them, and the legal-system preference, judge each pairing: those pools are built one
    # by one.
    by_class = per_pairing == [sel.not_self] and not legal
    reviewed: dict[str, set[str]] = {}
    for under_review, reviewer in history:
        reviewed.setdefault(reviewer, set()).add(under_review)
    for sur in sorted(request.states_under_review):
        sur_party = roster.get(sur)
        # The reviewers the constraints bar for this State, where each constraint can list
        # them (a few States); None where one cannot: its pools are then built one by one.
        barred: frozenset[str] | None = frozenset()
        for constraint in constraints:
            bars = constraint.barred(sur_party, parameters)
            barred = None if bars is None or barred is None else barred | bars
        for side in Side:
            key = (side, sur_groups[sur])
            place = (sur, side)
            places.append(place)
            if by_class and barred is not None:
                listed: tuple[tuple[str, ...], Mapping[str, int]] | None = lists.get(("class", key))
                if listed is None:
                    items = tuple(c.id for c in candidates
                                  if side_functions[side](groups_of[c.id], sur_groups[sur]))
                    listed = (items, positions(items))
                    lists[("class", key)] = listed
                dropped = frozenset({sur, *reviewed.get(sur, ()), *barred})
                main_pool[place] = Pool.less(listed[0], listed[1], dropped)
                shape[place] = (("class", key), dropped)
                continue
            if key not in buckets:
                buckets[key] = [c for c in candidates
                                if side_functions[side](groups_of[c.id], sur_groups[sur])]
            before = cached.get((sur, side)) if cached is not None else None
            if before is None:
                before = [
                    r.id for r in buckets[key]
                    if all(f(r, sur_party, context) for f in per_pairing)
                    and all(c.permits(r, sur_party, parameters) for c in constraints)
                ]
                if cached is not None:
                    cached[(sur, side)] = before
            pool = [r for r in before if sel.not_mutual(r, sur, history)] if history else \
                list(before)
            if legal and side is Side.SAME_GROUP:
                pool = sel.similar_legal_system(pool, sur, parameters.legal_systems)
            main_pool[place] = Pool.of(pool)
            shape[place] = (("place", place), frozenset())
    static = [rule_of(f).id for f in rules]
    static.insert(2, rule_of(sel.not_mutual).id)  # applied to the history in the pools
    if legal:
        static.append(rule_of(sel.similar_legal_system).id)
    static.extend(c.id for c in constraints)
    side_rules = {side: rule_of(side_functions[side]).id for side in Side}
    # Lists shared by class are kept across draws; a place's own list (("place", ...) keys)
    # holds for this draw only.
    return Problem(roster, parameters, request, history, sur_groups, groups_of, instruments,
                   places, main_pool, tuple(static), side_rules, shape,
                   lists, constraints=tuple(constraints))


class Fill:
    """A partial or complete filling of the places, with the counters the dynamic rules need."""

    def __init__(self, problem: Problem, choices: dict[Place, Choice] | None = None) -> None:
        self.problem = problem
        self.choices: dict[Place, Choice] = {}
        self.pairs: set[tuple[str, str]] = set()  # (state under review, reviewing state)
        self.load: Counter[str] = Counter()
        # Reviewer places taken per State under review (its two sides never share a
        # reviewer, so this is its number of distinct reviewers).
        self.taken: Counter[str] = Counter()
        for place, choice in (choices or {}).items():
            self.put(place, choice)

    def copy(self) -> Fill:
        return Fill(self.problem, dict(self.choices))

    @staticmethod
    def reviewers(choice: Choice) -> tuple[str, ...]:
        """The distinct reviewers of a choice, main first (one State may fill several slots)."""
        main, supps = choice
        if not supps:
            return (main,)
        return tuple(dict.fromkeys((main, *supps)))

    def distinct_for(self, sur: str) -> int:
        return self.taken[sur]

    def allows(self, place: Place, reviewer: str, extra: int = 0) -> bool:
        """Whether ``reviewer`` may take ``place`` given the other places filled so far."""
        sur = place[0]
        parameters = self.problem.parameters
        return (
            sel.not_mutual(reviewer, sur, self.pairs)
            and sel.not_already_reviewing(reviewer, sur, self.pairs)
            and sel.within_reviewer_load(self.load[reviewer], parameters)
            and sel.within_reviewer_cap(self.distinct_for(sur) + 1 + extra, sur, parameters)
        )

    def broken_rule(self, place: Place, choice: Choice) -> str:
        """The first rule that bars ``choice`` at ``place`` (its function name), or ''."""
        sur = place[0]
        parameters = self.problem.parameters
        reviewers = self.reviewers(choice)
        extra = len(reviewers) - 1
        for r in reviewers:
            if not sel.not_mutual(r, sur, self.pairs):
                return "not_mutual"
            if not sel.not_already_reviewing(r, sur, self.pairs):
                return "not_already_reviewing"
            if not sel.within_reviewer_load(self.load[r], parameters):
                return "within_reviewer_load"
            if not sel.within_reviewer_cap(self.distinct_for(sur) + 1 + extra, sur, parameters):
                return "within_reviewer_cap"
        return "" if choice[0] not in choice[1] else "not_already_reviewing"

    def allows_choice(self, place: Place, choice: Choice) -> bool:
        """Whether every reviewer of ``choice`` may take ``place`` given the places filled so
        far (as :meth:`allows`, for all of them at once)."""
        main, supps = choice
        return main not in supps and self._allowed(place[0], self.reviewers(choice))

    def admit(self, place: Place, choice: Choice) -> bool:
        """Put ``choice`` at ``place`` if :meth:`allows_choice`; say whether it was put (one
        step: a rejection method does this for every place of every attempt)."""
        main, supps = choice
        reviewers = self.reviewers(choice)
        sur = place[0]
        if main in supps or not self._allowed(sur, reviewers):
            return False
        self._put(place, choice, reviewers)
        return True

    def _allowed(self, sur: str, reviewers: tuple[str, ...]) -> bool:
        pairs, load, parameters = self.pairs, self.load, self.problem.parameters
        # The cap counts the State's distinct reviewers with all of these: one test for all.
        if not sel.within_reviewer_cap(self.taken.get(sur, 0) + len(reviewers), sur,
                                       parameters):
            return False
        for r in reviewers:
            if not (sel.not_mutual(r, sur, pairs) and sel.not_already_reviewing(r, sur, pairs)
                    and sel.within_reviewer_load(load.get(r, 0), parameters)):
                return False
        return True

    def put(self, place: Place, choice: Choice) -> None:
        self._put(place, choice, self.reviewers(choice))

    def _put(self, place: Place, choice: Choice, reviewers: tuple[str, ...]) -> None:
        sur, load = place[0], self.load
        for r in reviewers:
            self.pairs.add((sur, r))
            load[r] = load.get(r, 0) + 1  # .get: a Counter's default is a Python-level call
        self.taken[sur] = self.taken.get(sur, 0) + len(reviewers)
        self.choices[place] = choice

    def take(self, place: Place) -> Choice:
        choice = self.choices.pop(place)
        reviewers = self.reviewers(choice)
        for r in reviewers:
            self.pairs.discard((place[0], r))
            self.load[r] -= 1
        self.taken[place[0]] -= len(reviewers)
        return choice
