"""Simulated review cycles: reproducible whatever runs them, measured right (checked against
exact values by enumeration), compared on common random numbers, and usable from the command
line."""

from __future__ import annotations

import csv
import io
import json
import math
import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from drawkit import SOURCE

from tocreview import Instrument, RegionalGroup, Roster, Scenario, hookimpl
from tocreview.cli import main
from tocreview.comparison import compare
from tocreview.draw.engine import draw
from tocreview.draw.methods import Declaration, DrawMethod
from tocreview.draw.rng import sha256_streams
from tocreview.draw.start_groups import divide
from tocreview.errors import InputError
from tocreview.measures import MEASURES
from tocreview.mechanism import Mechanism
from tocreview.model import Consent, DevelopmentStatus, Party
from tocreview.model.result import StartGroups
from tocreview.rules import Parameters
from tocreview.rules.principles import ranking_fields
from tocreview.schemas import DATA
from tocreview.simulate import (
    Estimate,
    SimulationError,
    SimulationOptions,
    simulate,
    t_quantile,
)
from tocreview.testing.exact import REJECTED, enumerate_distribution

ROSTER = Roster.bundled(as_of="2020-10-16")
C, T, S, F = Instrument.CONVENTION, Instrument.TIP, Instrument.SOM, Instrument.FIREARMS
AF, WE = RegionalGroup.AFRICAN, RegionalGroup.WEOG


def state(ident: str, group: RegionalGroup, instruments: list[Instrument],
          ldc: bool = False) -> Party:
    from datetime import date

    return Party(
        id=ident, name=f"State {ident}", regional_group=group, group_source=SOURCE,
        consents=tuple(Consent(instrument=i, deposited=date(2010, 1, 1), source=SOURCE)
                       for i in instruments),
        development=(DevelopmentStatus(category="ldc", source=SOURCE),) if ldc else (),
    )


SMALL = Roster.build([
    state("AAA", AF, [C, T], ldc=True), state("BBB", AF, [C]), state("CCC", AF, [C, T]),
    state("WWW", WE, [C, T]), state("XXX", WE, [C], ldc=True), state("YYY", WE, [C, T]),
])


def test_same_master_seed_same_records_whatever_runs_them() -> None:
    serial = simulate(None, ROSTER, runs=4, seed="m")
    assert serial == simulate(None, ROSTER, runs=4, seed="m", chunk_size=1)
    with ThreadPoolExecutor(2) as threads:
        assert simulate(None, ROSTER, runs=4, seed="m", executor=threads) == serial
    with ProcessPoolExecutor(2) as processes:
        assert simulate(None, ROSTER, runs=4, seed="m", executor=processes,
                        chunk_size=1) == serial
    assert simulate(None, ROSTER, runs=4, seed="n") != serial
    assert [r.seed for r in serial.records] == ["m/0", "m/1", "m/2", "m/3"]


def test_dask_gives_the_same_records() -> None:
    distributed = pytest.importorskip("distributed")
    serial = simulate(None, ROSTER, runs=3, seed="d")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert simulate(None, ROSTER, runs=3, seed="d", executor=client.get_executor(),
                        chunk_size=1) == serial


def test_what_crosses_a_process_boundary_pickles() -> None:
    m = Mechanism(Scenario(variants=("marrakech",)), ROSTER)
    result = simulate(m, runs=2, seed="p")
    assert pickle.loads(pickle.dumps(result)) == result
    assert pickle.loads(pickle.dumps(m)).key == m.key


def test_a_run_is_its_draws() -> None:
    # Run i draws exactly what the published, traced draws under the seed S/i give.
    result = simulate(None, ROSTER, runs=1, seed="t")
    m = Mechanism(None, ROSTER)
    groups = m.start_groups("t/0")
    history: list = []  # type: ignore[type-arg]
    served = 0
    for number in (1, 2, 3):
        drawn = m.draw(group=number, seed="t/0", groups=groups, history=history)
        history.extend(drawn.pairings)
        served += len({(p.under_review, p.reviewer) for p in drawn.pairings})
        members = set(groups.groups[number - 1]) | {p.reviewer for p in drawn.pairings}
        assert result.records[0].values[f"participation.group_{number}"] == len(members)
    assert sum(result.received_per_party.values()) == served


@pytest.mark.parametrize("method", ["sequential", "uniform", "lots"])
def test_simulated_means_match_exact_values_by_enumeration(method: str) -> None:
    # Three start groups of one African and one WEOG State each. The exact distribution of
    # start group 1 (the start-group lottery, then its draw) comes from the traced engine,
    # every lot enumerated; the simulation draws it through the kernel under 300 seeds.
    m = Mechanism(Scenario(), SMALL)
    params: Parameters = m.parameters

    # The lottery gives each start group one State of each region (the share rule), so group
    # 1 is a uniform pair (African, WEOG): the 9 pairs are equally likely.
    african, weog = ["AAA", "BBB", "CCC"], ["WWW", "XXX", "YYY"]
    assert {tuple(sorted(g)) for seed in range(30)
            for g in divide(SMALL, params, sha256_streams(str(seed))).groups} <= {
        (a, w) for a in african for w in weog}
    budget = params.with_changes(max_uniform_attempts=1)  # a rejection is an outcome
    accepted: dict[frozenset[tuple[str, str, str]], Fraction] = {}
    for pair in ((a, w) for a in african for w in weog):
        def run(streams, pair=pair):  # type: ignore[no-untyped-def]
            return draw(SMALL, budget, group=1, seed="x", method=method, streams=streams,
                        groups=StartGroups(groups=(pair,), trace=()))

        found = {o: p for o, p in enumerate_distribution(run).items() if o != REJECTED}
        # Rejection sampling: the accepted outcomes, renormalised, weighted by 1/9.
        total = sum(found.values())
        for o, p in found.items():
            accepted[o] = accepted.get(o, Fraction(0)) + p / total / 9
    total = sum(accepted.values())
    ldc = {"AAA", "XXX"}

    def figures(o: frozenset[tuple[str, str, str]]) -> dict[str, float]:
        pairs = {(s, r) for s, r, _ in o}
        under_review = {s for s, _ in pairs}
        return {
            "participation.group_1": len(under_review | {r for _, r in pairs}),
            "ldc under review in group 1": len(under_review & ldc),
        }

    runs = 300
    result = simulate(m, runs=runs, seed="exact", options=SimulationOptions(method=method))
    simulated = {
        "participation.group_1": [r.values["participation.group_1"] for r in result.records],
        "ldc under review in group 1": [
            len(set(divide(SMALL, params, sha256_streams(r.seed)).groups[0]) & ldc)
            for r in result.records],
    }
    for name, values in simulated.items():
        mean = sum(p * Fraction(figures(o)[name]) for o, p in accepted.items()) / total
        square = sum(p * Fraction(figures(o)[name]) ** 2 for o, p in accepted.items()) / total
        spread = math.sqrt(float(square - mean ** 2) / runs)
        assert set(values) <= {figures(o)[name] for o in accepted}
        # Four standard errors: a false alarm has chance below 1e-4 (fixed seeds: it either
        # always passes or always fails).
        assert abs(sum(values) / runs - float(mean)) <= 4 * spread + 1e-12, name


def test_measures_count_what_they_say() -> None:
    result = simulate(None, ROSTER, runs=1, seed="c")
    values = result.records[0].values
    assert {m.name for m in MEASURES} <= set(values)
    assert values["coverage.reviewed"] + values["coverage.not_reviewed"] == sum(
        1 for p in ROSTER.parties if p.is_party_to("convention", ROSTER.as_of))
    # Each State under review hosts four phases of one cluster under the adopted workplan.
    assert values["process.phases"] == 4 * values["coverage.reviewed"]
    assert values["process.volume"] == sum(
        len(ROSTER.get(s).instruments(ROSTER.as_of))
        for s in Mechanism(None, ROSTER).coverage().reviewed)


def test_own_costs_and_yearly_costs_follow_their_definitions() -> None:
    """A State's own cost is its working days at the day rate, whoever funds the mechanism;
    a year's cost is the cycle's over its years, and the dearest year costs at least that."""
    runs = {name: simulate(Scenario(variants=(name,)), ROSTER, runs=1, seed="y",
                           options=SimulationOptions(cost_per_expert_day=250.0,
                                                     method="lots")).records[0].values
            for name in ("regular-budget", "voluntary-contributions")}
    for values in runs.values():
        for category in ("ldc", "lldc", "sids", "others"):
            assert values[f"burden.own_cost.{category}"] == pytest.approx(
                values[f"burden.days.{category}"] * 250.0)
        years = len(Mechanism(None, ROSTER).costs().per_year)
        assert values["costs.per_year"] == pytest.approx(values["costs.total"] / years)
        assert values["costs.peak_year"] >= values["costs.per_year"] > 0
        by_source = {k: v for k, v in values.items() if k.startswith("costs.per_year.")}
        assert sum(by_source.values()) == pytest.approx(values["costs.per_year"])
    regular, voluntary = runs["regular-budget"], runs["voluntary-contributions"]
    assert regular["costs.per_year.regular_budget"] == pytest.approx(regular["costs.per_year"])
    assert "costs.per_year.regular_budget" not in voluntary
    assert regular["burden.own_cost.ldc"] == voluntary["burden.own_cost.ldc"]


def test_sequencing_changes_phases_not_what_is_reviewed() -> None:
    base = Mechanism(None, ROSTER).costs()
    at_once = Mechanism(Scenario(overrides={"sequencing": "all_at_once"}), ROSTER).costs()
    in_turn = Mechanism(Scenario(overrides={"sequencing": "one_instrument_at_a_time"}),
                        ROSTER).costs()
    reviews = sum(len(ROSTER.get(s).instruments(ROSTER.as_of))
                  for s in Mechanism(None, ROSTER).coverage().reviewed)
    assert sum(in_turn.reviews_per_year.values()) == reviews  # one phase per instrument
    assert sum(at_once.reviews_per_year.values()) * 4 == sum(base.reviews_per_year.values())
    for costs in (base, at_once, in_turn):
        assert sum(costs.volume_per_year.values()) == reviews
    assert at_once.cycle_total < in_turn.cycle_total < base.cycle_total


def test_intervals() -> None:
    assert t_quantile(1) == 12.706 and abs(t_quantile(1000) - 1.960) < 0.001
    e = Estimate.of([1.0, 2.0, 3.0])
    assert e.mean == 2.0 and math.isclose(e.high - e.mean, 4.303 / math.sqrt(3))
    assert Estimate.of([5.0, 5.0]).low == 5.0


def test_comparison_pairs_runs_and_cites_what_drives_a_difference() -> None:
    opt_out = Scenario(variants=("opt-out-clause",), overrides={"opted_out": ["FRA", "DEU"]})
    result = compare([Scenario(), opt_out], ROSTER, runs=3, seed="k")
    reviewed = next(f for f in result.figures if f.measure == "coverage.reviewed")
    assert reviewed.estimates[0].mean - reviewed.estimates[1].mean == 2
    assert reviewed.differences[1] is not None and reviewed.differences[1].mean == -2
    assert reviewed.differs and reviewed.status[1].value in ("proposal", "assumption")
    # Common random numbers: a scenario compared with itself differs by exactly nothing.
    same = compare([Scenario(), Scenario()], ROSTER, runs=3, seed="k")
    assert all(d.low == d.high == 0 for f in same.figures for d in f.differences if d)
    assert not any(f.differs for f in same.figures)
    assert not list(ranking_fields(result))


def test_runs_are_bounded() -> None:
    with pytest.raises(InputError):
        simulate(None, ROSTER, runs=0)
    with pytest.raises(InputError):
        simulate(None, ROSTER, runs=True)  # type: ignore[arg-type]


def test_simulate_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["simulate", "--runs", "2", "--as-of", "2020-10-16"]) == 0
    out = capsys.readouterr().out
    assert "2 simulated cycles" in out and max(len(line) for line in out.splitlines()) <= 100
    assert main(["simulate", "--runs", "2", "--as-of", "2020-10-16", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["seed"] for r in rows] == ["simulate/0", "simulate/1"]
    assert main(["simulate", "--runs", "2", "--as-of", "2020-10-16", "--format", "json",
                 "--workers", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    DATA["simulate"].model_validate(data["data"])
    assert [r["seed"] for r in data["data"]["records"]] == ["simulate/0", "simulate/1"]
    assert main(["simulate", "--runs", "5000"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["simulate", "--runs", "1", "--redraw-rate", "2"]) == 2
    assert main(["simulate", "--runs", "1", "--workers", "0"]) == 2


def test_compare_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "opt-out.toml"
    path.write_text('name = "two opt out"\nvariants = ["opt-out-clause"]\n'
                    '[overrides]\nopted_out = ["FRA", "DEU"]\n')
    assert main(["compare", "--with-baseline", str(path), "--as-of", "2020-10-16",
                 "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "(2) two opt out: untoc-2018+opt-out-clause+overrides-" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    row = next(line for line in out.splitlines() if line.startswith("reviewed "))
    assert row.split()[1:4] == ["188.0", "186.0", "-2.00"]
    assert main(["compare", str(path)]) == 2
    assert "at least two scenarios" in capsys.readouterr().err
    assert main(["compare", "--with-baseline", str(path), "--runs", "1", "--format",
                 "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["scenario"] for r in rows} == {"adopted", "two opt out"}


def test_compare_plot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "chart.png"
    scenario = tmp_path / "s.toml"
    scenario.write_text('overrides = { sequencing = "all_at_once" }\n')
    assert main(["compare", "--with-baseline", str(tmp_path / "s.toml"), "--runs", "1",
                 "--plot", str(tmp_path / "chart.txt")]) == 2
    assert "must end in" in capsys.readouterr().err
    assert main(["compare", "--with-baseline", str(scenario), "--runs", "2",
                 "--plot", str(chart)]) == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob(".*partial*"))


@pytest.mark.parametrize("variant", [
    "marrakech", "working-group-participation", "no-civil-society",
    "experts-include-academia", "experts-listed-before-draw", "questionnaire-diverse-sources",
])
def test_each_option_changes_a_measured_figure_or_says_it_does_not(variant: str) -> None:
    result = compare([Scenario(), Scenario(variants=(variant,))], ROSTER, runs=2, seed="o")
    changed = [f.measure for f in result.figures if f.differs]
    silent = [e for e in result.effects if len(set(e.values)) > 1
              and ("nothing modelled" in e.values[1] or "unchanged" in e.values[1])]
    assert changed or silent, variant
    expected = {
        "marrakech": "process.meeting_days", "working-group-participation": "costs.total",
        "no-civil-society": "process.meeting_days",
        "experts-listed-before-draw": "process.weeks_to_experts",
        "questionnaire-diverse-sources": "costs.total",
    }
    if variant in expected:
        assert expected[variant] in changed


def test_every_measure_is_defined_in_the_guide() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "simulate.md").read_text()
    for m in MEASURES:
        parts = m.name.split(".")
        if parts[0] == "burden":
            pattern = f"`burden.{parts[1]}.group_G`" if parts[2].startswith("group_") \
                else f"`burden.{parts[1]}.C`"
        elif parts[0] == "participation":
            pattern = "`participation.group_1` (2, 3)"
        else:
            pattern = f"`{m.name}`"
        assert pattern in guide, m.name


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_a_simulation_in_one_line(workers: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    run = subprocess.Popen(
        [sys.executable, "-m", "tocreview", "simulate", "--runs", "3000", "--force",
         "--workers", workers, "--as-of", "2020-10-16"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "tocreview: interrupted"
    assert out == ""


def _crash(problem, start, streams, tracer):  # type: ignore[no-untyped-def]
    raise RuntimeError("boom")


class CrashingMethod:
    """A plugin whose draw method fails (module level, so a worker process can load it)."""

    @hookimpl
    def register_draw_methods(self, register: Any) -> None:
        register(DrawMethod("crash", "fails", _crash, Declaration.EXCHANGEABLE))


@pytest.mark.parametrize("pool", [False, True])
def test_an_error_in_a_worker_comes_back_as_one_typed_error(pool: bool) -> None:
    m = Mechanism(Scenario(), ROSTER, plugins=[CrashingMethod()], load_entry_points=False)
    options = SimulationOptions(method="crash")
    if not pool:
        with pytest.raises(SimulationError, match="draw method crash.*boom"):
            simulate(m, runs=2, seed="e", options=options)
        return
    with ProcessPoolExecutor(2) as processes, \
            pytest.raises(SimulationError, match="draw method crash.*boom"):
        simulate(m, runs=2, seed="e", options=options, executor=processes, chunk_size=1)


def test_every_measure_names_real_drivers_and_costs_are_never_surer_than_their_rates() -> None:
    m = Mechanism(Scenario(), ROSTER)
    for measure in MEASURES:
        assert set(measure.drivers) <= set(m.in_force), measure.name
    result = compare([Scenario(), Scenario()], ROSTER, runs=1, seed="s")
    for figure in result.figures:
        if figure.measure.startswith(("costs.", "burden.days.", "process.pages")):
            assert figure.status[0].value == "assumption", figure.measure


@pytest.mark.parametrize("size", [0, -1, True, 1.5])
def test_a_bad_chunk_size_is_an_error(size: object) -> None:
    with pytest.raises(InputError, match="chunk_size"):
        simulate(None, ROSTER, runs=2, chunk_size=size)  # type: ignore[arg-type]
