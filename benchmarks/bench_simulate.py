"""Benchmark: the kernel (the draw with its trace off), whole simulated cycles, and how they
grow with the number of parties, side by side with the traced draw and CP-SAT.

Run on demand (not part of the test suite):

    pip install -e ".[bench]"
    python benchmarks/bench_simulate.py [--repeat 9] [--cycles 40] [--sizes 200 1000 2000]

Printed, all measured in one run (the machines are noisy: compare ratios):

- per start-group draw on the full bundled roster (2020-10-16), per method: the traced draw
  and the kernel (median ms), and CP-SAT on the same rules, first solution, for scale;
- whole cycles (start groups, three draws with history, workplan, costs, measures): cycles
  per second serially and with two worker processes, and the time 10,000 would take;
- tight caps (one or two reviews per reviewer): each method's draws of groups 1-3 with
  history, or the error that ended them;
- the generator's floor: lots drawn per cycle times the time of one lot, so the most cycles
  a second the specified generator allows on one core, whatever else is made faster;
- the kernel's `lots` and `sequential` draw of start group 1 on synthetic rosters of the
  sizes given (benchmarks/bench_scale.py builds them), with the exponent of time ~ n^k.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tocreview import Roster
from tocreview.draw.engine import draw
from tocreview.draw.kernel import Kernel
from tocreview.draw.problem import build_problem
from tocreview.model.result import DrawRequest, Pairing
from tocreview.rules import Parameters
from tocreview.rules import selection as sel
from tocreview.simulate import simulate

sys.path.insert(0, str(Path(__file__).parent))
from bench_scale import synthetic


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def draws(repeat: int, again: int = 10) -> None:
    """Per method: the traced draw; the kernel used once (compile, draw, list the pairings);
    and a compiled start group drawn under ``again`` further seeds: compile, draw (the
    choices of every place) and listing them as pairings, each timed on its own."""
    from tocreview.draw.engine import pairings_of

    roster = Roster.bundled(as_of="2020-10-16")
    params = Parameters()
    kernel = Kernel(roster, params)
    spread: list[str] = []
    print("per start-group draw, full bundled roster (median ms over groups 1-3 x seeds):")
    print(f"{'method':12} {'traced':>8} {'kernel':>8} {'ratio':>6} | compiled: "
          f"{'compile':>8} {'draw':>7} {'pairings':>9}")
    for method in ("sequential", "uniform", "lots"):
        traced, fast, compiling, drawing, listing = [], [], [], [], []
        for seed in range(repeat):
            groups = kernel.start_groups(seed)
            history: list[Pairing] = []
            for group in (1, 2, 3):
                t0 = time.perf_counter()
                one = draw(roster, params, group=group, seed=seed, method=method,
                           groups=groups, history=history)
                t1 = time.perf_counter()
                two = kernel.pairings(group=group, seed=seed, method=method, groups=groups,
                                      history=history)
                t2 = time.perf_counter()
                compiled = kernel.compile(group=group, groups=groups, history=history)
                t3 = time.perf_counter()
                assert one.pairings == two == compiled.pairings(seed, method)
                traced.append(t1 - t0)
                fast.append(t2 - t1)
                compiling.append(t3 - t2)
                for other in range(again):
                    t4 = time.perf_counter()
                    fill = compiled.fill(f"{seed}/{other}", method)
                    t5 = time.perf_counter()
                    pairings_of(compiled.problem, fill)
                    t6 = time.perf_counter()
                    drawing.append(t5 - t4)
                    listing.append(t6 - t5)
                history.extend(two)
        print(f"{method:12} {median_ms(traced):8.1f} {median_ms(fast):8.1f} "
              f"{statistics.median(traced) / statistics.median(fast):6.1f} |           "
              f"{median_ms(compiling):8.2f} {median_ms(drawing):7.2f} {median_ms(listing):9.2f}")
        low, _, high = statistics.quantiles(drawing, n=4)
        under = sum(t < 0.001 for t in drawing) / len(drawing)
        spread.append(f"  {method:11} {low * 1000:.2f}-{high * 1000:.2f} ms, "
                      f"{under:.0%} under 1 ms")
    print("compiled draw, quartiles:", *spread, sep="\n")
    try:
        from bench_draw import cpsat_draw
    except ImportError:  # pragma: no cover - ortools is the bench extra
        print("CP-SAT: not installed (pip install -e '.[bench]')")
        return
    groups = kernel.start_groups(0)
    request = DrawRequest(group=1, states_under_review=tuple(sorted(groups.group(1))),
                          seed="0", method="sequential", as_of=roster.as_of)
    problem = build_problem(roster, params, request, sel.options_in_force(params))
    times = []
    for seed in range(max(3, repeat // 3)):
        t0 = time.perf_counter()
        cpsat_draw(problem, seed, first_solution=True)
        times.append(time.perf_counter() - t0)
    print(f"{'CP-SAT':12} {'':>8} {median_ms(times):8.1f}   (first solution, model built "
          "each time)")


def cycles(count: int) -> None:
    roster = Roster.bundled(as_of="2020-10-16")
    print(f"\nwhole cycles of the adopted scenario ({count} runs; lots and sequential):")
    for method in ("lots", "sequential"):
        from tocreview.simulate import SimulationOptions

        options = SimulationOptions(method=method)
        t0 = time.perf_counter()
        serial = simulate(None, roster, runs=count, seed="bench", options=options)
        t1 = time.perf_counter()
        with ProcessPoolExecutor(2) as pool:
            spread = simulate(None, roster, runs=count, seed="bench", options=options,
                              executor=pool)
        t2 = time.perf_counter()
        assert spread == serial
        rate1, rate2 = count / (t1 - t0), count / (t2 - t1)
        print(f"  {method:11} serial {rate1:6.1f} cycles/s, 2 workers {rate2:6.1f} cycles/s; "
              f"10,000 cycles on 2 workers: about {10_000 / rate2 / 60:.0f} min")


def generator_floor(count: int) -> None:
    """What the specified generator alone costs per cycle: lots drawn per cycle (counted)
    times the time of one lot (SHA-256 counter mode, docs/randomness.md), so the most cycles
    a second any implementation of these methods in Python could run on one core."""
    from tocreview.draw import rng
    from tocreview.simulate import SimulationOptions

    roster = Roster.bundled(as_of="2020-10-16")
    calls = [0]
    plain = rng.Stream.below

    def counted(self: rng.Stream, n: int) -> int:
        calls[0] += 1
        return plain(self, n)

    stream = rng.Stream("bench", ("floor",))
    t0 = time.perf_counter()
    for _ in range(200_000):
        stream.below(150)
    per_lot = (time.perf_counter() - t0) / 200_000
    # One new stream per State and attempt: the first block of each is hashed anew.
    t0 = time.perf_counter()
    for i in range(50_000):
        rng.Stream("bench", ("floor", str(i))).below(150)
    first_lot = (time.perf_counter() - t0) / 50_000
    print(f"\ngenerator floor: one lot {per_lot * 1e6:.2f} us, the first lot of a new stream "
          f"{first_lot * 1e6:.2f} us")
    made_count = [0]
    plain_init = rng.Stream.__init__

    def init(self: rng.Stream, seed: str, key: Sequence[str]) -> None:
        made_count[0] += 1
        plain_init(self, seed, key)

    for method in ("lots", "sequential", "uniform"):
        rng.Stream.below = counted  # type: ignore[method-assign]
        rng.Stream.__init__ = init  # type: ignore[method-assign]
        calls[0] = made_count[0] = 0
        try:
            simulate(None, roster, runs=count, seed="floor",
                     options=SimulationOptions(method=method))
        finally:
            rng.Stream.below = plain  # type: ignore[method-assign]
            rng.Stream.__init__ = plain_init  # type: ignore[method-assign]
        lots, made = calls[0] / count, made_count[0] / count
        floor = made * first_lot + (lots - made) * per_lot
        print(f"  {method:11} {lots:7.0f} lots and {made:5.0f} streams per cycle: "
              f"{floor * 1000:5.2f} ms, at most {1 / floor:5.0f} cycles/s per core; "
              f"10,000 cycles on 2 cores take at least {10_000 * floor / 2:4.1f} s")


def caps(seeds: int) -> None:
    """Tight caps on reviews per reviewer: each method, start groups 1-3 with history, on the
    full roster; the time of each draw, or the error that ended it and when."""
    roster = Roster.bundled(as_of="2020-10-16")
    print("\ntight caps on reviews per reviewer, full roster, groups 1-3 with history (s):")
    for cap in (1, 2):
        kernel = Kernel(roster, Parameters(max_reviews_per_reviewer=cap))
        for method in ("sequential", "uniform", "lots"):
            for seed in range(seeds):
                groups = kernel.start_groups(seed)
                history: list[Pairing] = []
                cells = []
                for group in (1, 2, 3):
                    t0 = time.perf_counter()
                    try:
                        history.extend(kernel.pairings(group=group, seed=seed, method=method,
                                                       groups=groups, history=history))
                        cells.append(f"{time.perf_counter() - t0:6.2f}")
                    except Exception as exc:  # the error's name is the figure
                        cells.append(f"{type(exc).__name__} after "
                                     f"{time.perf_counter() - t0:.1f}{_witness(exc)}")
                        break
                print(f"  cap {cap} {method:11} seed {seed}: " + " | ".join(cells), flush=True)


def _witness(exc: Exception) -> str:
    """A rejection method's witness in brief: how rare a valid draw is, extrapolated."""
    survival = getattr(exc, "survival", None)
    exponent = survival.log10_valid_share() if survival is not None else None
    if exponent is None:
        return ""
    return (f" (half the attempts lost by State {survival.median + 1} of {survival.states}; "
            f"about 1 attempt in 10^{-exponent:.0f} valid)")


def scaling(sizes: list[int]) -> None:
    print("\nkernel draw of start group 1 on synthetic rosters (s):")
    print(f"{'parties':>8} {'lots':>8} {'sequential':>11} {'k (lots)':>9}")
    previous: tuple[int, float] | None = None
    for n in sizes:
        roster = synthetic(n)
        params = Parameters(no_group_mapping={})
        kernel = Kernel(roster, params)
        groups = kernel.start_groups("scale")
        t0 = time.perf_counter()
        kernel.pairings(group=1, seed="scale", groups=groups, method="lots")
        t1 = time.perf_counter()
        kernel.pairings(group=1, seed="scale", groups=groups, method="sequential")
        t2 = time.perf_counter()
        k = "" if previous is None else \
            f"{math.log((t1 - t0) / previous[1]) / math.log(n / previous[0]):9.2f}"
        print(f"{n:8,} {t1 - t0:8.3f} {t2 - t1:11.3f} {k}")
        previous = (n, t1 - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--cycles", type=int, default=40)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 1000, 2000])
    parser.add_argument("--cap-seeds", type=int, default=2)
    args = parser.parse_args()
    print(f"{platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    draws(args.repeat)
    cycles(args.cycles)
    generator_floor(max(5, args.cycles // 4))
    caps(args.cap_seeds)
    scaling(args.sizes)


if __name__ == "__main__":
    main()
