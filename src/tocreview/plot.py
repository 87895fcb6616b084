"""Charts of a comparison (matplotlib, an optional extra: ``pip install tocreview[plot]``).

Each panel shows, per scenario, the mean of a measure with its 95 % interval, so a
difference is seen with its uncertainty: participants per start group, and reviews served
per State by development status.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from tocreview.errors import InputError

if TYPE_CHECKING:
    from tocreview.comparison import Comparison

SUFFIXES = (".png", ".svg", ".pdf")
PANELS = (
    ("States taking part per start group", "participation."),
    ("Reviews served per State, by development status", "burden.reviews_served."),
    ("Working days per State, by development status", "burden.days."),
)


def check_target(path: str) -> None:
    """Refuse, before any run, a chart that could not be written."""
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        raise InputError(f"--plot {path}: the file name must end in {', '.join(SUFFIXES)}")
    if not target.parent.is_dir():
        raise InputError(f"--plot {path}: the directory {target.parent} does not exist")
    if target.exists() and not target.is_file():
        raise InputError(f"--plot {path}: it is not a regular file")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InputError("--plot needs matplotlib: install the extra, "
                         "pip install 'tocreview[plot]'") from None


def plot_comparison(result: Comparison, path: str) -> None:
    """Write the comparison's charts to ``path`` (whole or not at all)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no screen is needed
    import matplotlib.pyplot as plt

    check_target(path)
    figure, axes = plt.subplots(len(PANELS), 1, figsize=(9, 3.2 * len(PANELS)))
    width = 0.8 / len(result.scenarios)
    for axis, (title, prefix) in zip(axes, PANELS, strict=True):
        # Burden panels by development status only (not the regional-group figures).
        figures = [f for f in result.figures if f.measure.startswith(prefix)
                   and (prefix == "participation."
                        or not f.measure[len(prefix):].startswith("group_"))]
        labels = [f.measure[len(prefix):] for f in figures]
        for k, name in enumerate(result.scenarios):
            means = [f.estimates[k].mean for f in figures]
            errors = [(f.estimates[k].high - f.estimates[k].low) / 2 for f in figures]
            positions = [i + (k - (len(result.scenarios) - 1) / 2) * width
                         for i in range(len(figures))]
            axis.bar(positions, means, width, yerr=errors, capsize=3, label=name)
        axis.set_xticks(range(len(labels)), labels)
        axis.set_title(title, fontsize=10)
        axis.legend(fontsize=8)
    figure.suptitle(f"{result.runs} simulated cycles per scenario, same seeds; bars: mean, "
                    "lines: 95 % interval", fontsize=9)
    figure.tight_layout()
    target = Path(path)
    temporary = target.with_name(f".{target.name[:100]}.tocreview-partial{target.suffix}")
    try:
        figure.savefig(temporary)
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        plt.close(figure)
