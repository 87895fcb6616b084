"""What each draw method makes likely, measured on the bundled roster.

For each method and each seed, draws the three start groups in turn (each with the earlier
groups' pairings as history) and reports, per start group, averages over the seeds of:
supplementary reviewers drawn, States under review with at least one, distinct States taking
part (under review or reviewing), and the reviewer load (most reviews by one State, and the
share of reviewers with more than two).

    python benchmarks/measure_methods.py --seeds 20 [--one-for-all] [--as-of 2020-10-16]

The figures in docs/drawing-of-lots.md come from this script.
"""

from __future__ import annotations

import argparse
from collections import Counter
from statistics import mean

from tocreview import Mechanism, Roster, Scenario
from tocreview.model.result import Role


def measure(method: str, seeds: int, as_of: str,
            overrides: dict[str, object]) -> list[dict[str, float]]:
    m = Mechanism(Scenario(overrides=overrides), Roster.bundled(as_of=as_of),
                  load_entry_points=False)
    rows: list[list[dict[str, float]]] = [[], [], []]
    for seed in range(seeds):
        history: list = []  # type: ignore[type-arg]
        groups = m.start_groups(seed)
        for number in (1, 2, 3):
            d = m.draw(group=number, seed=seed, method=method, history=history, groups=groups)
            history.extend(d.pairings)
            supp = {(p.under_review, p.side, p.reviewer) for p in d.pairings
                    if p.role is Role.SUPPLEMENTARY}
            load = Counter(r for _, r in {(p.under_review, p.reviewer) for p in d.pairings})
            rows[number - 1].append({
                "supplementary reviewers": len(supp),
                "States with one": len({s for s, _, _ in supp}),
                "States taking part": len(set(d.request.states_under_review) | set(load)),
                "most reviews by one State": max(load.values()),
                "reviewers with >2 reviews (%)": 100 * sum(v > 2 for v in load.values())
                / len(load),
            })
    return [{k: mean(r[k] for r in group) for k in group[0]} for group in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--as-of", default="2020-10-16")
    parser.add_argument("--one-for-all", action="store_true",
                        help="supplementary_draw = one_for_all_missing (default: per_instrument)")
    args = parser.parse_args()
    mode = "one_for_all_missing" if args.one_for_all else "per_instrument"
    overrides: dict[str, object] = {"supplementary_draw": mode}
    methods = ["sequential", "lots", "uniform"]
    results = {method: measure(method, args.seeds, args.as_of, overrides)
               for method in methods}
    keys = list(next(iter(results.values()))[0])
    print(f"means over seeds 0-{args.seeds - 1}, bundled roster as of {args.as_of}, "
          f"supplementary_draw = {mode}")
    print("| measure | group | " + " | ".join(methods) + " |")
    print("|---|---|" + "---|" * len(methods))
    for key in keys:
        for g in range(3):
            cells = " | ".join(f"{results[m][g][key]:.1f}" for m in methods)
            print(f"| {key} | {g + 1} | {cells} |")


if __name__ == "__main__":
    main()
