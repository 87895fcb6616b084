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

from tocreview.draw.problem import Choice, Fill, Place, Problem
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


def allowed_reviewers(problem: Problem, fill: Fill, todo: Sequence[Place]
                      ) -> dict[Place, list[str]]:
    """Per place in ``todo``, the members of its pool with reviews left whom ``fill`` allows
    there (in pool order): what :func:`hall_matching` matches from."""
    capacity = residual(problem, fill)
    return {p: [r for r in problem.main_pool[p] if r in capacity and fill.allows(p, r)]
            for p in todo}


def allowed_after(problem: Problem, fill: Fill, allowed: Mapping[Place, list[str]],
                  place: Place, choice: Choice) -> dict[Place, list[str]]:
    """:func:`allowed_reviewers` of ``fill``, given those of ``fill`` before ``choice`` was
    put at ``place`` (``fill`` holds it now). A choice changes few answers: its reviewers'
    reviews left, its State's other place (cap on reviewers, two different reviewers), and
    the places of its reviewers, who may no longer take its State (no mutual reviews). Only
    those are asked again, so trying many choices costs little each."""
    sur = place[0]
    reviewers = set(Fill.reviewers(choice))
    capacity = residual(problem, fill)
    out: dict[Place, list[str]] = {}
    for other, members in allowed.items():
        if other[0] == sur:
            out[other] = [r for r in members if r in capacity and fill.allows(other, r)]
        elif other[0] in reviewers:
            out[other] = [r for r in members if r != sur and (
                r not in reviewers or (r in capacity and fill.allows(other, r)))]
        else:
            out[other] = [r for r in members if r not in reviewers or (
                r in capacity and fill.allows(other, r))]
    return out


def hall_matching(problem: Problem, fill: Fill, todo: Sequence[Place],
                  allowed: Mapping[Place, list[str]] | None = None
                  ) -> dict[tuple[Place, int], str] | None:
    """A matching that gives each place in ``todo`` the reviewers it needs at the least (one
    main reviewer, and one more where every main reviewer it may still take lacks an
    instrument), each from its pool and with reviews left; None when no such matching exists,
    or when, for some instrument, the places reviewed for it cannot each get a reviewer
    party to it (Hall's condition fails): either proves that ``fill`` has no completion.
    ``allowed`` is :func:`allowed_reviewers` of ``fill`` when the caller has it."""
    capacity = residual(problem, fill)
    if allowed is None:
        allowed = allowed_reviewers(problem, fill, todo)
    # Each instrument: every place whose State is reviewed for it needs a reviewer party to
    # it (main or supplementary), and each such reviewer has only so many reviews. Checked
    # before the main reviewers, Firearms first: a Protocol's places and holders are fewer,
    # and a "no" shows there most often (the answer is the same in any order).
    held = problem.instruments
    for instrument in reversed(Instrument):
        needing = [p for p in todo if instrument in held[p[0]]]
        holders = {p: [r for r in allowed[p] if instrument in held[r]] for p in needing}
        if len(max_matching(needing, holders, capacity)) < len(needing):
            return None
    units: list[tuple[Place, int]] = []
    edges: dict[tuple[Place, int], list[str]] = {}
    for place in todo:
        opened, whole = open_sets(problem, place)
        mains = [r for r in allowed[place] if r in opened]
        units.append((place, 0))
        edges[(place, 0)] = mains
        if mains and whole.isdisjoint(mains):
            # A supplementary reviewer comes from the whole pool, not only from the
            # reviewers who could be main reviewers themselves.
            units.append((place, 1))
            edges[(place, 1)] = allowed[place]
    found = max_matching(units, edges, capacity)
    if len(found) < len(units):
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


def open_sets(problem: Problem, place: Place) -> tuple[frozenset[str], frozenset[str]]:
    """The place's open main reviewers, and those of them party to every instrument of its
    State (no supplementary reviewer needed), as sets made once per problem."""
    key = ("open sets", place)
    found: tuple[frozenset[str], frozenset[str]] | None = problem.cache.get(key)
    if found is None:
        opened = problem.open_mains(place)
        found = (frozenset(opened), frozenset(r for r in opened if not problem.slots(place, r)))
        problem.cache[key] = found
    return found


def hall_violated(problem: Problem, fill: Fill, todo: Sequence[Place],
                  allowed: Mapping[Place, list[str]] | None = None) -> bool:
    """Whether the places ``todo`` cannot all get the reviewers they need at the least (see
    :func:`hall_matching`): then no completion of ``fill`` exists."""
    return hall_matching(problem, fill, todo, allowed) is None
