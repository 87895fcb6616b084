"""Every input boundary in one place: files, JSON, TOML, CSV, dates, numbers, text.

Whatever a user hands the library passes through here first, so each limit is stated once
and every refusal is one :class:`~tocreview.errors.InputError` naming the file, row, column or
key, with at most a short excerpt of what was read. The limits are generous for real data
(the largest real roster is about 200 parties; these allow 20,000) and small enough that a
hostile file cannot exhaust memory or time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from tocreview.errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest file read (64 MiB): a roster of 20,000 parties is well under 20 MiB."""
MAX_ROWS = 200_000
"""The most rows of a CSV file (pairings of 20,000 States, four instruments, two sides)."""
MAX_PARTIES = 20_000
"""The most parties of a roster."""
MAX_FIELD = 100_000
"""The longest CSV cell, in characters (a roster cell holds at most a citation)."""
MAX_DEPTH = 32
"""The deepest nesting of JSON or TOML (a roster file nests five levels)."""
MAX_DIGITS = 18
"""The most digits of an integer in JSON, TOML or CSV (no count here comes near)."""
MAX_TEXT = 1_000
"""The longest seed, id or name given on the command line or in a scenario."""
FIRST_DATE = date(1945, 1, 1)
LAST_DATE = date(2199, 12, 31)
"""Dates are taken between these (the United Nations' founding, and far past any cycle)."""

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def excerpt(value: object, limit: int = 40) -> str:
    """A short, safe rendering of what was read, for an error message."""
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    shown = text if len(text) <= limit else text[:limit] + "..."
    return repr(shown)


def read_text(path: str | Path, *, what: str = "file") -> str:
    """A regular UTF-8 text file of at most :data:`MAX_FILE_BYTES`; never a device, FIFO,
    directory, empty or binary file."""
    file = Path(path)
    source = str(file)
    if not source.strip():
        raise InputError(f"the {what} name is empty")
    try:
        info = file.stat()
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror}", source=source) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise InputError(f"this is {kind}; give a {what} saved on disk", source=source)
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(f"the {what} is {info.st_size:,} bytes; the limit is "
                         f"{MAX_FILE_BYTES:,}", source=source)
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror}", source=source) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"the {what} is larger than {MAX_FILE_BYTES:,} bytes", source=source)
    if not raw.strip():
        raise InputError(f"the {what} is empty", source=source)
    if b"\x00" in raw[:4096]:
        raise InputError("this is a binary file, not CSV, JSON or TOML text", source=source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (bad byte at offset {exc.start}); save the {what} "
                         "as UTF-8", source=source) from None


def _bounded_int(text: str) -> int:
    digits = text.lstrip("-+")
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"an integer of {len(digits)} digits (at most {MAX_DIGITS})")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {excerpt(text)} is not finite")
    return value


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(text: str, *, source: str) -> Any:
    """Parse JSON: integers of at most :data:`MAX_DIGITS` digits, finite numbers, nesting of
    at most :data:`MAX_DEPTH` levels."""
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_float=_finite_float,
                          parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                         source=source) from None
    except RecursionError:
        raise InputError(f"JSON nested deeper than {MAX_DEPTH} levels", source=source) from None
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}", source=source) from None
    check_depth(data, source=source)
    return data


def load_toml(text: str, *, source: str) -> dict[str, Any]:
    """Parse TOML with the same limits as JSON."""
    try:
        data = tomllib.loads(text, parse_float=_finite_float)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=source) from None
    except RecursionError:
        raise InputError(f"TOML nested deeper than {MAX_DEPTH} levels", source=source) from None
    except ValueError as exc:
        raise InputError(f"not valid TOML: {exc}", source=source) from None
    check_depth(data, source=source)
    return data


def check_depth(data: Any, *, source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and integers longer than the limit (TOML
    reads integers itself)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", source=source)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, int) and not isinstance(item, bool) and (
                abs(item) >= 10 ** MAX_DIGITS):
            raise InputError(f"an integer with more than {MAX_DIGITS} digits", source=source)


def csv_rows(text: str, *, source: str, first_line: int = 1
             ) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the rows of a CSV text, each row with its line number; cells longer
    than :data:`MAX_FIELD`, duplicate or empty header names, rows longer than the header and
    more than :data:`MAX_ROWS` rows are errors naming the row."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", source=source, row=first_line) from None
    if not header or not any(header):
        raise InputError("no header row", source=source, row=first_line)
    seen: set[str] = set()
    for name in header:
        if len(name) > 100:
            raise InputError(f"a column name of {len(name):,} characters", source=source,
                             row=first_line)
        if name in seen:
            raise InputError(f"the column {excerpt(name)} appears twice in the header",
                             source=source, row=first_line)
        seen.add(name)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        number = first_line
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"not valid CSV: {exc}", source=source, row=number) from None
            if number - first_line > MAX_ROWS:
                raise InputError(f"more than {MAX_ROWS:,} rows", source=source, row=number)
            if not cells or not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raise InputError(f"{len(cells)} cells but {len(header)} columns",
                                 source=source, row=number)
            long = next((c for c in cells if len(c) > MAX_FIELD), None)
            if long is not None:
                raise InputError(f"a cell of {len(long):,} characters (at most {MAX_FIELD:,})",
                                 source=source, row=number)
            yield number, dict(zip(header, (c.strip() for c in cells), strict=False))

    csv.field_size_limit(max(MAX_FIELD + 1, csv.field_size_limit()))
    return header, rows()


def parse_date(value: date | str, *, what: str = "date") -> date:
    """A date written exactly ``YYYY-MM-DD``, real, between 1945 and 2199; the error names
    ``what``."""
    if isinstance(value, date):
        result = value
    else:
        text = str(value).strip()
        if not _ISO.fullmatch(text):
            raise InputError(f"{what} {excerpt(text)} is not a date in the form YYYY-MM-DD")
        try:
            result = date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{what} {excerpt(text)} is not a real date") from None
    if not FIRST_DATE <= result <= LAST_DATE:
        raise InputError(f"{what} {result.isoformat()} is outside "
                         f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}")
    return result


def iso_date(value: object) -> object:
    """For models: a date given as text must be exactly ``YYYY-MM-DD`` (not a number, not a
    week date); other values are left to the model (which refuses them)."""
    if isinstance(value, str):
        try:
            return parse_date(value)
        except InputError as exc:
            raise ValueError(str(exc)) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"a date must be written YYYY-MM-DD, not the number {excerpt(value)}")
    if isinstance(value, date):
        return parse_date(value)
    return value


def text_argument(value: str, *, what: str) -> str:
    """A seed, id or name from the command line or a file: valid Unicode text of at most
    :data:`MAX_TEXT` characters."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{what} is not valid UTF-8 text") from None
    if len(value) > MAX_TEXT:
        raise InputError(f"{what} is {len(value):,} characters long (at most {MAX_TEXT:,})")
    return value
