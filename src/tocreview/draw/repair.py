"""A completion by repair: fill every place at once, then move the places that break a rule
until none does (min-conflicts local search).

Under a tight cap on reviews per reviewer, a depth-first search can spend its whole budget
below one early mistake; repairing a whole assignment does not get stuck that way. It can
only answer yes, with a completion every rule was checked on, or give up: it never proves
that no completion exists (Hall's condition and the exact search do that). Its generator is
seeded with a constant, so it takes the same steps on every run; and since a completion
only says *that* one exists, which one it finds changes no lot of any draw.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from tocreview.draw.problem import Choice, Fill, Place, Problem
from tocreview.model.result import Side

_SAMPLE = 24
"""Candidates tried per supplementary slot when a choice is built (plus those in hand)."""


class _Counts:
    """What the rules binding several places count: reviews per reviewer, (State under
    review, reviewer) pairs, and each State's reviewers per side."""

    def __init__(self, problem: Problem, fill: Fill) -> None:
        self.problem = problem
        params = problem.parameters
        self.load_cap = params.max_reviews_per_reviewer
        self.max_reviewers = params.max_reviewers
        self.waived = params.cap_waived_by
        self.load: Counter[str] = Counter(fill.load)
        self.pair: Counter[tuple[str, str]] = Counter(fill.pairs)
        self.side: dict[Place, frozenset[str]] = {
            place: frozenset(Fill.reviewers(choice)) for place, choice in fill.choices.items()}

    def cost(self, place: Place, reviewers: frozenset[str]) -> int:
        """How many more breaches of the rules ``reviewers`` at ``place`` would add (the
        place itself holding nothing)."""
        sur = place[0]
        added = 0
        for r in reviewers:
            if self.load_cap is not None and self.load[r] >= self.load_cap:
                added += 1  # reviews per reviewer
            if self.pair[(sur, r)]:
                added += 1  # the same State on both sides
            added += self.pair[(r, sur)]  # mutual reviews
        if self.max_reviewers is not None and sur not in self.waived:
            other = self.side.get(_partner(place), frozenset())
            added += max(0, len(other | reviewers) - self.max_reviewers) \
                - max(0, len(other) - self.max_reviewers)
        return added

    def put(self, place: Place, reviewers: frozenset[str]) -> None:
        for r in reviewers:
            self.load[r] += 1
            self.pair[(place[0], r)] += 1
        self.side[place] = reviewers

    def take(self, place: Place) -> frozenset[str]:
        reviewers = self.side.pop(place)
        for r in reviewers:
            self.load[r] -= 1
            self.pair[(place[0], r)] -= 1
        return reviewers


def _partner(place: Place) -> Place:
    return (place[0], Side.OTHER_GROUP if place[1] is Side.SAME_GROUP else Side.SAME_GROUP)


def repaired_completion(problem: Problem, fill: Fill, todo: Sequence[Place],
                        steps: int = 4_000) -> Fill | None:
    """A valid completion of ``fill`` over ``todo`` found by repair, or None (never "no")."""
    rng = random.Random(0)
    counts = _Counts(problem, fill)
    held: dict[Place, Choice] = {}
    total = 0
    order = sorted(todo, key=lambda p: (len(problem.open_mains(p)), p))
    for place in order:
        choice, added = _best(problem, counts, place, rng, noise=False)
        if choice is None:
            return None  # a place with no choice at all: nothing to repair
        counts.put(place, frozenset(Fill.reviewers(choice)))
        held[place] = choice
        total += added
    recent: dict[Place, int] = {}
    for step in range(steps):
        if total == 0:
            return _checked(fill, held)
        found = _conflicted(counts, held, order, rng)
        if found is None:
            return _checked(fill, held)
        place = found
        before = counts.take(place)
        lost = counts.cost(place, before)
        # A place moved in the last few steps is moved again only by noise: without this
        # two places trade one reviewer back and forth.
        noise = recent.get(place, -10) > step - 3 or rng.random() < 0.1
        choice, added = _best(problem, counts, place, rng, noise=noise)
        assert choice is not None  # it had one: its pools are static, only counts change
        counts.put(place, frozenset(Fill.reviewers(choice)))
        held[place] = choice
        total += added - lost
        recent[place] = step
    return _checked(fill, held) if total == 0 else None


def _checked(fill: Fill, held: dict[Place, Choice]) -> Fill | None:
    """The completion, each choice checked by the rules themselves (Fill), or None."""
    work = fill.copy()
    for place in sorted(held):
        if not work.allows_choice(place, held[place]):
            return None
        work.put(place, held[place])
    return work


def _conflicted(counts: _Counts, held: dict[Place, Choice], order: Sequence[Place],
                rng: random.Random) -> Place | None:
    """A place whose choice breaches a rule, drawn at random (None if there is none)."""
    start = rng.randrange(len(order))
    for i in range(len(order)):
        place = order[(start + i) % len(order)]
        reviewers = counts.take(place)
        breach = counts.cost(place, reviewers)
        counts.put(place, reviewers)
        if breach:
            return place
    return None


def _best(problem: Problem, counts: _Counts, place: Place, rng: random.Random,
          noise: bool) -> tuple[Choice | None, int]:
    """The choice for ``place`` adding the fewest breaches (ties at random), or with
    ``noise`` a random one of the choices built; and what it adds."""
    mains = problem.open_mains(place)
    if not mains:
        return None, 0
    picks = list(mains) if len(mains) <= 48 else rng.sample(list(mains), 48)
    best: list[tuple[Choice, int]] = []
    lowest = None
    built = []
    for main in picks:
        choice = _with_supplementary(problem, counts, place, main, rng)
        if choice is None:
            continue
        added = counts.cost(place, frozenset(Fill.reviewers(choice)))
        built.append((choice, added))
        if lowest is None or added < lowest:
            lowest, best = added, [(choice, added)]
        elif added == lowest:
            best.append((choice, added))
    if not built:
        return None, 0
    return rng.choice(built) if noise else rng.choice(best)


def _with_supplementary(problem: Problem, counts: _Counts, place: Place, main: str,
                        rng: random.Random) -> Choice | None:
    """``main`` with, per slot, the supplementary reviewer adding the fewest breaches: one
    already in the choice first (one State may fill several slots)."""
    chosen: list[str] = []
    for pool in problem.slot_pools(place, main):
        if not pool:
            return None
        in_hand = [r for r in chosen if r in pool]
        if in_hand:
            chosen.append(in_hand[0])
            continue
        size = len(pool)
        tries = [pool[i] for i in (range(size) if size <= _SAMPLE
                                   else rng.sample(range(size), _SAMPLE))]
        tries = [r for r in tries if r != main]
        if not tries:
            return None
        reviewers = frozenset((main, *chosen))
        chosen.append(min(tries, key=lambda r: counts.cost(place, reviewers | {r})))
    return main, tuple(chosen)
