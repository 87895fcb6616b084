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

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from tocreview.draw.pools import Pool
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


# A set of candidate reviewers is named by what it asks of them, the instruments they must
# be party to, and the States taken out of it (the ones an earlier slot took): the pool of
# the place for those instruments, less those States. Two such sets meet in the set asking
# for both, less both: sizes of meets come from the shared pools, never from walking them.
Need = tuple[frozenset[Instrument], frozenset[str]]


class _Sets:
    """The candidate sets of one place, as pools (sorted by party id, as the roster is)."""

    def __init__(self, problem: Problem, place: Place) -> None:
        self.problem = problem
        self.place = place
        self._pools: dict[Need, Pool] = {}
        self._sizes: dict[tuple[Need, ...], int] = {}
        self._tables: dict[tuple[Need, ...], list[int]] = {}

    def pool(self, need: Need) -> Pool:
        found = self._pools.get(need)
        if found is None:
            instruments, taken = need
            whole = self.problem.supplementary_pool(self.place, instruments)
            extra = {whole.where[t] for t in taken if t in whole}
            found = Pool(whole.base, whole.where, {*whole.removed, *extra}) if extra else whole
            self._pools[need] = found
        return found

    def size(self, *needs: Need) -> int:
        """The size of the meet of these sets."""
        found = self._sizes.get(needs)
        if found is None:
            found = self._sizes[needs] = len(self.pool(_meet(*needs)))
        return found

    def injective(self, needs: Sequence[Need]) -> int:
        """How many ways to give each set a member, all different (at most three sets)."""
        size = self.size
        if not needs:
            return 1
        if len(needs) == 1:
            return size(needs[0])
        if len(needs) == 2:
            a, b = needs
            return size(a) * size(b) - size(a, b)
        a, b, c = needs
        return (size(a) * size(b) * size(c) - size(a, b) * size(c) - size(a, c) * size(b)
                - size(b, c) * size(a) + 2 * size(a, b, c))

    def injective_at(self, needs: Sequence[Need], index: int) -> tuple[str, ...]:
        """The index-th way, in a fixed order, to give each set a member, all different: the
        first set's members in order, each followed by its ways for the other sets."""
        if not needs:
            return ()
        first, rest = needs[0], needs[1:]
        members = self.pool(first)
        if not rest:  # one set: its index-th member
            if index >= len(members):
                raise IndexError("index beyond the number of ways")
            return (members[index],)
        if not first[1] and all(not n[1] for n in rest):
            # Sets no earlier slot narrowed: the same for every try of this place, so the
            # ways before each member are tabled once and the member found in the table.
            table = self._ways_table(first, tuple(rest))
            low = bisect_right(table, index) - 1
            if low >= len(members):
                raise IndexError("index beyond the number of ways")
            chosen = members[low]
            index -= table[low]
        else:
            # Narrowed by the member an earlier set took, so met once: counted from ranks
            # and the member found by bisection. At most three sets: one is left here.
            (other,) = rest
            low = self._by_bisection(members, first, other, index)
            chosen = members[low]
            index -= self._ways_before(members, first, other, low)
        others = [(n[0], n[1] | {chosen}) for n in rest]
        return (chosen, *self.injective_at(others, index))

    def _by_bisection(self, members: Pool, first: Need, other: Need, index: int) -> int:
        """The position of the member of ``first`` whose ways hold way ``index``."""
        low, high = 0, len(members)
        while low < high:  # the smallest i whose ways so far exceed index
            middle = (low + high) // 2
            if self._ways_before(members, first, other, middle + 1) > index:
                high = middle
            else:
                low = middle + 1
        if low >= len(members):
            raise IndexError("index beyond the number of ways")
        return low

    def _ways_table(self, first: Need, rest: tuple[Need, ...]) -> list[int]:
        """The ways before each member of ``first`` and after the last (``len + 1``
        entries, ascending), counted member by member from which other sets hold it."""
        key = (first, *rest)
        table = self._tables.get(key)
        if table is None:
            size = self.size
            members = self.pool(first)
            table = [0]
            total = 0
            if len(rest) == 1:
                meet = self.pool(_meet(first, rest[0]))
                sb = size(rest[0])
                for member in members:
                    total += sb - 1 if member in meet else sb
                    table.append(total)
            else:
                b, c = rest
                in_b, in_c = self.pool(_meet(first, b)), self.pool(_meet(first, c))
                in_bc = self.pool(_meet(first, b, c))
                sb, sc, sbc = size(b), size(c), size(b, c)
                # The ways for the other two sets once this member is taken from them.
                neither, only_b = sb * sc - sbc, (sb - 1) * sc - sbc
                only_c, both = sb * (sc - 1) - sbc, (sb - 1) * (sc - 1) - (sbc - 1)
                for member in members:
                    total += (both if member in in_bc else only_b if member in in_b
                              else only_c if member in in_c else neither)
                    table.append(total)
            self._tables[key] = table
        return table

    def _ways_before(self, members: Pool, first: Need, other: Need, i: int) -> int:
        """The ways whose first member is one of the first ``i`` members of ``first``, with
        one other set left: a member in it leaves it one choice fewer."""
        meet = self.pool(_meet(first, other))
        within = len(meet) if i >= len(members) else _rank(meet, members[i])
        return i * self.size(other) - within


def _meet(*needs: Need) -> Need:
    """The set asking for every one of ``needs``: party to all their instruments, less all
    the States they take out."""
    return (frozenset().union(*(n[0] for n in needs)),
            frozenset().union(*(n[1] for n in needs)))


def _rank(pool: Pool, member: str) -> int:
    """How many members of ``pool`` sort before ``member`` (pools are in party-id order)."""
    at = bisect_left(pool.base, member)
    return at - bisect_left(pool.removed, at)


class _Block(NamedTuple):
    """The choices of one size with main reviewers lacking the same instruments and one
    partition of their slots: ``len(mains) * ways`` of them, from ``start`` on."""

    start: int
    mains: Pool
    slots: int
    partition: Partition
    needs: tuple[Need, ...]
    ways: int


class SideCounts:
    """The choices of one place, counted and drawn by their number of distinct reviewers."""

    def __init__(self, problem: Problem, place: Place) -> None:
        self.place = place
        self.sets = _Sets(problem, place)
        # Per size, its blocks in a fixed order and where each starts, so that the block
        # holding a choice is found by bisection.
        self._blocks: dict[int, list[_Block]] = {}
        self._starts: dict[int, list[int]] = {}
        self._counts: dict[int, int] = {}
        for gap, mains in sorted(problem.mains_by_gap(place).items(),
                                 key=lambda kv: sorted(kv[0])):
            if not mains:
                continue
            slots = problem.slots_for(gap)
            for partition in partitions(len(slots)):
                needs = tuple(_need(slots, group) for group in partition)
                ways = self.sets.injective(needs)
                if not ways:
                    continue
                size = len(partition) + 1
                start = self._counts.get(size, 0)
                self._blocks.setdefault(size, []).append(
                    _Block(start, mains, len(slots), partition, needs, ways))
                self._starts.setdefault(size, []).append(start)
                self._counts[size] = start + len(mains) * ways

    def count(self, size: int) -> int:
        """How many choices have ``size`` distinct reviewers."""
        return self._counts.get(size, 0)

    def choice_at(self, size: int, index: int) -> Choice:
        """The index-th choice with ``size`` distinct reviewers, in a fixed order."""
        if not 0 <= index < self._counts.get(size, 0):
            raise IndexError(f"no choice {index} of size {size}")
        block = self._blocks[size][bisect_right(self._starts[size], index) - 1]
        which, rest = divmod(index - block.start, block.ways)
        if block.slots < 2:  # no slot, or one: nothing to share out (most choices)
            return block.mains[which], self.sets.injective_at(block.needs, rest)
        picked = self.sets.injective_at(block.needs, rest)
        supps = [""] * block.slots
        for group, reviewer in zip(block.partition, picked, strict=True):
            for slot in group:
                supps[slot] = reviewer
        return block.mains[which], tuple(supps)


def _need(slots: Sequence[frozenset[Instrument]], group: Sequence[int]) -> Need:
    """The reviewers who can fill every slot of a group: party to all its instruments."""
    return frozenset().union(*(slots[i] for i in group)), frozenset()


def uniform_pair(problem: Problem, sur: str, lots: Lots,
                 budget: list[int]) -> tuple[Choice, Choice] | None:
    """Both places of ``sur`` (same group, then other group), uniform over the pairs that
    meet its local rules; None when the budget of tries is spent (the first try belongs to
    the whole draw's try)."""
    key = ("uniform_local", sur)
    found = problem.cache.get(key)
    if found is None:  # the counts are the problem's: made once, whatever the seed
        found = problem.cache[key] = _pair_counts(problem, sur)
    same_counts, other_counts, allowed, blocks, total = found
    if not total:
        return None
    first = True
    while first or budget[0] > 0:
        if not first:
            budget[0] -= 1
        first = False
        # One lot for the whole pair: the sizes, then each side's choice, by index.
        index = lots.below(total)
        k = 0
        while index >= blocks[k]:
            index -= blocks[k]
            k += 1
        a, b = allowed[k]
        i_same, i_other = divmod(index, other_counts.count(b))
        same, other = same_counts.choice_at(a, i_same), other_counts.choice_at(b, i_other)
        if not {same[0], *same[1]} & {other[0], *other[1]}:
            return same, other
    return None


def _pair_counts(problem: Problem, sur: str
                ) -> tuple[SideCounts, SideCounts, list[tuple[int, int]], list[int], int]:
    """Both places' counts, the pairs of sizes the cap allows and how many pairs of choices
    each holds (the blocks one lot is split by), and their total."""
    same_counts, other_counts = (SideCounts(problem, (sur, side)) for side in Side)
    params = problem.parameters
    cap = None if sur in params.cap_waived_by else params.max_reviewers
    most = 1 + len(Instrument)  # a main reviewer and one per missing instrument at most
    allowed = [(a, b) for a in range(1, most + 1) for b in range(1, most + 1)
               if cap is None or a + b <= cap]
    blocks = [same_counts.count(x) * other_counts.count(y) for x, y in allowed]
    return same_counts, other_counts, allowed, blocks, sum(blocks)
