"""Pools of reviewers shared by many places, each place leaving out a few States.

Most places of a draw have nearly the same pool: every State under review of one regional
group sees the same same-group candidates, less itself and the States it reviewed in earlier
draws (no mutual reviews). A :class:`Pool` holds the shared list once and the positions its
place leaves out, so building the pools of a draw costs time in proportion to the number of
places, not places times candidates. It reads exactly like the list it stands for (same
members, same order), so every lot drawn from it lands where it would in the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from types import MappingProxyType
from typing import overload

COPIED_UP_TO = 512
"""The largest pool :attr:`Pool.indexed` copies into a tuple: a bounded cost per place."""


class Pool(Sequence[str]):
    """``base`` less the members at the positions in ``removed``, in the order of ``base``.

    ``where`` maps each member of ``base`` to its position (shared with every pool over the
    same ``base``). Indexing maps through the removed positions, which are few.
    """

    __slots__ = ("_indexed", "_size", "base", "removed", "where")

    def __init__(self, base: tuple[str, ...], where: Mapping[str, int],
                 removed: Iterable[int] = ()) -> None:
        self.base = base
        self.where = where
        self.removed = tuple(sorted(removed))
        self._size = len(base) - len(self.removed)
        self._indexed: tuple[str, ...] | None = None

    @property
    def indexed(self) -> Sequence[str]:
        """The pool to draw lots from by index: a plain tuple made once, by slicing around
        the removed positions, when the pool is small (a lot then indexes it in C); the pool
        itself when it is large, so that a draw never copies a large pool (a copy per place
        would make the draw grow with places times candidates)."""
        found = self._indexed
        if found is None:
            if not self.removed:
                found = self.base
            elif len(self.base) > COPIED_UP_TO:
                return self
            else:
                parts, start = [], 0
                for position in self.removed:
                    parts.append(self.base[start:position])
                    start = position + 1
                parts.append(self.base[start:])
                found = tuple(chain.from_iterable(parts))
            self._indexed = found
        return found

    @classmethod
    def of(cls, members: Iterable[str]) -> Pool:
        """A pool that is exactly ``members`` (nothing shared, nothing removed)."""
        base = tuple(members)
        return cls(base, positions(base))

    @classmethod
    def less(cls, base: tuple[str, ...], where: Mapping[str, int],
             dropped: Iterable[str]) -> Pool:
        """``base`` without the members named in ``dropped`` (names not in it are ignored)."""
        return cls(base, where, {where[d] for d in dropped if d in where})

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("pool index out of range")
        for position in self.removed:  # ascending: each one at or before shifts the index
            if position > index:
                break
            index += 1
        return self.base[index]

    def __iter__(self) -> Iterator[str]:
        if not self.removed:
            return iter(self.base)
        skip = frozenset(self.removed)
        return (m for i, m in enumerate(self.base) if i not in skip)

    def __contains__(self, member: object) -> bool:
        position = self.where.get(member) if isinstance(member, str) else None
        return position is not None and position not in self.removed

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Pool({list(self)!r})"


def positions(members: tuple[str, ...]) -> Mapping[str, int]:
    """Each member's position, read-only: the positions are shared by every pool over
    ``members``, so nothing that reads a pool may change them for the others."""
    return MappingProxyType({m: i for i, m in enumerate(members)})


def nth_remaining(size: int, taken: list[int], index: int) -> int:
    """The position in 0..size-1 of the ``index``-th position not in ``taken`` (ascending),
    as if the taken ones had been popped from a list: what drawing without replacement from
    a shared pool needs, without copying it."""
    if not 0 <= index < size - len(taken):
        raise IndexError("index beyond the positions left")
    # taken[j] - j counts the free positions before taken[j]; it never decreases, so the
    # number of taken positions before the answer is found by bisection.
    low, high = 0, len(taken)
    while low < high:
        middle = (low + high) // 2
        if taken[middle] - middle <= index:
            low = middle + 1
        else:
            high = middle
    return index + low
