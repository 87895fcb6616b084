"""How long the library and the command line take to start, and how long the quick test run
takes; run on demand:

    python benchmarks/bench_startup.py [--repeat 20] [--tests]

Each figure is the median wall time of fresh processes (so nothing is cached in memory but the
file system's pages). The peer figure is the interpreter doing nothing (``python -c pass``),
the floor any command pays; pydantic's own import is shown beside it, since the library's
models are built on it.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--tests", action="store_true", help="also time the quick test run")
    args = parser.parse_args()
    py = sys.executable
    rows = [
        ("python -c pass (the floor)", [py, "-c", "pass"]),
        ("import pydantic", [py, "-c", "import pydantic"]),
        ("import tocreview", [py, "-c", "import tocreview"]),
        ("tocreview --help", [str(BIN / "tocreview"), "--help"]),
        ("tocreview --version", [str(BIN / "tocreview"), "--version"]),
        ("import tocreview; tocreview.Roster.bundled()",
         [py, "-c", "import tocreview; tocreview.Roster.bundled()"]),
        ("tocreview roster --as-of 2014-07-10",
         [str(BIN / "tocreview"), "roster", "--as-of", "2014-07-10"]),
    ]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; "
          f"median of {args.repeat} fresh processes (milliseconds)")
    for name, argv in rows:
        print(f"{name:<48} {timed(argv, args.repeat):8.0f}")
    if args.tests:
        start = time.perf_counter()
        subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider"], check=True,
                       capture_output=True, cwd=ROOT)
        print(f"{'quick test run (python -m pytest)':<48} {time.perf_counter() - start:8.1f} s")


if __name__ == "__main__":
    main()
