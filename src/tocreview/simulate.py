"""Side-by-side comparison of scenarios, with repeated draws under fixed seeds.

Every figure is computed from seeds 0..runs-1, so a comparison is reproducible; the draw
statistics are aggregates over all States and never name, order or score a State.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import mean

from pydantic import BaseModel, ConfigDict

from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.methods import SamplingExhausted
from tocreview.mechanism import Mechanism
from tocreview.model.result import Pairing, Role
from tocreview.model.roster import Roster
from tocreview.scenario import Scenario


class Comparison(BaseModel):
    """Rows of (item, value per scenario), in scenario order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenarios: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    runs: int

    def differing(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Only the rows where the scenarios differ."""
        return tuple(r for r in self.rows if len(set(r[1])) > 1)


def _draw_statistics(m: Mechanism, runs: int, method: str) -> dict[str, str]:
    reviewers_per_state: list[int] = []
    supplementary_share: list[float] = []
    busiest: list[int] = []
    failures = Counter[str]()
    for seed in range(runs):
        history: list[Pairing] = []
        groups = m.start_groups(seed)
        for number in range(1, len(groups.groups) + 1):
            try:
                result = m.draw(group=number, seed=seed, history=history, groups=groups,
                                method=method)
            except (InfeasibleDraw, SamplingExhausted) as exc:
                failures[type(exc).__name__] += 1
                continue
            history.extend(result.pairings)
            by_state: dict[str, set[str]] = {}
            for p in result.pairings:
                by_state.setdefault(p.under_review, set()).add(p.reviewer)
            reviewers_per_state.extend(len(v) for v in by_state.values())
            supp = sum(1 for p in result.pairings if p.role is Role.SUPPLEMENTARY)
            supplementary_share.append(supp / max(len(result.pairings), 1))
            load = Counter(r for _, r in {(p.under_review, p.reviewer)
                                          for p in result.pairings})
            busiest.append(max(load.values(), default=0))
    return {
        "draws: mean reviewing States per State under review":
            f"{mean(reviewers_per_state):.2f}" if reviewers_per_state else "-",
        "draws: share of pairings by supplementary reviewers":
            f"{mean(supplementary_share):.1%}" if supplementary_share else "-",
        "draws: most reviews by one reviewer in a year (mean over draws)":
            f"{mean(busiest):.2f}" if busiest else "-",
        "draws: draws that could not be made":
            ", ".join(f"{k} x{v}" for k, v in sorted(failures.items())) or "none",
    }


def compare(scenarios: Sequence[Scenario], roster: Roster, *, runs: int = 5,
            method: str = "sequential", load_entry_points: bool = True) -> Comparison:
    """Compare scenarios item by item: effects of their options, who is reviewed, the
    principles they trade, the cycle's cost by funding source, and draw statistics over
    ``runs`` seeds."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    columns: list[dict[str, str]] = []
    keys = []
    for scenario in scenarios:
        m = Mechanism(scenario, roster, load_entry_points=load_entry_points)
        keys.append(m.key)
        column = {f"{e.option}: {e.item}": e.value for e in m.effects()}
        coverage = m.coverage()
        column["coverage: States reviewed"] = str(len(coverage.reviewed))
        column["coverage: principles traded"] = ", ".join(coverage.principles_traded) or "none"
        costs = m.costs()
        for source, amount in costs.cycle_by_source.items():
            column[f"cost of the cycle (USD, assumed rates): {source}"] = f"{amount:,.0f}"
        column["cost of the cycle (USD, assumed rates): all"] = f"{costs.cycle_total:,.0f}"
        column.update(_draw_statistics(m, runs, method))
        columns.append(column)
    items = sorted({k for c in columns for k in c})
    rows = tuple((item, tuple(c.get(item, "-") for c in columns)) for item in items)
    return Comparison(scenarios=tuple(keys), rows=rows, runs=runs)
