"""How many examples a property test tries under the hypothesis profile in force.

A test states the number it wants under the thorough profile; the quick profile (the default)
tries a fifth of it, never fewer than five, so every property is still exercised.
"""

from __future__ import annotations

from hypothesis import settings


def examples(thorough: int) -> int:
    if settings.get_current_profile_name() == "thorough":
        return thorough
    return max(5, thorough // 5)
