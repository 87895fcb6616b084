"""Why a rejection method found no draw: how far its attempts got.

``uniform`` and ``lots`` draw every State independently and keep an attempt only if no rule
binding several States breaks (no mutual reviews, reviews per reviewer). Each attempt takes
the States in the same order, and each is lost at the first State whose choice breaks a
rule. Counting where the attempts were lost gives the share of attempts that place the first
``j`` States, for every ``j`` the attempts reached: the witness of "valid draws are too rare
for rejection sampling", and an estimate of how rare.

The estimate extrapolates: it assumes each State past the furthest one seen often enough
keeps attempts at the average rate of the States before it. Under a cap on reviews per
reviewer a later State meets more reviewers already used, so its rate is if anything lower,
and the estimate then likely errs towards valid draws being more common than they are.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

SEEN_ENOUGH = 20
"""Attempts that must reach a State for its rate to enter the estimate (fewer is noise)."""
MOST_ATTEMPTS = 10_000_000
"""The largest ``max_uniform_attempts`` the parameters allow (said in the advice)."""


@dataclass(frozen=True)
class Survival:
    """Where the whole attempts of a rejection method were lost.

    ``lost_after[j]`` counts the attempts that placed ``j`` States and broke a rule at the
    next one (a State whose own rules used up the tries counts as broken there too).
    """

    states: int
    lost_after: dict[int, int]

    @classmethod
    def of(cls, states: int, placed: Counter[int]) -> Survival:
        return cls(states, dict(sorted(placed.items())))

    @property
    def attempts(self) -> int:
        return sum(self.lost_after.values())

    def reaching(self, j: int) -> int:
        """Attempts that placed at least ``j`` States."""
        return sum(count for placed, count in self.lost_after.items() if placed >= j)

    @property
    def furthest(self) -> int:
        """The most States any attempt placed."""
        return max(self.lost_after, default=0)

    @property
    def median(self) -> int:
        """States placed by the median attempt: half the attempts were lost by then."""
        seen, half = 0, self.attempts / 2
        for placed, count in self.lost_after.items():
            seen += count
            if seen >= half:
                return placed
        return 0

    def rate(self) -> tuple[int, float] | None:
        """``(j, r)``: the furthest State ``j`` reached by at least :data:`SEEN_ENOUGH`
        attempts, and the average share of attempts each State up to it kept (the geometric
        mean); None when too few attempts were made to say."""
        total = self.attempts
        if total < SEEN_ENOUGH:
            return None
        j = max((placed for placed in range(1, self.states + 1)
                 if self.reaching(placed) >= SEEN_ENOUGH), default=0)
        if j == 0:  # every State in the lead lost almost every attempt
            j = 1
        share = max(self.reaching(j), 1) / total
        return j, share ** (1 / j)

    def log10_valid_share(self) -> float | None:
        """The share of attempts that would place every State, as a power of ten,
        extrapolated at :meth:`rate` (see the module docstring); None when unknown."""
        found = self.rate()
        if found is None:
            return None
        _, rate = found
        return self.states * math.log10(rate) if rate > 0 else -math.inf

    def words(self) -> str:
        """The witness in words, with what to do about it."""
        said = (f"of {self.attempts:,} whole attempts over {self.states} States under review, "
                f"half were lost by State {self.median + 1} and none placed more than "
                f"{self.furthest}")
        exponent, found = self.log10_valid_share(), self.rate()
        if exponent is None or found is None:
            return said
        j, rate = found
        needed = -exponent
        said += (f"; the first {j} States each kept {rate:.0%} of the attempts that reached "
                 f"them, and at that rate about one attempt in 10^{needed:.0f} would place all "
                 f"{self.states} (an extrapolation; later States meet more reviewers already "
                 "used)")
        if needed > math.log10(MOST_ATTEMPTS):
            said += (f", more than the {MOST_ATTEMPTS:,} attempts the parameters allow: "
                     "use 'sequential'")
        else:
            said += ": raise max_uniform_attempts or use 'sequential'"
        return said
