"""The simulation subcommands: simulate one scenario over many cycles; compare several."""

from __future__ import annotations

import argparse
import csv
import io
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

from tocreview.commands_base import Output, envelope, roster_from_args
from tocreview.comparison import Comparison, Figure, compare
from tocreview.errors import InputError
from tocreview.measures import SECTIONS, measure_named
from tocreview.report import Block, data_date_line, table
from tocreview.scenario import Scenario
from tocreview.simulate import MAX_RUNS, Estimate, Simulation, SimulationOptions, simulate

CONFIRM_RUNS = 2_000
"""The most runs a command makes without --force (a full cycle takes about 0.1 s)."""


def _ignore_interrupts() -> None:
    # Workers leave Ctrl-C to the parent, which stops them and says so in one line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _executor(workers: int) -> Iterator[Executor | None]:
    if workers < 1 or workers > 256:
        raise InputError(f"--workers {workers}: expected 1 to 256")
    if workers == 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _progress(what: str) -> Callable[[int, int], None] | None:
    """A progress line on a terminal's stderr; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        filled = round(30 * done / total)
        sys.stderr.write(f"\r{what} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}")
        if done >= total:
            sys.stderr.write("\r" + " " * (45 + len(what)) + "\r")
        sys.stderr.flush()

    return show


def _runs(args: argparse.Namespace, scenarios: int) -> int:
    runs: int = args.runs
    if not 1 <= runs <= MAX_RUNS:
        raise InputError(f"--runs {runs:,}: expected 1 to {MAX_RUNS:,}")
    if runs * scenarios > CONFIRM_RUNS and not args.force:
        raise InputError(f"--runs {runs:,}: {runs * scenarios:,} simulated cycles take long "
                         "(about 0.1 s each per worker); add --force to run them anyway")
    return runs


def _options(args: argparse.Namespace) -> SimulationOptions:
    rate: float = args.redraw_rate
    if not 0 <= rate <= 1:
        raise InputError(f"--redraw-rate {rate}: expected a share from 0 to 1")
    return SimulationOptions(method=args.method, redraw_rate=rate)


def cmd_simulate(args: argparse.Namespace) -> Output:
    roster = roster_from_args(args)
    scenario = Scenario.from_file(args.scenario) if args.scenario else Scenario()
    runs = _runs(args, 1)
    with _executor(args.workers) as pool:
        result = simulate(scenario, roster, runs=runs, seed=args.seed, executor=pool,
                          options=_options(args), progress=_progress("simulating"))
    if args.format == "json":
        return envelope("simulate", result, roster, result.citations.values())
    if args.format == "csv":
        return _csv([r.row() for r in result.records])
    return _simulation_report(result, scenario)


def cmd_compare(args: argparse.Namespace) -> Output:
    roster = roster_from_args(args)
    scenarios = [Scenario(name="adopted")] if args.with_baseline else []
    scenarios += [Scenario.from_file(path) for path in args.scenarios]
    if len(scenarios) < 2:
        raise InputError("give at least two scenarios to compare (or --with-baseline and one)")
    runs = _runs(args, len(scenarios))
    plot_to = args.plot
    if plot_to is not None:
        from tocreview.plot import check_target

        check_target(plot_to)
    with _executor(args.workers) as pool:
        result = compare(scenarios, roster, runs=runs, seed=args.seed, executor=pool,
                         options=_options(args), progress=_progress("comparing"))
    if plot_to is not None:
        from tocreview.plot import plot_comparison

        plot_comparison(result, plot_to)
    if args.format == "json":
        return envelope("compare", result, roster)
    if args.format == "csv":
        return _csv(_figure_rows(result))
    return _comparison_report(result, show_all=args.all, roster_line=data_date_line(roster))


def _csv(rows: Sequence[dict[str, object]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


def _figure_rows(result: Comparison) -> list[dict[str, object]]:
    rows = []
    for f in result.figures:
        for k, name in enumerate(result.scenarios):
            e, d = f.estimates[k], f.differences[k]
            rows.append({
                "section": f.section, "measure": f.measure, "scenario": name,
                "mean": e.mean, "low": e.low, "high": e.high,
                "difference": "" if d is None else d.mean,
                "difference_low": "" if d is None else d.low,
                "difference_high": "" if d is None else d.high,
                "status": f.status[k].value, "runs": e.runs,
            })
    return rows


def _number(value: float) -> str:
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def estimate_text(e: Estimate, signed: bool = False) -> str:
    """``mean ±half`` (the 95 % interval), or the mean alone when every run agreed."""
    centre = ("+" if signed and e.mean > 0 else "") + _number(e.mean)
    half = _number((e.high - e.low) / 2)
    return centre if half.strip("0.,") == "" else f"{centre} ±{half}"


def _comparison_report(result: Comparison, *, show_all: bool, roster_line: str) -> list[Block]:
    n = len(result.scenarios)
    blocks: list[Block] = [
        f"{n} scenarios, {result.runs:,} simulated cycles each on the same seeds (master seed "
        f"{result.master_seed!r}, method {result.options.method}); figures are means "
        "±half their 95 % interval; d(k) is scenario k less scenario 1, run by run.",
        *[f"  ({k + 1}) {name}: {key}" for k, (name, key) in
          enumerate(zip(result.scenarios, result.keys, strict=True))],
        roster_line, "",
    ]
    for section in SECTIONS:
        figures = [f for f in result.section(section) if show_all or f.differs]
        hidden = len(result.section(section)) - len(figures)
        plural = "figure is" if hidden == 1 else "figures are"
        title = section.capitalize() + (f" ({hidden} {plural} the same in every scenario; "
                                         "--all shows them)" if hidden else "")
        blocks.append(title)
        if figures:
            blocks.append(_section_table(figures, n))
        blocks.append("")
    differing = [e for e in result.effects if show_all or len(set(e.values)) > 1]
    if differing:
        blocks.append("What the options change, in words")
        blocks.append(table(["item", *[f"({k + 1})" for k in range(n)]],
                            [[e.item, *[f"{v} [{s.value}]" for v, s in
                                        zip(e.values, e.status, strict=True)]]
                             for e in differing]))
    blocks.append("Figures rest on assumed rates and modelled options where their status says "
                  "so; tocreview rules lists every source.")
    return blocks


def _section_table(figures: Sequence[Figure], n: int) -> Block:
    headers = ["measure", "(1)"]
    for k in range(2, n + 1):
        headers += [f"({k})", f"d({k})"]
    headers.append("least sure")
    rows = []
    for f in figures:
        cells: list[str | int | float] = [f.measure.split(".", 1)[1] if "." in f.measure
                                          else f.measure, estimate_text(f.estimates[0])]
        for k in range(1, n):
            difference = f.differences[k]
            cells += [estimate_text(f.estimates[k]),
                      "" if difference is None else estimate_text(difference, signed=True)]
        cells.append(", ".join(dict.fromkeys(s.value for s in f.status)))
        rows.append(cells)
    return table(headers, rows)


def _simulation_report(result: Simulation, scenario: Scenario) -> list[Block]:
    blocks: list[Block] = [
        f"{scenario.title}: {len(result.records):,} simulated cycles (master seed "
        f"{result.master_seed!r}, method {result.options.method}); means ±half their 95 % "
        "interval.",
    ]
    failures = sum(1 for r in result.records if r.failures)
    if failures:
        blocks.append(f"{failures:,} cycles had draws that could not be made (see --format csv)")
    blocks.append(f"data valid for: {result.data_valid_for}")
    blocks.append("")
    for section in SECTIONS:
        rows = [[name.split(".", 1)[1], estimate_text(e)] for name, e in result.summary.items()
                if measure_named(name).section == section]
        if rows:
            blocks += [section.capitalize(), table(["measure", "mean"], rows), ""]
    blocks.append("Sources of the values these figures rest on: "
                  + "; ".join(f"{k} {c.short()}" for k, c in sorted(result.citations.items())))
    return blocks
