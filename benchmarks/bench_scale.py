"""How the drawing of lots grows with the number of parties, on synthetic rosters.

    python benchmarks/bench_scale.py [--sizes 1000 2000 5000 10000] [--repeat 3]
                                     [--traced-up-to 2000] [--opt-out]

Each roster has n States spread over the five regional groups in the real proportions, all
party to the Convention and, by a fixed pseudo-random rule, about 85, 70 and 55 per cent to
the three Protocols. Printed per size (seconds): the kernel's first draw, which builds the
lists its places share; then, median over a seed per repeat, the kernel's draw
(tocreview.draw.kernel, the draw with its trace off) of start group 1 and then of start
group 2 with group 1's pairings as history, for each method; for `uniform` and `lots`, the
time of start group 1 per State drawn over all attempts, in microseconds (how many attempts
a seed needs is chance, not size); and the traced, receipted
`draw` of start group 1 with `sequential` up to --traced-up-to parties (its trace lists
every pool, so it grows with places x candidates by its format). Then the exponent k of
time ~ n^k, least squares on the logarithms, per column.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
from datetime import date
from typing import Any

from tocreview.draw import methods
from tocreview.draw.engine import draw
from tocreview.draw.kernel import Kernel
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import Consent, Party, RegionalGroup
from tocreview.model.roster import Roster
from tocreview.rules.parameters import Parameters

SHARES = {RegionalGroup.AFRICAN: 54, RegionalGroup.ASIA_PACIFIC: 53,
          RegionalGroup.EASTERN_EUROPEAN: 23, RegionalGroup.LATIN_AMERICAN_CARIBBEAN: 33,
          RegionalGroup.WEOG: 29}
CITE = Citation(document="synthetic roster", status=Status.ASSUMPTION)


def _code(i: int) -> str:
    """The i-th three-letter id (AAA, AAB, ...): ids must look like ISO alpha-3 codes."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 676] + letters[i // 26 % 26] + letters[i % 26]


def synthetic(n: int) -> Roster:
    groups = [g for g, k in SHARES.items() for _ in range(k)]
    parties = []
    for i in range(n):
        consents = [Consent(instrument=Instrument.CONVENTION, deposited=date(2005, 1, 1),
                            source=CITE)]
        for inst, share in ((Instrument.TIP, 85), (Instrument.SOM, 70),
                            (Instrument.FIREARMS, 55)):
            if (i * 7919 + share * 31) % 100 < share:
                consents.append(Consent(instrument=inst, deposited=date(2006, 1, 1),
                                        source=CITE))
        parties.append(Party(id=_code(i), name=f"State {i}", group_source=CITE,
                             regional_group=groups[i % len(groups)], consents=tuple(consents)))
    return Roster.build(parties, as_of=date(2020, 10, 16))


METHODS = ("sequential", "uniform", "lots")


def measure(n: int, repeat: int, traced: bool, opt_out: bool = False) -> dict[str, float]:
    roster = synthetic(n)
    params = Parameters(no_group_mapping={})  # synthetic ids may be COK or NIU
    if opt_out:  # the opt-out clause in force, with the first five States opted out
        params = params.with_changes(opt_out_clause=True,
                                     opted_out=[_code(i) for i in range(5)])
    samples: dict[str, list[float]] = {}
    # One kernel per roster, as a simulation keeps one: its first draw also builds the lists
    # shared by class (timed on its own), the others reuse them.
    kernel = Kernel(roster, params)
    # The States `uniform` and `lots` draw, counted over every attempt, to time one State's
    # draw: how many attempts a seed needs is chance (a mutual review between two States of
    # the draw loses one, wherever it falls), not size.
    drawn = [0]
    plain = methods._attempt

    def counted(problem: Any, fill: Any, surs: Any, tag: Any, streams: Any, budget: Any,
                pair: Any, broken: Any) -> bool:
        def one(*args: Any) -> Any:
            drawn[0] += 1
            return pair(*args)

        return plain(problem, fill, surs, tag, streams, budget, one, broken)

    methods._attempt = counted  # type: ignore[assignment]
    t0 = time.perf_counter()
    kernel.pairings(group=1, seed="first", method="lots",
                    groups=kernel.start_groups("first"))
    samples["first"] = [time.perf_counter() - t0]
    for i in range(repeat):
        # A seed per repeat: `uniform` and `lots` redraw a whole attempt when it breaks a
        # rule, so one seed would time one attempt count; the median is over seeds.
        seed = f"scale-{i}"
        division = kernel.start_groups(seed)
        for method in METHODS:
            drawn[0] = 0
            t0 = time.perf_counter()
            first = kernel.pairings(group=1, seed=seed, method=method, groups=division)
            t1 = time.perf_counter()
            if method != "sequential":  # microseconds per State drawn, over all attempts
                samples.setdefault(f"{method} g1/s", []).append((t1 - t0) / drawn[0] * 1e6)
            kernel.pairings(group=2, seed=seed, method=method, groups=division,
                            history=first)
            t2 = time.perf_counter()
            samples.setdefault(f"{method} g1", []).append(t1 - t0)
            samples.setdefault(f"{method} g2", []).append(t2 - t1)
        if traced:
            t0 = time.perf_counter()
            draw(roster, params, group=1, seed=seed, groups=division)
            samples.setdefault("traced g1", []).append(time.perf_counter() - t0)
    methods._attempt = plain  # type: ignore[assignment]
    return {name: statistics.median(values) for name, values in samples.items()}


def exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) on log(n)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--traced-up-to", type=int, default=2000)
    parser.add_argument("--opt-out", action="store_true",
                        help="draw under the opt-out clause (a pairing constraint)")
    args = parser.parse_args()
    short = {"sequential": "seq", "uniform": "unif", "lots": "lots", "traced": "draw"}
    first = ["first"] + [f"{m} g{g}" for m in METHODS for g in (1, 2)]
    second = ["uniform g1/s", "lots g1/s", "traced g1"]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}; median of {args.repeat} (seconds)")
    print("first: the kernel's first draw (lots, group 1), which builds the lists shared by "
          "class;\nthen seq(uential), unif(orm), lots; g1: start group 1, g2: start group 2 "
          "with group 1 as history")
    table: dict[str, list[tuple[int, float]]] = {c: [] for c in first + second}

    def head(columns: list[str]) -> None:
        heads = [" ".join(short.get(w, w) for w in c.split()) for c in columns]
        print(f"{'parties':>8}" + "".join(f"{h:>10}" for h in heads))

    def line(n: int, row: dict[str, float], columns: list[str]) -> None:
        print(f"{n:>8,}" + "".join(f"{row[c]:>10.3f}" if c in row else f"{'-':>10}"
                                   for c in columns), flush=True)

    def exponents(columns: list[str]) -> None:
        print(f"{'k':>8}" + "".join(
            f"{exponent(table[c]):>10.2f}" if len(table[c]) > 1 else f"{'-':>10}"
            for c in columns))

    head(first)
    rows = []
    for n in args.sizes:
        row = measure(n, args.repeat, n <= args.traced_up_to, args.opt_out)
        rows.append((n, row))
        for name, value in row.items():
            table[name].append((n, value))
        line(n, row, first)
    exponents(first)
    print("\ng1/s: start group 1, microseconds per State drawn over all attempts "
          "(rejection\nmethods); draw g1: draw() (traced, receipted) of start group 1 with "
          "sequential, seconds")
    head(second)
    for n, row in rows:
        line(n, row, second)
    exponents(second)

if __name__ == "__main__":
    main()
