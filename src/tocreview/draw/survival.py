"""Why a rejection method found no draw: how far its attempts got.

``uniform`` and ``lots`` draw every State independently and keep an attempt only if no rule
binding several States breaks (no mutual reviews, reviews per reviewer). Each attempt takes
the States in the same order, and each is lost at the first State whose choice breaks a
rule. Counting where the attempts were lost gives the share of attempts that place the first
``j`` States, for every ``j`` the attempts reached: the witness of "valid draws are too rare
for rejection sampling", and an estimate of how rare.

The estimate extrapolates: it takes the share of attempts seen to place the first ``j``
States (the furthest State enough attempts reached), and assumes each State after them keeps
attempts at the rate the States of the second half of those ``j`` did. Under a cap on
reviews per reviewer a later State meets more reviewers already used, so its rate is likely
lower still, and the estimate then errs towards valid draws being more common than they are.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from tocreview.rules.parameters import MOST_UNIFORM_ATTEMPTS

SEEN_ENOUGH = 20
"""Attempts that must reach a State for its rate to enter the estimate (fewer is noise)."""


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
        return self._reaching[j] if j <= self.states else 0

    @cached_property
    def _reaching(self) -> tuple[int, ...]:
        # Summed once from the last State back: reaching is asked for every j up to states.
        counts, left = [0] * (self.states + 1), 0
        for j in range(self.states, -1, -1):
            left += self.lost_after.get(j, 0)
            counts[j] = left
        return tuple(counts)

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
        attempts, and the share of attempts each of the States in the second half of the
        first ``j`` kept, on average (the geometric mean: the latest rate seen, where more
        reviewers are already used than at the start); None when too few attempts were made
        to say."""
        total = self.attempts
        if total < SEEN_ENOUGH:
            return None
        j = max((placed for placed in range(1, self.states + 1)
                 if self.reaching(placed) >= SEEN_ENOUGH), default=1)
        half = j // 2
        kept = max(self.reaching(j), 1) / self.reaching(half)
        return j, kept ** (1 / (j - half))

    def log10_valid_share(self) -> float | None:
        """The share of attempts that would place every State, as a power of ten: the share
        seen to place the first ``j`` States (:meth:`rate`), then each State after them
        kept at the rate ``r`` (an extrapolation, see the module docstring); None when
        unknown."""
        found = self.rate()
        if found is None:
            return None
        j, rate = found  # rate > 0: some attempts reached every State counted in it
        seen = max(self.reaching(j), 1) / self.attempts
        return math.log10(seen) + (self.states - j) * math.log10(rate)

    def verdict(self) -> str:
        """How rare a valid draw is, and what to do about it (what an error says first)."""
        exponent = self.log10_valid_share()
        if exponent is None:
            return ("valid draws are too rare a share of the independent ones for rejection "
                    "sampling: use 'sequential', or raise max_uniform_attempts")
        needed = -exponent
        said = (f"about one attempt in 10^{needed:.0f} would be valid (extrapolated from where "
                "the attempts were lost")
        # Compared as powers of ten: a large roster's share can be 10^-1000, past a float.
        if needed <= math.log10(self.attempts):
            said += ("; too hopeful here, since the attempts made would then have found one: "
                     "later States keep fewer)")
        else:
            said += "; later States may keep fewer)"
        if needed > math.log10(MOST_UNIFORM_ATTEMPTS):
            return (f"{said}, more than the {MOST_UNIFORM_ATTEMPTS:,} attempts the parameters "
                    "allow: use 'sequential'")
        return f"{said}: use 'sequential', or raise max_uniform_attempts"

    def evidence(self) -> str:
        """Where the attempts were lost: what :meth:`verdict` rests on."""
        said = (f"of {self.attempts:,} whole attempts over {self.states} States under review, "
                f"half were lost by State {self.median + 1} and none placed more than "
                f"{self.furthest}")
        found = self.rate()
        if found is None:
            return said
        j, rate = found
        one = j // 2 + 1 == j
        later = f"State {j}" if one else f"States {j // 2 + 1}-{j} each"
        first = "the first State" if j == 1 else f"the first {j}"
        return (f"{said}; {self.reaching(j):,} placed {first}, {later} keeping {rate:.0%} of "
                f"the attempts that reached {'it' if one else 'them'}")

    def words(self) -> str:
        """The verdict, then the evidence."""
        return f"{self.verdict()}. Witness: {self.evidence()}"
