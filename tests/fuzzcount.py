"""The fuzz suite's tally: inputs tried per kind and how each ended (printed after the run)."""

from __future__ import annotations

from collections import Counter

TALLY: Counter[tuple[str, str]] = Counter()
LINES: list[str] = []
"""Other lines a test wants printed at the end of the run (e.g. how many biased plugins the
principle suite caught)."""
"""(input kind, outcome) -> count; outcome is 'clean error' or 'valid result'."""


def record(kind: str, outcome: str) -> None:
    TALLY[(kind, outcome)] += 1


def lines(tally: Counter[tuple[str, str]]) -> list[str]:
    kinds = sorted({k for k, _ in tally})
    out = [f"{'input kind':<26}{'tried':>8}{'clean errors':>14}{'valid results':>15}"]
    for kind in kinds:
        errors, valid = tally[(kind, "clean error")], tally[(kind, "valid result")]
        out.append(f"{kind:<26}{errors + valid:>8,}{errors:>14,}{valid:>15,}")
    total = sum(tally.values())
    out.append(f"{'all':<26}{total:>8,}{sum(v for (_, o), v in tally.items() if o == 'clean error'):>14,}"
               f"{sum(v for (_, o), v in tally.items() if o == 'valid result'):>15,}")
    out.append("tracebacks, hangs and partial files: 0 (any one fails the suite)")
    return out
