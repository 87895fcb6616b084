"""Exact search for a valid filling of all places (backtracking, most constrained first).

Used to decide feasibility, to keep a valid completion at hand while drawing (so that no lot
can lead into a dead end), and to shrink an infeasible draw to a small witness.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain

from tocreview.draw.matching import (
    allowed_after,
    allowed_reviewers,
    hall_matching,
    hall_violated,
    max_matching,
    residual,
)
from tocreview.draw.pools import Pool
from tocreview.draw.problem import Choice, Fill, Place, Problem
from tocreview.draw.repair import repaired_completion
from tocreview.draw.solver import installed, solver_completion
from tocreview.errors import TocreviewError
from tocreview.model.instrument import Instrument
from tocreview.model.result import Side
from tocreview.rules import selection as sel
from tocreview.rules.parameters import SupplementaryDraw


class SearchLimit(TocreviewError):
    """The exact search gave up before deciding (the instance is too hard to decide quickly)."""


def candidate_choices(problem: Problem, fill: Fill, place: Place) -> Iterator[Choice]:
    """The choices for ``place`` the filling allows, least-loaded reviewers first."""
    # With a cap on reviews per reviewer, least-loaded first spreads the load and avoids
    # dead ends; without one the order does not matter and sorting would only cost time.
    # Main reviewers party to every instrument first: they leave room under the cap on
    # reviewers for the other side (the order of a search does not change any lot).
    capped = problem.parameters.max_reviews_per_reviewer is not None
    if not sel.within_reviewer_cap(fill.distinct_for(place[0]) + 1, place[0],
                                   problem.parameters):
        return  # no room for even one more reviewer: said without trying the whole pool
    key = ("search order", place)
    if key not in problem.cache:  # the static part of the order, computed once per place
        wanted, held = problem.instruments[place[0]], problem.instruments
        # A stable sort of the shared list, less what the place leaves out, is the same
        # order as the place's pool sorted alike; len(wanted - held[r]) is the number of
        # missing instruments, inlined: hot loop.
        problem.cache[key] = problem.derived(
            place, ("search order", wanted),
            lambda base: sorted(base, key=lambda r: len(wanted - held[r]))
        ) if _cap_can_bind(problem) else problem.main_pool[place]
    pool: Sequence[str] = problem.cache[key]
    if capped:  # sorted is stable: fewest missing instruments first, then least loaded
        pool = tuple(sorted(pool, key=lambda r: (len(problem.missing(place, r)),
                                                 fill.load[r])))
    for main in pool:
        yield from choices_with_main(problem, fill, place, main, capped)


def choices_with_main(problem: Problem, fill: Fill, place: Place, main: str,
                      least_loaded_first: bool = False,
                      prefix: tuple[str, ...] = ()) -> Iterator[Choice]:
    """The choices with this main reviewer (and these first supplementary reviewers) that
    the filling allows. A State already in the choice is tried first for the next slot, and
    a branch that would exceed the cap on reviewers is cut at once, so the cap prunes the
    search instead of filtering its end results."""
    if not fill.allows(place, main):
        return
    sur = place[0]
    params = problem.parameters
    cap = None if sur in params.cap_waived_by else params.max_reviewers
    room = None if cap is None else cap - fill.distinct_for(sur)
    pools = problem.slot_pools(place, main)[len(prefix):]
    allows = fill.allows

    def extend(k: int, chosen: tuple[str, ...], distinct: frozenset[str]) -> Iterator[Choice]:
        if k == len(pools):
            choice = (main, chosen)
            if fill.allows_choice(place, choice):
                yield choice
            return
        if room is not None and len(distinct) > room:
            return  # the prefix alone is over the cap: nothing below it can be valid
        pool: Sequence[str] = pools[k]
        if least_loaded_first:
            pool = sorted(pool, key=lambda r: fill.load[r])
        # Filtered lazily: a caller that wants one choice pays for one, not for the pools.
        # The States already in the choice come first, in pool order.
        again = sorted((r for r in distinct if r in pool), key=_position_in(pool))
        # At the cap only those can follow: the rest of the pool is not even looked at.
        full = room is not None and len(distinct) >= room
        for r in chain(again, () if full else (r for r in pool if r not in distinct)):
            more = distinct | {r}
            if room is not None and len(more) > room:
                continue
            if not allows(place, r):
                continue
            yield from extend(k + 1, (*chosen, r), more)

    yield from extend(0, prefix, frozenset((main, *prefix)))


def _position_in(pool: Sequence[str]) -> Callable[[str], int]:
    """A member's position in the pool's order (a Pool knows it; a plain list is searched)."""
    if isinstance(pool, Pool):
        return pool.where.__getitem__
    return pool.index


def _cap_can_bind(problem: Problem) -> bool:
    """Whether some State could reach the cap on reviewers: two places, each a main reviewer
    and at most one supplementary reviewer per slot."""
    params = problem.parameters
    if params.max_reviewers is None:
        return False
    slots = (1 if params.supplementary_draw is SupplementaryDraw.ONE_FOR_ALL_MISSING
             else len(Instrument) - 1)
    return params.max_reviewers < 2 * (1 + slots)


def complete(
    problem: Problem,
    fill: Fill,
    places: Sequence[Place] | None = None,
    node_limit: int = 200_000,
    allowed: Mapping[Place, list[str]] | None = None,
) -> Fill | None:
    """Extend ``fill`` to every place in ``places`` (default: all), or return None if impossible.

    Raises :class:`SearchLimit` after ``node_limit`` choices tried. ``allowed`` is
    :func:`~tocreview.draw.matching.allowed_reviewers` of ``fill`` for those places, when the
    caller has it (see :class:`tocreview.draw.completion.Asking`).
    """
    todo = [p for p in (places if places is not None else problem.places)
            if p not in fill.choices]
    # Most constrained first (smallest static pool), the two places of one State together:
    # they share its cap on reviewers, so a dead end shows at once.
    tightest: dict[str, int] = {}
    for p in todo:
        tightest[p[0]] = min(tightest.get(p[0], len(problem.main_pool[p])),
                             len(problem.main_pool[p]))
    todo.sort(key=lambda p: (tightest[p[0]], p))
    if problem.parameters.max_reviews_per_reviewer is not None and todo:
        # A cap on reviews per reviewer makes this close to a matching: a Hall violation
        # proves there is no completion, and a matching usually gives one at once; only
        # what neither settles is searched.
        if hall_violated(problem, fill, todo, allowed):
            return None
        exact = installed()
        # Matchings usually give a completion at once. With the solver at hand a few
        # rounds are enough: it decides the rest exactly, and faster than more rounds
        # that end in "no completion found" (either way no lot depends on the answer).
        matched = matched_completion(problem, fill, todo, rounds=4 if exact else 12,
                                     scan=30 if exact else 300)
        if matched is not None:
            return matched
        decided, solved = solver_completion(problem, fill, todo, allowed=allowed)
        if decided:
            return solved
        # Repairing a whole assignment finds what a depth-first search can miss below an
        # early mistake; it only ever answers yes.
        repaired = repaired_completion(problem, fill, todo, steps=min(4_000, 30 * len(todo)))
        if repaired is not None:
            return repaired
        # Each step here checks matchings, about fifty times the work of a plain step.
        try:
            return _matched_search(problem, fill, todo, max(1, node_limit // 50))
        except SearchLimit as undecided:
            if exact:
                raise
            raise SearchLimit(f"{undecided} (the optional solver, pip install "
                              "\"tocreview[exact]\", decides such questions)") from None
    plain = min(node_limit, PLAIN_STEPS)
    try:
        return _plain_search(problem, fill, todo, plain)
    except SearchLimit:
        if node_limit <= plain:
            raise
    # What the plain search could not settle quickly: the guided search (fewest options
    # first, failed reviewer sets pruned, restarts) decides most of it.
    return _matched_search(problem, fill, todo, max(1, (node_limit - plain) // 50))


PLAIN_STEPS = 20_000
"""Steps of the plain search before the guided one takes over (most draws need hundreds)."""


def _plain_search(problem: Problem, fill: Fill, todo: list[Place],
                  node_limit: int) -> Fill | None:
    """Depth-first search in a fixed order with forward checking of the partner place."""
    work = fill.copy()
    if _first_fit(problem, work, todo):
        return work
    work = fill.copy()
    budget = [node_limit]
    position = {p: i for i, p in enumerate(todo)}

    def dead(place: Place) -> bool:
        return next(candidate_choices(problem, work, place), None) is None

    # Forward checking: choices only ever remove options, so a place with none now has none
    # in any extension; checking the partner place (same State, other side, same cap on
    # reviewers) after each choice cuts a dead branch before it is searched. It only prunes,
    # so it is skipped where the cap on reviewers cannot bind and nothing else links places
    # but the cheap checks the search makes anyway.
    forward = _cap_can_bind(problem) or problem.parameters.max_reviews_per_reviewer is not None
    if forward and any(dead(p) for p in todo):
        return None

    # Depth-first with an explicit stack of choice iterators, one per place reached (not
    # recursion: a roster of thousands of parties has thousands of places). Each iterator
    # reads `work` lazily, as the places before it left it, exactly as a recursive search.
    if not todo:
        return work
    stack: list[Iterator[Choice]] = [iter(candidate_choices(problem, work, todo[0]))]
    while stack:
        i = len(stack) - 1
        place = todo[i]
        partner = (place[0], next(s for s in Side if s is not place[1]))
        check_partner = forward and position.get(partner, -1) > i
        chosen = False
        for choice in stack[-1]:
            budget[0] -= 1
            if budget[0] < 0:
                raise SearchLimit(
                    f"the exact search stopped after {node_limit} steps without deciding"
                )
            work.put(place, choice)
            if check_partner and dead(partner):
                work.take(place)
                continue
            chosen = True
            break
        if not chosen:  # no choice left here: back up one place
            stack.pop()
            if stack:
                work.take(todo[len(stack) - 1])
            continue
        if len(stack) == len(todo):
            return work
        stack.append(iter(candidate_choices(problem, work, todo[len(stack)])))
    return None


def _first_fit(problem: Problem, work: Fill, todo: list[Place]) -> bool:
    """The first choice at each place in turn, without looking ahead: whether it fills
    every place (``work`` then holds the filling). When it does, it is the filling the
    search below returns, step for step: a look-ahead only cuts a choice after which some
    place has none left, and places only lose options, so a first fit that reaches the end
    never met such a choice. Most draws end here, without the look-ahead's cost."""
    for place in todo:
        choice = next(candidate_choices(problem, work, place), None)
        if choice is None:
            return False
        work.put(place, choice)
    return True


def minimal_infeasible(problem: Problem, places: Sequence[Place],
                       node_limit: int = 50_000) -> list[Place]:
    """Shrink an infeasible set of places to one where dropping any place makes it feasible."""
    core = list(places)
    for place in list(core):
        trial = [p for p in core if p != place]
        try:
            if complete(problem, Fill(problem), trial, node_limit) is None:
                core = trial
        except SearchLimit:
            continue
    return core


class _Budget(Exception):
    """One restart of the search used its share of the steps."""


def _matched_search(problem: Problem, fill: Fill, todo: Sequence[Place],
                    node_limit: int) -> Fill | None:
    """Depth-first search for a completion under a cap on reviews per reviewer, restarted
    with doubling step budgets and ties broken differently each time (a fixed generator,
    so the search is the same on every run). A restart that searches its whole tree without
    finding a completion proves there is none, whatever its order."""
    spent = 0
    share = 100
    attempt = 0
    while spent < node_limit:
        share = min(share, node_limit - spent)
        try:
            return _search_once(problem, fill, todo, share, random.Random(attempt))
        except _Budget:
            spent += share
            share *= 2
            attempt += 1
    raise SearchLimit(f"the exact search stopped after {node_limit} steps without deciding")


def _search_once(problem: Problem, fill: Fill, todo: Sequence[Place], node_limit: int,
                 rng: random.Random) -> Fill | None:
    """One depth-first search. The next place is the one with the fewest main reviewers
    left (a place with none cuts the branch); each choice must keep Hall's condition for
    the places after it, and the matching that shows it suggests the next main reviewer."""
    work = fill.copy()
    guide = hall_matching(problem, work, todo)
    if guide is None:
        return None
    budget = node_limit
    remaining = set(todo)
    ties = {p: rng.random() for p in todo}
    jitter = {r: rng.random() for r in problem.instruments}

    def tightest() -> Place | None:
        """The remaining place with the fewest main reviewers it may still take (None if
        one has none: the branch is dead)."""
        best: tuple[int, float, Place] | None = None
        for place in remaining:
            count = sum(1 for r in problem.open_mains(place) if work.allows(place, r)
                        and next(choices_with_main(problem, work, place, r), None) is not None)
            if count == 0:
                return None
            if best is None or (count, ties[place], place) < best:
                best = (count, ties[place], place)
        assert best is not None
        return best[2]

    def guided(place: Place, guide: dict[tuple[Place, int], str]) -> Iterator[Choice]:
        """The main reviewer the matching gives first, then those needing no supplementary
        reviewer, those wanted by the fewest other places first (least constraining)."""
        wanted: dict[str, int] = {}
        for other in remaining:
            for r in problem.open_mains(other):
                wanted[r] = wanted.get(r, 0) + 1
        preferred = guide.get((place, 0))
        mains = sorted(problem.open_mains(place),
                       key=lambda r: (r != preferred, bool(problem.slots(place, r)),
                                      wanted.get(r, 0), jitter[r], r))
        for main in mains:
            yield from choices_with_main(problem, work, place, main, least_loaded_first=True)

    first = tightest()
    if first is None:
        return None
    remaining.discard(first)
    # Per place on the path: its choices, and the reviewer sets already shown to fail
    # there. A choice whose reviewers include a failed set fails too (more reviewers only
    # take more reviews and bar more pairs), so it is skipped unsearched.
    stack: list[tuple[Place, Iterator[Choice], list[frozenset[str]]]] = [
        (first, guided(first, guide), [])]
    while stack:
        place, choices, failed = stack[-1]
        following: dict[tuple[Place, int], str] | None = None
        nxt: Place | None = None
        for choice in choices:
            reviewers = frozenset(Fill.reviewers(choice))
            if any(f <= reviewers for f in failed):
                continue
            budget -= 1
            if budget < 0:
                raise _Budget
            work.put(place, choice)
            if not remaining:
                return work
            nxt = tightest()
            if nxt is not None:
                following = hall_matching(problem, work, sorted(remaining))
            if following is not None:
                break
            work.take(place)
            failed.append(reviewers)
        if following is None or nxt is None:  # no choice left here: back up one place
            stack.pop()
            remaining.add(place)
            if stack:
                parent = stack[-1]
                held = work.take(parent[0])
                parent[2].append(frozenset(Fill.reviewers(held)))
            continue
        remaining.discard(nxt)
        stack.append((nxt, guided(nxt, following), []))
    return None


def matched_completion(problem: Problem, fill: Fill, todo: Sequence[Place],
                       rounds: int = 12, scan: int = 300) -> Fill | None:
    """A valid completion of ``fill`` built from matchings, or None if none was found.

    Places are matched to main reviewers that cover every instrument of their State; a
    place left over (or whose match breaks a rule) then takes the first choice the rules
    allow from the reviewers still free, supplementary reviewers included. A place that
    finds none is given, for the next round, the first of its choices after which the
    others still meet Hall's condition; a pair that breaks a rule is barred. A few rounds
    at most: it answers yes with a completion in hand, or gives up (never "no")."""
    barred: set[tuple[Place, str]] = set()
    forced: dict[Place, Choice] = {}
    for round_ in range(1, rounds + 1):
        work = fill.copy()
        for place, choice in forced.items():
            work.put(place, choice)
        rest = [p for p in todo if p not in forced]
        capacity = residual(problem, work)
        edges = {p: [r for r in problem.open_mains(p)
                     if r in capacity and (p, r) not in barred
                     and not problem.slots(p, r) and work.allows(p, r)]
                 for p in rest}
        matching = max_matching(rest, edges, capacity)
        clashes = []
        for place in sorted(matching):
            pick: Choice = (matching[place], ())
            if work.allows_choice(place, pick):
                work.put(place, pick)
            else:
                clashes.append((place, matching[place]))
        left = [p for p in rest if p not in work.choices]
        stuck: Place | None = None
        # The most constrained first: the fewest choices left.
        for place in sorted(left, key=lambda p: (len(problem.main_pool[p]), p)):
            found = next(candidate_choices(problem, work, place), None)
            if found is None:
                stuck = place
                break
            work.put(place, found)
        if stuck is None:
            return work
        if round_ == rounds:
            return None  # what follows prepares a next round
        barred.update(clashes)
        # Force a choice for the stuck place, taken before the matching, that leaves the
        # other places able to meet Hall's condition.
        base = fill.copy()
        for place, choice in forced.items():
            base.put(place, choice)
        others = [p for p in rest if p != stuck]
        before = allowed_reviewers(problem, base, others)  # what each choice then changes
        tried = 0
        chosen: Choice | None = None
        for main in problem.open_mains(stuck):
            for choice in choices_with_main(problem, base, stuck, main, True):
                tried += 1
                base.put(stuck, choice)
                allowed = allowed_after(problem, base, before, stuck, choice)
                fits = hall_matching(problem, base, others, allowed) is not None
                base.take(stuck)
                if fits:
                    chosen = choice
                    break
                if tried >= scan:
                    break
            if chosen is not None or tried >= scan:
                break
        if chosen is None:
            return None
        forced[stuck] = chosen
    return None
