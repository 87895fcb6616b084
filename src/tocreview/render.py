"""Laying out a report for where it goes: rich tables on a terminal, plain text when piped.

Plain output is stable: the same report gives the same text wherever it runs (100 columns,
no colour, no trailing spaces), so it can be diffed and grepped. On a terminal the tables fit
its width (``COLUMNS`` when set) and colour follows the terminal (``NO_COLOR`` switches it off).
"""

from __future__ import annotations

import io
import os
import shutil
import textwrap
from collections.abc import Sequence

from tocreview.report import Block, Cell, Table

PLAIN_WIDTH = 100
_GAP = 2  # spaces between columns
_MIN_WRAP = 6  # a wrapped column keeps at least this many characters
_MAX_WORD = 24  # ... and its longest word, up to this many: words longer than that are broken


def width(terminal: bool) -> int:
    """The width to lay out for: the terminal's (or ``COLUMNS``), and 100 when piped."""
    if not terminal:
        return PLAIN_WIDTH
    return max(40, shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns)


def render(blocks: Sequence[Block], *, terminal: bool = False, columns: int | None = None) -> str:
    """The report as text; with ``terminal`` it carries colour codes for a terminal."""
    size = columns or width(terminal)
    if terminal:
        return _rich(blocks, size)
    out: list[str] = []
    for block in blocks:
        out.extend(plain_table(block, size) if isinstance(block, Table) else _wrap(block, size))
    return "\n".join(out)


def cell_text(value: Cell) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return value


def numeric_columns(block: Table) -> list[bool]:
    def number(v: Cell) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool)

    return [any(number(r[i]) for r in block.rows)
            and all(number(r[i]) or r[i] == "" for r in block.rows)
            for i in range(len(block.columns))]


def plain_table(block: Table, size: int) -> list[str]:
    """A text table no wider than ``size``: the widest text columns wrap first."""
    numeric = numeric_columns(block)
    body = [[cell_text(c) for c in row] for row in block.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(block.columns)]
    longest_word = [max(len(x) for r in [block.columns, *body] for x in r[i].split() or [""])
                    for i in range(len(widths))]
    floor = [w if numeric[i] else min(w, max(_MIN_WRAP, min(longest_word[i], _MAX_WORD)))
             for i, w in enumerate(widths)]
    excess = sum(widths) + _GAP * (len(widths) - 1) - size
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
        if not shrinkable:
            break  # cannot fit: the terminal wraps the rest
        widest = max(shrinkable, key=lambda i: widths[i])
        # Level the widest down towards the next widest, so no one column takes all the cut.
        runner_up = max((widths[i] for i in shrinkable if i != widest), default=0)
        step = min(excess, widths[widest] - floor[widest], max(1, widths[widest] - runner_up))
        widths[widest] -= step
        excess -= step
    lines = [*_row(list(block.columns), widths, numeric).split("\n"),
             (" " * _GAP).join("-" * w for w in widths)]
    for row in body:
        lines.extend(_row(row, widths, numeric).split("\n"))
    return lines


def _row(cells: list[str], widths: list[int], numeric: list[bool]) -> str:
    wrapped = [textwrap.wrap(c, w, break_on_hyphens=False) or [""]
               for c, w in zip(cells, widths, strict=True)]
    out = []
    for k in range(max(len(w) for w in wrapped)):
        parts = []
        for i, lines in enumerate(wrapped):
            text = lines[k] if k < len(lines) else ""
            parts.append(text.rjust(widths[i]) if numeric[i] else text.ljust(widths[i]))
        out.append((" " * _GAP).join(parts).rstrip())
    return "\n".join(out)


def _wrap(line: str, size: int) -> list[str]:
    if len(line) <= size:
        return [line]
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.wrap(line, size, initial_indent="", subsequent_indent=indent + "  ",
                         break_on_hyphens=False, break_long_words=False)


def _rich(blocks: Sequence[Block], size: int) -> str:
    # rich is imported here only: plain output and --help never pay for it.
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=size, force_terminal=True, highlight=False,
                      no_color="NO_COLOR" in os.environ)
    for block in blocks:
        if isinstance(block, Table):
            shown = RichTable(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
            for name, right in zip(block.columns, numeric_columns(block), strict=True):
                shown.add_column(name, justify="right" if right else "left", overflow="fold")
            for row in block.rows:
                shown.add_row(*(cell_text(c) for c in row))
            console.print(shown)
        else:
            text = Text(block)
            text.highlight_regex(r"\[(unconfirmed|assumption|inferred|proposal)\]", "yellow")
            text.highlight_regex(r"^(warning|error):", "bold red")
            console.print(text)
    return buffer.getvalue().rstrip("\n")
