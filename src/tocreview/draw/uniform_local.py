"""Exact uniform sampling of the two places of one State under the rules local to it.

The rules that bind one State only are: its two sides have no reviewer in common, and it has
at most ``max_reviewers`` distinct reviewers unless it waived the cap. Drawing each side's
choice uniformly and rejecting pairs that break them is exact but hopeless when many choices
bring several supplementary reviewers (one lot per missing instrument): almost every pair
then breaks the cap. This module draws the pair exactly instead:

1. per side, count the choices by their number ``k`` of distinct reviewers (main plus the
   distinct supplementary reviewers), grouping main reviewers by the instruments they lack;
2. draw one lot among all the pairs whose sizes the cap allows, and decode it, in a fixed
   order, into the two sizes, then each side's choice: its main reviewer, a partition of its
   slots into groups that share one reviewer, and the groups' (different) reviewers;
3. if the two sides share a reviewer, draw again.

Step 2 gives every pair that meets the cap the same chance, and step 3 conditions that on the
sides sharing no one: the result is uniform over the pairs that meet the local rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from tocreview.draw.problem import Choice, Place, Problem
from tocreview.draw.rng import Lots
from tocreview.model.instrument import Instrument
from tocreview.model.result import Side

Partition = tuple[tuple[int, ...], ...]


def partitions(n: int) -> list[Partition]:
    """Every partition of the slots 0..n-1 into groups, in a fixed order."""
    if n == 0:
        return [()]
    out: set[Partition] = set()
    for rest in partitions(n - 1):
        out.add(tuple(sorted(((n - 1,), *rest))))  # the last slot on its own
        for i in range(len(rest)):  # or with one of the groups
            out.add(tuple(sorted((*rest[:i], (*rest[i], n - 1), *rest[i + 1:]))))
    return sorted(out)


def injective(sets: Sequence[frozenset[str]]) -> int:
    """How many ways to give each set a member, all different (at most three sets)."""
    if len(sets) == 1:
        return len(sets[0])
    if len(sets) == 2:
        a, b = sets
        return len(a) * len(b) - len(a & b)
    a, b, c = sets
    return (len(a) * len(b) * len(c) - len(a & b) * len(c) - len(a & c) * len(b)
            - len(b & c) * len(a) + 2 * len(a & b & c))


class SideCounts:
    """The choices of one place, counted and drawn by their number of distinct reviewers."""

    def __init__(self, problem: Problem, place: Place) -> None:
        self.place = place
        by_gap: dict[frozenset[Instrument], list[str]] = {}
        for main in problem.open_mains(place):
            by_gap.setdefault(problem.missing(place, main), []).append(main)
        self.gaps: list[tuple[list[str], list[frozenset[str]], list[tuple[Partition, int]]]] = []
        for _gap, mains in sorted(by_gap.items(), key=lambda kv: sorted(kv[0])):
            pools = [frozenset(p) for p in problem.slot_pools(place, mains[0])]
            ways = []
            for partition in partitions(len(pools)):
                sets = [_meet(pools, group) for group in partition]
                count = injective(sets) if sets else 1
                if count:
                    ways.append((partition, count))
            self.gaps.append((mains, pools, ways))

    def count(self, size: int) -> int:
        """How many choices have ``size`` distinct reviewers."""
        return sum(len(mains) * n for mains, _, ways in self.gaps
                   for partition, n in ways if len(partition) + 1 == size)

    def choice_at(self, size: int, index: int) -> Choice:
        """The index-th choice with ``size`` distinct reviewers, in a fixed order."""
        for mains, pools, ways in self.gaps:
            for partition, n in ways:
                if len(partition) + 1 != size:
                    continue
                if index >= len(mains) * n:
                    index -= len(mains) * n
                    continue
                which, rest = divmod(index, n)
                sets = [sorted(_meet(pools, group)) for group in partition]
                picked = injective_at(sets, rest)
                supps = [""] * len(pools)
                for group, reviewer in zip(partition, picked, strict=True):
                    for slot in group:
                        supps[slot] = reviewer
                return mains[which], tuple(supps)
        raise IndexError(f"no choice {index} of size {size}")


def injective_at(sets: Sequence[Sequence[str]], index: int) -> tuple[str, ...]:
    """The index-th way, in a fixed order, to give each set a member, all different."""
    if not sets:
        return ()
    first, rest = sets[0], sets[1:]
    for member in first:
        others = [[x for x in s if x != member] for s in rest]
        count = injective([frozenset(s) for s in others]) if others else 1
        if index < count:
            return (member, *injective_at(others, index))
        index -= count
    raise IndexError("index beyond the number of ways")


def _meet(pools: Sequence[frozenset[str]], group: Sequence[int]) -> frozenset[str]:
    """The reviewers who can fill every slot of a group: party to all its instruments."""
    return pools[group[0]].intersection(*(pools[i] for i in group[1:]))


def uniform_pair(problem: Problem, sur: str, lots: Lots,
                 budget: list[int]) -> dict[Side, Choice] | None:
    """Both places of ``sur``, uniform over the pairs that meet its local rules; None when
    the budget of tries is spent (the first try belongs to the whole draw's try)."""
    counts = []
    for side in Side:
        key = ("uniform_local", sur, side)
        if key not in problem.cache:
            problem.cache[key] = SideCounts(problem, (sur, side))
        counts.append(problem.cache[key])
    params = problem.parameters
    cap = None if sur in params.cap_waived_by else params.max_reviewers
    most = 1 + len(Instrument)  # a main reviewer and one per missing instrument at most
    allowed = [(a, b) for a in range(1, most + 1) for b in range(1, most + 1)
               if cap is None or a + b <= cap]
    blocks = [counts[0].count(x) * counts[1].count(y) for x, y in allowed]
    if not sum(blocks):
        return None
    first = True
    while first or budget[0] > 0:
        if not first:
            budget[0] -= 1
        first = False
        # One lot for the whole pair: the sizes, then each side's choice, by index.
        index = lots.below(sum(blocks))
        k = 0
        while index >= blocks[k]:
            index -= blocks[k]
            k += 1
        a, b = allowed[k]
        i_same, i_other = divmod(index, counts[1].count(b))
        same, other = counts[0].choice_at(a, i_same), counts[1].choice_at(b, i_other)
        if not set((same[0], *same[1])) & set((other[0], *other[1])):
            return {Side.SAME_GROUP: same, Side.OTHER_GROUP: other}
    return None
