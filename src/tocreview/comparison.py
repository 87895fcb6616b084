"""Scenarios side by side over simulated cycles, with common random numbers.

Every scenario runs on the same master seed, so run ``i`` of each uses the seed ``S/i``:
differences are taken run by run (paired), which is what makes small differences visible
with few runs. Each figure has a 95 % interval; each difference from the first scenario has
its own. A figure carries the least certain status among the values in force that drive it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor

from pydantic import BaseModel, ConfigDict, Field

from tocreview.errors import InputError
from tocreview.measures import SECTIONS, measure_named
from tocreview.mechanism import Mechanism
from tocreview.model.citation import Status
from tocreview.model.roster import Roster
from tocreview.scenario import Scenario
from tocreview.simulate import Estimate, Simulation, SimulationOptions, simulate


class Figure(BaseModel):
    """One measure across the scenarios."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str
    section: str
    definition: str
    unit: str
    estimates: tuple[Estimate, ...]
    differences: tuple[Estimate | None, ...] = Field(
        description="each scenario less the first, run by run (None for the first)")
    drivers: tuple[str, ...]
    status: tuple[Status, ...] = Field(
        description="per scenario, the least certain status of the values driving it")

    @property
    def differs(self) -> bool:
        """Whether any difference from the first scenario has an interval that excludes 0,
        or any scenario's mean differs from the first where every run agreed."""
        first = self.estimates[0].mean
        return any(
            d is not None and (d.low > 0 or d.high < 0 or (d.low == d.high and e.mean != first))
            for d, e in zip(self.differences, self.estimates, strict=True))


class EffectRow(BaseModel):
    """What an option changes, in words, per scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: str
    values: tuple[str, ...]
    status: tuple[Status, ...]


class Comparison(BaseModel):
    """Scenarios, figures by section, effects in words, and what the figures rest on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenarios: tuple[str, ...]
    keys: tuple[str, ...]
    runs: int
    master_seed: str
    options: SimulationOptions
    figures: tuple[Figure, ...]
    effects: tuple[EffectRow, ...]
    data_valid_for: str

    def section(self, name: str) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.section == name)


def compare(
    scenarios: Sequence[Scenario | Mechanism],
    roster: Roster | None = None,
    *,
    runs: int = 20,
    seed: str | int = "compare",
    options: SimulationOptions | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Simulate each scenario ``runs`` times on the same seeds and set them side by side."""
    if len(scenarios) < 1:
        raise InputError("give at least one scenario to compare")
    mechanisms = [s if isinstance(s, Mechanism) else Mechanism(s, roster) for s in scenarios]
    total = runs * len(mechanisms)
    sims: list[Simulation] = []
    for k, m in enumerate(mechanisms):
        def step(done: int, _: int, k: int = k) -> None:
            if progress:
                progress(k * runs + done, total)

        sims.append(simulate(m, runs=runs, seed=seed, executor=executor, options=options,
                             progress=step))
    names = sorted({n for s in sims for n in s.summary})
    figures = []
    for name in names:
        measure = measure_named(name)
        columns = [[r.values.get(name, 0.0) for r in s.records] for s in sims]
        estimates = tuple(Estimate.of(c) for c in columns)
        differences = tuple(
            None if k == 0 else Estimate.of([b - a for a, b in zip(columns[0], c, strict=True)])
            for k, c in enumerate(columns))
        status = tuple(
            Status.weakest([m.in_force[d].status for d in measure.drivers]
                           + ([Status.ASSUMPTION] if measure.assumed else [])
                           or [Status.ADOPTED])
            for m in mechanisms)
        figures.append(Figure(measure=name, section=measure.section,
                              definition=measure.definition, unit=measure.unit,
                              estimates=estimates, differences=differences,
                              drivers=measure.drivers, status=status))
    order = {s: k for k, s in enumerate(SECTIONS)}
    figures.sort(key=lambda f: (order.get(f.section, len(order)), f.measure))
    effects = _effects(mechanisms)
    titles = [s.title if isinstance(s, Scenario) else s.scenario.title for s in scenarios]
    return Comparison(scenarios=tuple(titles), keys=tuple(m.key for m in mechanisms),
                      runs=runs, master_seed=str(seed), options=sims[0].options,
                      figures=tuple(figures), effects=tuple(effects),
                      data_valid_for=sims[0].data_valid_for)


def _effects(mechanisms: Sequence[Mechanism]) -> list[EffectRow]:
    tables = [{f"{e.option}: {e.item}": e for e in m.effects()} for m in mechanisms]
    items = sorted({k for t in tables for k in t})
    rows = _coverage(mechanisms)
    for item in items:
        values = tuple(t[item].value if item in t else "-" for t in tables)
        status = tuple(t[item].citation.status if item in t else Status.ASSUMPTION
                       for t in tables)
        rows.append(EffectRow(item=item, values=values, status=status))
    return rows


def _coverage(mechanisms: Sequence[Mechanism]) -> list[EffectRow]:
    """Who is not reviewed and why, and the principles each scenario trades."""
    found = [m.coverage() for m in mechanisms]
    missing = tuple("; ".join(f"{state}: {why}" for state, why in sorted(c.not_reviewed.items()))
                    or "none" for c in found)
    traded = tuple(", ".join(c.principles_traded) or "none" for c in found)
    status = tuple(Status.weakest([m.in_force[k].status for k in ("opted_out", "reio_under_review")
                                   if k in m.in_force] or [Status.ADOPTED]) for m in mechanisms)
    return [EffectRow(item="coverage: not reviewed, and why", values=missing, status=status),
            EffectRow(item="coverage: principles traded", values=traded, status=status)]
