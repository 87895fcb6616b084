"""Benchmark: draw all three start groups on the full bundled roster, side by side with the
same draw written for Google OR-Tools CP-SAT (a random objective gives it randomness).

Run on demand (not part of the test suite):

    pip install -e ".[bench]"
    python benchmarks/bench_draw.py [--repeat 5] [--as-of 2020-10-16]

Prints the median time per group draw for each method, for the feasibility check alone, and
for CP-SAT, all measured in the same run, and the ratios. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from tocreview import Roster
from tocreview.draw.check import check
from tocreview.draw.engine import draw, start_groups
from tocreview.draw.feasibility import find_valid_fill
from tocreview.draw.problem import Problem, build_problem
from tocreview.model.result import DrawRequest, Pairing, Side
from tocreview.rules import Parameters
from tocreview.rules.parameters import SupplementaryDraw


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


SUPP_OBJ = True
VERBOSE = False


def cpsat_draw(problem: Problem, seed: int, time_limit: float = 60.0,
               first_solution: bool = False) -> list[Pairing]:
    """The same draw as a CP-SAT model: per place one main reviewer and at most one
    supplementary reviewer (only when the main one lacks an instrument); every instrument of
    the State is held by one of the two; no mutual reviews. A random objective over the
    choices gives the solver its randomness."""
    from ortools.sat.python import cp_model

    began = time.perf_counter()
    rng = random.Random(seed)
    model = cp_model.CpModel()
    main: dict[tuple[str, Side, str], cp_model.IntVar] = {}
    supp: dict[tuple[str, Side, str], cp_model.IntVar] = {}
    objective = []
    for place in problem.places:
        sur, side = place
        pool = problem.main_pool[place]
        wanted = problem.instruments[sur]
        for r in pool:
            main[(sur, side, r)] = model.new_bool_var("")
            supp[(sur, side, r)] = model.new_bool_var("")
            objective.append(rng.randint(0, 1000) * main[(sur, side, r)])
            objective.append(rng.randint(0, 1000) * supp[(sur, side, r)]) if SUPP_OBJ else None
        model.add_exactly_one(main[(sur, side, r)] for r in pool)
        lacking = [main[(sur, side, r)] for r in pool if problem.missing(place, r)]
        model.add(sum(supp[(sur, side, r)] for r in pool) <= sum(lacking))
        for r in pool:
            model.add(main[(sur, side, r)] + supp[(sur, side, r)] <= 1)
        for inst in wanted:
            holders = [r for r in pool if inst in problem.instruments[r]]
            model.add(sum(main[(sur, side, r)] + supp[(sur, side, r)] for r in holders) >= 1)
    surs = set(problem.states_under_review)
    for sur in surs:
        for r in surs:
            if sur < r:
                both = [d[k] for d in (main, supp) for s in Side
                        for k in ((sur, s, r), (r, s, sur)) if k in d]
                if len(both) > 1:
                    model.add(sum(both) <= 1)
    model.maximize(sum(objective))
    built = time.perf_counter()
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.stop_after_first_solution = first_solution
    status = solver.solve(model)
    if VERBOSE:
        print(f"  CP-SAT: model built in {built - began:.2f} s, solved in "
              f"{time.perf_counter() - built:.2f} s ({solver.status_name(status)})")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT found no draw: {solver.status_name(status)}")
    if status != cp_model.OPTIMAL and not first_solution:
        print(f"  (CP-SAT stopped at its {time_limit} s limit without proving optimality)")
    out = []
    for place in problem.places:
        sur, side = place
        m = next(r for r in problem.main_pool[place] if solver.value(main[(sur, side, r)]))
        s = next((r for r in problem.main_pool[place] if solver.value(supp[(sur, side, r)])),
                 None)
        for inst in problem.instruments[sur]:
            who = m if inst in problem.instruments[m] else s
            assert who is not None
            out.append(Pairing(under_review=sur, reviewer=who, instrument=inst, side=side))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="2020-10-16")
    parser.add_argument("--optimal", action="store_true",
                        help="let CP-SAT prove its random objective optimal (slow) instead of "
                        "stopping at its first solution")
    args = parser.parse_args()
    roster = Roster.bundled(as_of=date.fromisoformat(args.as_of))
    # The CP-SAT model draws one supplementary reviewer for all the missing instruments, so
    # the comparison runs under that option; the default is timed on its own below.
    params = Parameters(supplementary_draw=SupplementaryDraw.ONE_FOR_ALL_MISSING)
    division = start_groups(roster, params, seed="bench")
    rows = []
    lots_rows = []
    history: list[Pairing] = []
    for group in (1, 2, 3):
        request = DrawRequest(group=group, states_under_review=division.group(group),
                              seed="bench", method="sequential", as_of=roster.as_of,
                              history=tuple(history))

        def feasibility(request: DrawRequest = request) -> object:
            return find_valid_fill(build_problem(roster, params, request))

        t_feas, _ = timed(feasibility, args.repeat)
        t_seq, result = timed(lambda g=group, h=tuple(history): draw(
            roster, params, group=g, seed="bench", method="sequential", history=h,
            groups=division), args.repeat)
        t_uni, _ = timed(lambda g=group, h=tuple(history): draw(
            roster, params, group=g, seed="bench", method="uniform", history=h,
            groups=division), args.repeat)
        t_lots, _ = timed(lambda g=group, h=tuple(history): draw(
            roster, params, group=g, seed="bench", method="lots", history=h,
            groups=division), args.repeat)
        per = {method: timed(lambda g=group, h=tuple(history), m=method: draw(
            roster, Parameters(), group=g, seed="bench", method=m, history=h,
            groups=division), args.repeat)[0] for method in ("sequential", "uniform", "lots")}
        problem = build_problem(roster, params, request)
        t_cp, cp_pairings = timed(
            lambda p=problem: cpsat_draw(p, 7, first_solution=not args.optimal), args.repeat)
        assert isinstance(cp_pairings, list)
        problems = check(cp_pairings, roster, params, history=history)
        assert not problems, problems[:3]
        rows.append((group, len(request.states_under_review), t_feas, t_seq, t_uni, t_cp))
        lots_rows.append((group, t_lots, per["sequential"], per["uniform"], per["lots"]))
        history.extend(result.pairings)  # type: ignore[attr-defined]

    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    mode = "to a proven optimum" if args.optimal else "stopping at its first solution"
    print(f"roster as of {args.as_of}; median of {args.repeat} runs per cell (milliseconds); "
          f"CP-SAT {mode}, 2 workers\n")
    print("group  States  feasibility  sequential  uniform  CP-SAT  CP/seq  CP/uni  CP/feas")
    for g, n, f, s, u, c in rows:
        print(f"{g:>5}  {n:>6}  {f * 1e3:>11.1f}  {s * 1e3:>10.1f}  {u * 1e3:>7.1f}  "
              f"{c * 1e3:>6.0f}  {c / s:>6.1f}  {c / u:>6.1f}  {c / f:>7.1f}")
    med = [statistics.median(col) for col in list(zip(*rows, strict=True))[2:]]
    print(f"\nmedian over groups: feasibility {med[0] * 1e3:.1f} ms, sequential "
          f"{med[1] * 1e3:.1f} ms, uniform {med[2] * 1e3:.1f} ms, CP-SAT {med[3] * 1e3:.0f} ms; "
          f"CP-SAT/sequential {med[3] / med[1]:.1f}x, CP-SAT/uniform {med[3] / med[2]:.1f}x, "
          f"CP-SAT/feasibility {med[3] / med[0]:.1f}x")
    print("\nlots (one for all missing), and the three methods under the default "
          "(supplementary reviewers per missing instrument), milliseconds:")
    print("group  lots  | per instrument: sequential  uniform  lots")
    for g, t_lots, s, u, lo in lots_rows:
        print(f"{g:>5}  {t_lots * 1e3:>4.1f}  | {s * 1e3:>26.1f}  {u * 1e3:>7.1f}  "
              f"{lo * 1e3:>4.1f}")


if __name__ == "__main__":
    main()
