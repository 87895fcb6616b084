"""Benchmark: what compiling the draw's own source buys, so that the question "would compiled
code reach 10,000 cycles in 10 s?" is answered by a measurement, not a guess.

The draw modules (the kernel, the methods, the search, the pools, the generator, the
measures) are compiled as they stand with mypyc, in a copy of the package in a temporary
folder; nothing in the checkout changes. Whole simulated cycles are then timed with the
plain source and with the compiled copy, alternately in one run (the machines are noisy:
compare the ratio), and the records of both are hashed: compiling must not change a
figure. Modules that attach attributes to functions (the rule registry) or build pydantic
models at import stay as source: mypyc cannot compile them.

Run on demand (not part of the test suite; needs the ``dev`` extra, for mypyc, and a C
compiler):

    pip install -e ".[dev]"
    python benchmarks/bench_compiled.py [--runs 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tocreview"
COMPILED = (
    "draw/search.py", "draw/methods.py", "draw/problem.py", "draw/pools.py",
    "draw/matching.py", "draw/completion.py", "draw/rng.py", "draw/uniform_local.py",
    "draw/kernel.py", "draw/engine.py", "draw/start_groups.py", "draw/survival.py",
    "measures.py",
)
METHODS = ("sequential", "lots")

# Run in a child process, so that each variant imports its own copy of the package.
TIMER = """
import hashlib, json, sys, time
from tocreview import Roster
from tocreview.mechanism import Mechanism
from tocreview.simulate import SimulationOptions, simulate
method, runs = sys.argv[1], int(sys.argv[2])
mechanism = Mechanism(None, Roster.bundled())
options = SimulationOptions(method=method)
simulate(mechanism, runs=2, options=options)  # warm: imports and caches
start = time.perf_counter()
result = simulate(mechanism, runs=runs, options=options)
elapsed = time.perf_counter() - start
digest = hashlib.sha256(json.dumps([r.values for r in result.records],
                                   sort_keys=True).encode()).hexdigest()[:16]
print(elapsed / runs * 1000, digest)
"""


def compile_copy(into: Path) -> Path:
    """A copy of the package with the draw modules compiled by mypyc; its import root."""
    shutil.copytree(PACKAGE, into / "tocreview",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    done = subprocess.run([sys.executable, "-m", "mypyc", *(f"tocreview/{m}" for m in COMPILED)],
                          cwd=into, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"mypyc failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return into


def time_cycles(root: Path, method: str, runs: int) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", TIMER, method, str(runs)], env=env,
                          capture_output=True, text=True, check=False, cwd=root.parent)
    if done.returncode:
        sys.exit(f"timing {method} from {root} failed:\n{done.stderr[-2000:]}")
    ms, digest = done.stdout.split()
    return float(ms), digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="cycles per timing")
    parser.add_argument("--repeat", type=int, default=3, help="timings per variant")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"compiling {len(COMPILED)} modules with mypyc ...", flush=True)
        compiled = compile_copy(Path(folder))
        source = PACKAGE.parent
        print(f"ms per simulated cycle, full bundled roster, {args.runs} cycles, median of "
              f"{args.repeat}, alternating:")
        print(f"{'method':12} {'source':>8} {'compiled':>9} {'ratio':>6}  records")
        for method in METHODS:
            times: dict[str, list[float]] = {"source": [], "compiled": []}
            digests: dict[str, set[str]] = {"source": set(), "compiled": set()}
            for _ in range(args.repeat):
                for name, root in (("source", source), ("compiled", compiled)):
                    ms, digest = time_cycles(root, method, args.runs)
                    times[name].append(ms)
                    digests[name].add(digest)
            plain, fast = (statistics.median(times[n]) for n in ("source", "compiled"))
            same = "the same" if digests["source"] == digests["compiled"] and len(
                digests["source"]) == 1 else "DIFFERENT"
            print(f"{method:12} {plain:8.2f} {fast:9.2f} {plain / fast:6.2f}  {same}",
                  flush=True)


if __name__ == "__main__":
    main()
