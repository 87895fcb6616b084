"""Exact outcome distributions of a draw, by walking every branch of every lot.

Usable on instances small enough to enumerate: every ``below(n)`` call of the draw branches
``n`` ways, and each outcome's probability is the product of ``1/n`` along its path. No
sampling, so nothing can fail at random.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from fractions import Fraction

from tocreview.draw.methods import SamplingExhausted
from tocreview.draw.rng import Lots, StreamFactory, StreamSignal
from tocreview.model.result import Draw

Outcome = frozenset[tuple[str, str, str]]
REJECTED: Outcome = frozenset({("rejected", "", "")})


class _Branch(StreamSignal):
    def __init__(self, n: int) -> None:
        self.n = n


class _Scripted:
    def __init__(self, script: list[int]) -> None:
        self.script = script
        self.pos = 0
        self.sizes: list[int] = []

    def below(self, n: int) -> int:
        if self.pos < len(self.script):
            value = self.script[self.pos]
            self.pos += 1
            self.sizes.append(n)
            return value
        raise _Branch(n)

    def factory(self, key: Sequence[str]) -> Lots:
        return self


def outcome(result: Draw) -> Outcome:
    """A draw as the set of (State under review, reviewer, instrument)."""
    return frozenset((p.under_review, p.reviewer, p.instrument.value) for p in result.pairings)


def enumerate_distribution(run: Callable[[StreamFactory], Draw],
                           limit: int = 200_000) -> dict[Outcome, Fraction]:
    """Every outcome of ``run(streams)`` with its exact probability. A method that gives up
    (``SamplingExhausted``) yields ``REJECTED``. Stops with ValueError past ``limit`` runs."""
    results: dict[Outcome, Fraction] = defaultdict(Fraction)
    stack: list[list[int]] = [[]]
    runs = 0
    while stack:
        runs += 1
        if runs > limit:
            raise ValueError(f"more than {limit} branches: the instance is too big to enumerate")
        script = stack.pop()
        lots = _Scripted(script)
        try:
            got = outcome(run(lots.factory))
        except _Branch as branch:
            stack.extend([*script, v] for v in range(branch.n))
            continue
        except SamplingExhausted:
            got = REJECTED
        probability = Fraction(1)
        for n in lots.sizes:
            probability /= n
        results[got] += probability
    return dict(results)


def relabel(outcome_: Outcome, mapping: dict[str, str]) -> Outcome:
    """An outcome with party ids renamed."""
    if outcome_ == REJECTED:
        return outcome_
    return frozenset((mapping.get(a, a), mapping.get(b, b), i) for a, b, i in outcome_)
