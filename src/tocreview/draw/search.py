"""Exact search for a valid filling of all places (backtracking, most constrained first).

Used to decide feasibility, to keep a valid completion at hand while drawing (so that no lot
can lead into a dead end), and to shrink an infeasible draw to a small witness.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tocreview.draw.problem import Choice, Fill, Place, Problem
from tocreview.errors import TocreviewError
from tocreview.model.instrument import Instrument
from tocreview.model.result import Side
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
    key = ("search order", place)
    if key not in problem.cache:  # the static part of the order, computed once per place
        pool_ = problem.main_pool[place]
        wanted, held = problem.instruments[place[0]], problem.instruments
        # len(wanted - held[r]) is the number of missing instruments, inlined: hot loop.
        problem.cache[key] = tuple(sorted(pool_, key=lambda r: len(wanted - held[r]))
                                   ) if _cap_can_bind(problem) else pool_
    pool: tuple[str, ...] = problem.cache[key]
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
        pool: Sequence[str] = pools[k]
        if least_loaded_first:
            pool = sorted(pool, key=lambda r: fill.load[r])
        # Filtered lazily: a caller that wants one choice pays for one, not for the pools.
        again = [r for r in pool if r in distinct]
        for r in (*again, *(r for r in pool if r not in distinct)):
            more = distinct | {r}
            if room is not None and len(more) > room:
                continue
            if not allows(place, r):
                continue
            yield from extend(k + 1, (*chosen, r), more)

    yield from extend(0, prefix, frozenset((main, *prefix)))


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
) -> Fill | None:
    """Extend ``fill`` to every place in ``places`` (default: all), or return None if impossible.

    Raises :class:`SearchLimit` after ``node_limit`` choices tried.
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
