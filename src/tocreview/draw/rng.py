"""The random generator of the drawing of lots, specified so anyone can re-derive a draw.

A *stream* is identified by the published seed and a key (a tuple of strings). Its bytes are
SHA-256 in counter mode::

    block(i) = SHA-256( b"tocreview-lots-v1" 0x00 seed 0x00 key 0x00 i )

where ``seed`` is the seed as UTF-8 text, ``key`` the key parts joined by ``/`` as UTF-8, and
``i`` the block counter (0, 1, 2, ...) as 8 bytes big-endian. Each 32-byte block gives four
64-bit unsigned integers, read big-endian, used in order.

``below(n)`` draws an integer uniformly from 0..n-1 by rejection: it takes the next 64-bit
integer ``u``; if ``u >= 2**64 - (2**64 % n)`` it discards it and takes the next; otherwise it
returns ``u % n``. Every choice of the draw is one ``below`` call on a named stream, recorded
in the trace. See docs/randomness.md for a stand-alone re-implementation.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from typing import Protocol, TypeVar

DOMAIN = b"tocreview-lots-v1"
_TWO64 = 1 << 64
_WORDS = struct.Struct(">4Q").unpack  # one block: four 64-bit words, big-endian

T = TypeVar("T")


class StreamSignal(Exception):
    """Raised by a stream a caller supplies, to stop a draw on purpose (the exact walker of
    :mod:`tocreview.testing.exact` uses it to branch): it passes through every draw method
    unchanged, where any other exception from a method is reported as the method's fault."""


class Lots(Protocol):
    """A source of uniform choices: what the draw methods need from a stream."""

    def below(self, n: int) -> int:
        """A uniform integer in 0..n-1."""
        ...


class Stream:
    """One counter-mode SHA-256 stream (see the module docstring)."""

    __slots__ = ("_buffer", "_counter", "_prefix", "key", "used")

    def __init__(self, seed: str, key: Sequence[str]) -> None:
        self.key = "/".join(key)
        self._prefix = b"%s\x00%s\x00%s\x00" % (DOMAIN, seed.encode(), self.key.encode())
        self._counter = 0
        self._buffer: list[int] = []  # the words left of the current block, next one last
        self.used = 0  # how many below() calls were made

    def below(self, n: int) -> int:
        if n < 1:
            raise ValueError("below(n) needs n >= 1")
        self.used += 1
        limit = _TWO64 - _TWO64 % n
        buffer = self._buffer
        # Written out in one function: a simulation draws millions of lots, and a call per
        # word cost a third of each lot.
        while True:
            if not buffer:
                block = hashlib.sha256(self._prefix + self._counter.to_bytes(8, "big"))
                self._counter += 1
                first, second, third, fourth = _WORDS(block.digest())
                buffer += (fourth, third, second, first)
            word = buffer.pop()
            if word < limit:
                return word % n


class StreamFactory(Protocol):
    """Makes the stream for a key; the engine asks for one per review step."""

    def __call__(self, key: Sequence[str]) -> Lots: ...


def sha256_streams(seed: str) -> StreamFactory:
    """The standard factory: counter-mode SHA-256 streams under ``seed``."""

    def make(key: Sequence[str]) -> Lots:
        return Stream(seed, key)

    return make


def shuffled(items: Sequence[T], lots: Lots) -> list[T]:
    """Fisher-Yates: for i from the last index down to 1, swap item i with item below(i+1)."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = lots.below(i + 1)
        out[i], out[j] = out[j], out[i]
    return out
