"""Matchings of places to reviewers, for draws with a cap on reviews per reviewer.

With such a cap, filling the places is close to a matching: each place takes at least one
reviewer (its main reviewer), and each reviewer has a few reviews left. Two uses, both exact
in what they claim:

- :func:`hall_violated`: if the places cannot each get a distinct main reviewer unit even when
  supplementary reviewers cost nothing, no completion exists (Hall's condition). A proof of
  "no" without search.
- the search (:mod:`tocreview.draw.search`) builds completions from such matchings and is
  guided by them.

Both use augmenting paths (Kuhn's algorithm with capacities), iteratively, no recursion.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from itertools import permutations
from typing import TypeVar

from tocreview.draw.problem import Fill, Place, Problem
from tocreview.model.instrument import Instrument

K = TypeVar("K", bound=Hashable)


def max_matching(places: Sequence[K], edges: Mapping[K, Sequence[str]],
                 capacity: Mapping[str, int]) -> dict[K, str]:
    """A maximum matching of ``places`` to reviewers, each reviewer at most its capacity."""
    holder: dict[str, list[K]] = {}
    matched: dict[K, str] = {}
    for start in places:
        # Breadth-first search for an augmenting path from `start`: `via[r]` is the place
        # from which reviewer r was reached; `reached[p]` the reviewer p holds, through
        # which p was reached.
        via: dict[str, K] = {}
        reached: set[K] = {start}
        queue = [start]
        free: str | None = None
        while queue and free is None:
            next_queue: list[K] = []
            for place in queue:
                for reviewer in edges.get(place, ()):
                    if reviewer in via:
                        continue
                    via[reviewer] = place
                    taken = holder.get(reviewer, [])
                    if len(taken) < capacity.get(reviewer, 0):
                        free = reviewer
                        break
                    for other in taken:
                        if other not in reached:
                            reached.add(other)
                            next_queue.append(other)
                if free is not None:
                    break
            queue = next_queue
        if free is None:
            continue
        reviewer = free
        while True:  # flip the path back to `start`: each place moves to the next reviewer
            place = via[reviewer]
            before = matched.get(place)
            if before is not None:
                holder[before].remove(place)
            matched[place] = reviewer
            holder.setdefault(reviewer, []).append(place)
            if place == start:
                break
            assert before is not None  # every place on the path but the start held one
            reviewer = before
    return matched


def residual(problem: Problem, fill: Fill) -> dict[str, int]:
    """Reviews each reviewer has left (without a cap: as many as there are places)."""
    cap = problem.parameters.max_reviews_per_reviewer
    if cap is None:
        cap = len(problem.places) + max(fill.load.values(), default=0)
    return {r: cap - fill.load[r] for r in problem.instruments if fill.load[r] < cap}


def hall_matching(problem: Problem, fill: Fill, todo: Sequence[Place]
                  ) -> dict[tuple[Place, int], str] | None:
    """A matching that gives each place in ``todo`` the reviewers it needs at the least (one
    main reviewer, and one more where every main reviewer it may still take lacks an
    instrument), each from its pool and with reviews left; None when no such matching exists,
    or when, for some instrument, the places reviewed for it cannot each get a reviewer
    party to it (Hall's condition fails): either proves that ``fill`` has no completion."""
    capacity = residual(problem, fill)
    units: list[tuple[Place, int]] = []
    edges: dict[tuple[Place, int], list[str]] = {}
    for place in todo:
        mains = [r for r in problem.open_mains(place) if r in capacity and fill.allows(place, r)]
        units.append((place, 0))
        edges[(place, 0)] = mains
        if mains and all(problem.slots(place, r) for r in mains):
            # A supplementary reviewer comes from the whole pool, not only from the
            # reviewers who could be main reviewers themselves.
            units.append((place, 1))
            edges[(place, 1)] = [r for r in problem.main_pool[place]
                                 if r in capacity and fill.allows(place, r)]
    found = max_matching(units, edges, capacity)
    if len(found) < len(units):
        return None
    # Each instrument too: every place whose State is reviewed for it needs a reviewer
    # party to it (main or supplementary), and each such reviewer has only so many reviews.
    allowed = {p: [r for r in problem.main_pool[p] if r in capacity and fill.allows(p, r)]
               for p in todo}
    held = problem.instruments
    for instrument in Instrument:
        needing = [p for p in todo if instrument in held[p[0]]]
        holders = {p: [r for r in allowed[p] if instrument in held[r]] for p in needing}
        if len(max_matching(needing, holders, capacity)) < len(needing):
            return None
    # And the Protocols together, in each order: every place takes, for the first of them
    # its State is reviewed for, a reviewer party to it (the Convention if none). One
    # reviewer may hold several, so a scarce Protocol's holders are counted once across
    # the places that need it and those that need only a more common one.
    protocols = [i for i in Instrument if i is not Instrument.CONVENTION]
    for order in permutations(protocols):
        first = {p: next((i for i in order if i in held[p[0]]), Instrument.CONVENTION)
                 for p in todo}
        holders = {p: [r for r in allowed[p] if first[p] in held[r]] for p in todo}
        if len(max_matching(list(todo), holders, capacity)) < len(todo):
            return None
    return found


def hall_violated(problem: Problem, fill: Fill, todo: Sequence[Place]) -> bool:
    """Whether the places ``todo`` cannot all get the reviewers they need at the least (see
    :func:`hall_matching`): then no completion of ``fill`` exists."""
    return hall_matching(problem, fill, todo) is None
