"""How the drawing of lots grows with the number of parties, on synthetic rosters.

    python benchmarks/bench_scale.py [--sizes 250 500 1000 2000 5000 10000] [--repeat 1]

Each roster has n States spread over the five regional groups in the real proportions, all
party to the Convention and, by a fixed pseudo-random rule, about 85, 70 and 55 per cent to
the three Protocols. Start group 1 (a third of the States) is drawn with the sequential
method. Printed per size: building the places and pools, the feasibility search, the whole
draw, and the exponent k of time ~ n^k fitted between consecutive sizes and over all.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
from datetime import date

from tocreview.draw.engine import draw
from tocreview.draw.feasibility import find_valid_fill
from tocreview.draw.problem import build_problem
from tocreview.draw.rng import sha256_streams
from tocreview.draw.start_groups import divide
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import Consent, Party, RegionalGroup
from tocreview.model.result import DrawRequest
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


def measure(n: int, repeat: int) -> tuple[float, float, float]:
    roster = synthetic(n)
    params = Parameters(no_group_mapping={})  # synthetic ids may be COK or NIU
    division = divide(roster, params, sha256_streams("scale"), roster.as_of)
    members = division.group(1)
    request = DrawRequest(group=1, states_under_review=tuple(sorted(members)), seed="scale",
                          method="sequential", as_of=roster.as_of)
    build, feasible, whole = [], [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        problem = build_problem(roster, params, request, ())
        t1 = time.perf_counter()
        find_valid_fill(problem)
        t2 = time.perf_counter()
        draw(roster, params, group=1, seed="scale", groups=division)
        t3 = time.perf_counter()
        build.append(t1 - t0)
        feasible.append(t2 - t1)
        whole.append(t3 - t2)
    return (statistics.median(build), statistics.median(feasible), statistics.median(whole))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[250, 500, 1000, 2000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; start group 1 "
          f"(a third of the States), sequential; median of {args.repeat} (seconds)")
    print(f"{'parties':>8}{'pools':>10}{'feasibility':>13}{'whole draw':>12}{'k (draw)':>10}")
    rows = []
    for n in args.sizes:
        build, feasible, whole = measure(n, args.repeat)
        k = ""
        if rows:
            k = f"{math.log(whole / rows[-1][3]) / math.log(n / rows[-1][0]):.2f}"
        rows.append((n, build, feasible, whole))
        print(f"{n:>8,}{build:>10.3f}{feasible:>13.3f}{whole:>12.3f}{k:>10}", flush=True)
    if len(rows) > 2:
        xs = [math.log(r[0]) for r in rows]
        ys = [math.log(r[3]) for r in rows]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - mx) ** 2 for x in xs)
        print(f"fitted exponent over all sizes (least squares on logs): {slope:.2f}")


if __name__ == "__main__":
    main()
