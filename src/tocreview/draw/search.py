"""Exact search for a valid filling of all places (backtracking, most constrained first).

Used to decide feasibility, to keep a valid completion at hand while drawing (so that no lot
can lead into a dead end), and to shrink an infeasible draw to a small witness.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tocreview.draw.problem import Choice, Fill, Place, Problem
from tocreview.errors import TocreviewError


class SearchLimit(TocreviewError):
    """The exact search gave up before deciding (the instance is too hard to decide quickly)."""


def candidate_choices(problem: Problem, fill: Fill, place: Place) -> Iterator[Choice]:
    """The choices for ``place`` the filling allows, least-loaded reviewers first."""
    # With a cap on reviews per reviewer, least-loaded first spreads the load and avoids
    # dead ends; without one the order does not matter and sorting would only cost time.
    capped = problem.parameters.max_reviews_per_reviewer is not None
    pool = problem.main_pool[place]
    if capped:
        pool = tuple(sorted(pool, key=lambda r: fill.load[r]))
    for main in pool:
        missing = problem.missing(place, main)
        if not missing:
            if fill.allows(place, main):
                yield (main, None)
            continue
        if not fill.allows(place, main, extra=1):
            continue
        supps = problem.supplementary_pool(place, missing)
        if capped:
            supps = tuple(sorted(supps, key=lambda r: fill.load[r]))
        for supp in supps:
            if fill.allows_choice(place, (main, supp)):
                yield (main, supp)


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
    # Most constrained first: smallest static pool.
    todo.sort(key=lambda p: (len(problem.main_pool[p]), p))
    work = fill.copy()
    budget = [node_limit]

    def go(i: int) -> bool:
        if i == len(todo):
            return True
        place = todo[i]
        for choice in candidate_choices(problem, work, place):
            budget[0] -= 1
            if budget[0] < 0:
                raise SearchLimit(
                    f"the exact search stopped after {node_limit} steps without deciding"
                )
            work.put(place, choice)
            if go(i + 1):
                return True
            work.take(place)
        return False

    return work if go(0) else None


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
