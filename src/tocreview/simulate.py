"""Whole review cycles, simulated many times: start groups by lot, the yearly draws with their
history, redraw requests, the workplan and costs, each cycle measured (:mod:`measures`).

Run ``i`` of a simulation under master seed ``S`` uses the seed ``S/i`` for everything it
draws, so its result depends on nothing but ``S``, ``i`` and the inputs: runs may be spread
over any :class:`concurrent.futures.Executor` (a process pool, Dask) in any number of
chunks, and the records are the same. Scenarios compared under one master seed share every
run's seed (common random numbers), so their differences are measured run by run.

The draws go through the kernel (:class:`tocreview.draw.kernel.Kernel`): the same pairings as
the traced draw, without trace or receipt. A draw with a redraw request is made again with
its trace (the redraw rests on it). Plugins' ``draw_completed`` hooks see published draws
only; a simulated cycle publishes none.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date
from statistics import mean, stdev

from pydantic import BaseModel, ConfigDict, Field

from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.kernel import Kernel
from tocreview.draw.methods import SamplingExhausted, get_method
from tocreview.draw.redraw import RedrawRefused
from tocreview.draw.rng import sha256_streams
from tocreview.draw.search import SearchLimit
from tocreview.errors import InputError, TocreviewError
from tocreview.inputs import parse_date
from tocreview.measures import MEASURES, Categories, CycleFacts, measure
from tocreview.mechanism import Mechanism
from tocreview.model.citation import Citation, Status, assumption
from tocreview.model.result import Pairing
from tocreview.model.roster import Roster
from tocreview.rules.access import Actor
from tocreview.rules.costs import RATE_CITATIONS, cycle_costs, document_volume
from tocreview.rules.timeline import Stage, stages
from tocreview.scenario import Scenario

MAX_RUNS = 1_000_000
"""More runs than this is a mistake, not a study (an error, whatever --force says)."""
RATE_RESOLUTION = 1_000_000
"""A redraw request is made when a lot below this number falls under rate x this number."""

BURDEN_RATES_CITATION = assumption(
    "working days per review served and per phase hosted, and the cost of an expert's "
    "working day, are this library's orders of magnitude; no source gives them")


class SimulationOptions(BaseModel):
    """How the cycles are simulated (the choices the texts leave to the simulation)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    method: str = "sequential"
    redraw_rate: float = Field(default=0.0, ge=0, le=1, description="chance that a State "
                               "under review asks for one of its reviewers to be redrawn")
    as_of: date | None = Field(default=None, description="date of the facts (default: the "
                               "roster's); one date for the whole cycle")
    days_per_review_served: float = Field(default=10.0, ge=0, le=1000)
    days_per_phase_hosted: float = Field(default=20.0, ge=0, le=1000)
    cost_per_expert_day: float = Field(
        default=600.0, ge=0, le=100_000, description="what one working day of a State's "
        "governmental experts costs that State (USD; salary and overheads, assumed)")


class RunRecord(BaseModel):
    """One simulated cycle: its seed and every measure (flat, ready for a data frame)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: str
    run: int
    seed: str
    values: dict[str, float]
    failures: tuple[str, ...] = Field(default=(), description="why draws could not be made")

    def row(self) -> dict[str, object]:
        """The record as one flat row: scenario, run, seed, then each measure by name."""
        return {"scenario": self.scenario, "run": self.run, "seed": self.seed, **self.values}


class Estimate(BaseModel):
    """A mean over runs with its 95 % interval (Student t; a zero-width interval when every
    run gave the same value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mean: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Estimate:
        if not values:
            raise ValueError("no values")
        centre = mean(values)
        if len(values) < 2:
            return cls(mean=centre, low=centre, high=centre, runs=len(values))
        half = t_quantile(len(values) - 1) * stdev(values) / math.sqrt(len(values))
        return cls(mean=centre, low=centre - half, high=centre + half, runs=len(values))


class Simulation(BaseModel):
    """The runs of one scenario and their summary."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: str
    master_seed: str
    options: SimulationOptions
    records: tuple[RunRecord, ...]
    summary: dict[str, Estimate]
    served_per_party: dict[str, float] = Field(
        description="mean reviews served per party over the runs (descriptive: the "
        "comparison shows aggregates only)")
    received_per_party: dict[str, float]
    citations: dict[str, Citation]
    data_valid_for: str

    def rows(self) -> list[dict[str, object]]:
        return [r.row() for r in self.records]


def t_quantile(df: int) -> float:
    """The 97.5 % quantile of Student's t with ``df`` degrees of freedom."""
    table = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
             2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074,
             2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
    if df <= len(table):
        return table[df - 1]
    # Beyond 30 degrees of freedom: the normal quantile with a first-order correction.
    return 1.959964 * (1 + 1 / (4 * df))


@dataclass
class _Cycle:
    """Everything one worker needs, built once per chunk of runs."""

    mechanism: Mechanism
    options: SimulationOptions

    def __post_init__(self) -> None:
        m = self.mechanism
        self.as_of = self.options.as_of or m.roster.as_of
        self.kernel = Kernel(m.roster, m.parameters, as_of=self.as_of,
                             constraints=m.constraints, methods=m.plugins.draw_methods())
        self.coverage = m.coverage(self.as_of)
        # What does not change from run to run: the rates in force and document volumes.
        self.rates, _ = m.rates_in_force()
        pages, working, outcome = document_volume(m.policy, self.rates)
        self.pages_per_unit, self.words_per_unit = pages, working + outcome
        experts = next(s for s in stages(m.policy.experts_listed_before_draw)
                       if s.stage is Stage.EXPERTS)
        self.weeks_to_experts = experts.weeks + 52 / 12 * experts.months
        self.civil_society_documents = sum(
            1 for line in m.access(consent=False)
            if line.actor is Actor.CIVIL_SOCIETY and line.allowed)
        self.categories = Categories.of_roster(m.roster, self.as_of,
                                               self.options.days_per_review_served,
                                               self.options.days_per_phase_hosted,
                                               self.options.cost_per_expert_day)

    def run(self, master: str, index: int) -> tuple[RunRecord, Counter[str], Counter[str]]:
        m, options = self.mechanism, self.options
        seed = f"{master}/{index}"
        groups = self.kernel.start_groups(seed)
        facts = CycleFacts(groups=groups, pairings={},
                           not_reviewed=len(self.coverage.not_reviewed))
        failures: list[str] = []
        history: list[Pairing] = []
        for number in range(1, len(groups.groups) + 1):
            try:
                found = self.kernel.pairings(group=number, seed=seed, groups=groups,
                                             history=history, method=options.method)
            except (InfeasibleDraw, SamplingExhausted, SearchLimit) as exc:
                facts.failed += 1
                failures.append(f"group {number}: {type(exc).__name__}")
                continue
            if options.redraw_rate > 0:
                found = self._redraws(facts, seed, number, groups, history, found)
            facts.pairings[number] = found
            history.extend(found)
        per_year, volume, facts.phases_of = m.review_phases(groups, self.as_of)
        facts.costs = cycle_costs(m.policy, self.rates, per_year, volume)
        facts.weeks_to_experts = self.weeks_to_experts
        facts.pages_per_unit, facts.words_per_unit = self.pages_per_unit, self.words_per_unit
        facts.civil_society_documents = self.civil_society_documents
        values = measure(facts, m.parameters, self.categories, self.coverage.reviewed)
        served: Counter[str] = Counter()
        received: Counter[str] = Counter()
        for pairs in facts.pairings.values():
            distinct = {(p.under_review, p.reviewer) for p in pairs}
            served.update(r for _, r in distinct)
            received.update(s for s, _ in distinct)
        record = RunRecord(scenario=m.key, run=index, seed=seed, values=values,
                           failures=tuple(failures))
        return record, served, received

    def _redraws(self, facts: CycleFacts, seed: str, number: int, groups: object,
                 history: list[Pairing], found: tuple[Pairing, ...]) -> tuple[Pairing, ...]:
        """Redraw requests at the set rate: each State under review, in id order, asks with
        that chance for one of its reviewers (chosen by lot) to be redrawn."""
        lots = sha256_streams(seed)(("simulate", "redraw", str(number)))
        threshold = round(self.options.redraw_rate * RATE_RESOLUTION)
        reviewers: dict[str, list[str]] = {}
        for p in found:
            if p.reviewer not in reviewers.setdefault(p.under_review, []):
                reviewers[p.under_review].append(p.reviewer)
        requests = []
        for sur in sorted(reviewers):
            if lots.below(RATE_RESOLUTION) < threshold:
                names = sorted(reviewers[sur])
                requests.append((sur, names[lots.below(len(names))]))
        if not requests:
            return found
        traced = self.mechanism.draw(group=number, seed=seed, method=self.options.method,
                                     history=history, groups=groups,  # type: ignore[arg-type]
                                     as_of=self.as_of)
        for sur, rejected in requests:
            facts.redraw_requests += 1
            try:
                traced = self.mechanism.redraw(traced, state_under_review=sur,
                                               rejected=rejected)
            except RedrawRefused:
                facts.redraws_refused += 1
        return traced.pairings


_Chunk = tuple[list[RunRecord], Counter[str], Counter[str]]


class SimulationError(TocreviewError):
    """An error in a run, carried back from a worker as its message (the error types of the
    library do not all pickle, and an executor must be able to send it back)."""


def _run_chunk(mechanism: Mechanism, options: SimulationOptions, master: str,
               indices: Sequence[int]) -> _Chunk:
    """Runs ``indices``; top level so that an executor can send it to another process."""
    try:
        return _runs(mechanism, options, master, indices)
    except TocreviewError as exc:
        raise SimulationError(str(exc)) from None


def _runs(mechanism: Mechanism, options: SimulationOptions, master: str,
          indices: Sequence[int]) -> _Chunk:
    cycle = _Cycle(mechanism, options)
    records: list[RunRecord] = []
    served: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for index in indices:
        record, s, r = cycle.run(master, index)
        records.append(record)
        served.update(s)
        received.update(r)
    return records, served, received


def _chunks(runs: int, size: int) -> Iterator[list[int]]:
    for start in range(0, runs, size):
        yield list(range(start, min(runs, start + size)))


def simulate(
    scenario: Scenario | Mechanism | None = None,
    roster: Roster | None = None,
    runs: int = 100,
    seed: str | int = "simulate",
    executor: Executor | None = None,
    *,
    options: SimulationOptions | None = None,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Simulation:
    """Simulate ``runs`` review cycles of ``scenario`` on ``roster`` under master ``seed``.

    ``executor`` spreads chunks of runs over processes or machines; the result is the same
    whatever the executor and however the runs are chunked. ``progress(done, runs)`` is called
    as chunks finish.
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise InputError(f"runs: expected a whole number from 1 to {MAX_RUNS:,}, got {runs!r}")
    options = options or SimulationOptions()
    if options.as_of is not None:
        parse_date(options.as_of.isoformat(), what="as-of date")
    mechanism = scenario if isinstance(scenario, Mechanism) else Mechanism(scenario, roster)
    if roster is not None and isinstance(scenario, Mechanism):
        mechanism = mechanism.on(roster)
    get_method(options.method, mechanism.plugins.draw_methods())  # before any run starts
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(
            chunk_size, int) or chunk_size < 1):
        raise InputError(f"chunk_size: expected a whole number of runs, at least 1, "
                         f"got {chunk_size!r}")
    master = str(seed)
    size = chunk_size if chunk_size is not None else max(1, min(50, math.ceil(runs / 8)))
    chunks = list(_chunks(runs, size))
    results: list[_Chunk] = []
    done = 0
    if executor is None:
        for indices in chunks:
            results.append(_run_chunk(mechanism, options, master, indices))
            done += len(indices)
            if progress:
                progress(done, runs)
    else:
        futures = [executor.submit(_run_chunk, mechanism, options, master, indices)
                   for indices in chunks]
        try:
            for future, indices in zip(futures, chunks, strict=True):
                results.append(future.result())
                done += len(indices)
                if progress:
                    progress(done, runs)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return _summarise(mechanism, options, master, results, runs)


def _summarise(m: Mechanism, options: SimulationOptions, master: str,
               results: list[_Chunk], runs: int) -> Simulation:
    records = tuple(sorted((r for chunk in results for r in chunk[0]), key=lambda r: r.run))
    served: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for _, s, r in results:
        served.update(s)
        received.update(r)
    names = sorted({k for r in records for k in r.values})
    summary = {name: Estimate.of([r.values.get(name, 0.0) for r in records]) for name in names}
    drivers = sorted({d for measure_ in MEASURES for d in measure_.drivers})
    citations = {d: m.in_force[d] for d in drivers}
    citations["cost rates"] = RATE_CITATIONS["translation_per_word"]  # every rate is assumed
    citations["days_per_review_served"] = BURDEN_RATES_CITATION
    citations["days_per_phase_hosted"] = BURDEN_RATES_CITATION
    citations["cost_per_expert_day"] = BURDEN_RATES_CITATION
    if options.redraw_rate:
        citations["redraw_rate"] = Citation(document="simulation option",
                                            status=Status.ASSUMPTION)
    valid = "; ".join(f"{i.value} {d.isoformat()}" for i, d in sorted(
        m.roster.data_valid_for.items()))
    return Simulation(
        scenario=m.key, master_seed=master, options=options, records=records, summary=summary,
        served_per_party={k: v / runs for k, v in sorted(served.items())},
        received_per_party={k: v / runs for k, v in sorted(received.items())},
        citations=citations, data_valid_for=valid,
    )
