"""Pairings in CSV and JSON: what ``draw`` writes is what ``check`` and ``--history`` read.

CSV: one row per (State under review, reviewing State, instrument), with at least the columns
``under_review,reviewer,instrument`` (party ids; instrument short names convention, tip, som,
firearms) and optionally ``side`` (same_group, other_group) and ``role`` (main,
supplementary). JSON: a list of such objects, or an object with a ``pairings`` list (a draw
written with ``--format json``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tocreview.errors import InputError, UnknownNameError, first_error
from tocreview.model.envelope import unwrap
from tocreview.model.instrument import Instrument
from tocreview.model.result import Pairing, StartGroups
from tocreview.model.roster import Roster
from tocreview.model.roster_io import read_text

COLUMNS = ["under_review", "reviewer", "instrument", "side", "role"]
REQUIRED = COLUMNS[:3]


def write_pairings_csv(pairings: Iterable[Pairing]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in pairings:
        writer.writerow([p.under_review, p.reviewer, p.instrument.value,
                         p.side.value if p.side else "", p.role.value if p.role else ""])
    return out.getvalue()


def read_pairings(path: str | Path, roster: Roster | None = None) -> list[Pairing]:
    """Read pairings from CSV or JSON; with a roster, unknown party ids are errors too."""
    file = Path(path)
    text = read_text(file)
    rows: list[tuple[int | None, dict[str, Any]]]
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg} (line {exc.lineno})",
                             source=str(file)) from None
        data = unwrap(data, "draw", source=str(file))  # a draw's --format json output
        items = data.get("pairings") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InputError("expected a list of pairings or an object with 'pairings'",
                             source=str(file))
        rows = [(i + 1, item) for i, item in enumerate(items)]
    else:
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", source=str(file), row=1)
        rows = [(n, {k: v for k, v in row.items() if k in COLUMNS and v not in (None, "")})
                for n, row in enumerate(reader, start=2)]
    out = []
    for number, item in rows:
        if not isinstance(item, dict):
            raise InputError("a pairing must be an object", source=str(file), row=number)
        fields = {k: v for k, v in item.items() if k in COLUMNS}
        if isinstance(fields.get("instrument"), str):
            try:
                fields["instrument"] = Instrument.parse(fields["instrument"])
            except UnknownNameError as exc:
                raise InputError(str(exc), source=str(file), row=number,
                                 column="instrument") from None
        try:
            pairing = Pairing.model_validate(fields)
        except ValidationError as exc:
            column, msg = first_error(exc)
            raise InputError(msg, source=str(file), row=number, column=column or None) from None
        if roster is not None:
            for column in ("under_review", "reviewer"):
                ident = getattr(pairing, column)
                if ident not in roster:
                    raise InputError(str(UnknownNameError("party id", ident, roster.ids())),
                                     source=str(file), row=number, column=column)
        out.append(pairing)
    return out


def write_start_groups_csv(division: StartGroups) -> str:
    """One row per State: ``party,group`` (groups numbered from 1)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["party", "group"])
    for number, members in enumerate(division.groups, start=1):
        for member in members:
            writer.writerow([member, number])
    return out.getvalue()


def read_start_groups(path: str | Path, roster: Roster) -> StartGroups:
    """Read start groups as published (CSV ``party,group``) or as ``start-groups --format
    json`` wrote them."""
    file = Path(path)
    text = read_text(file)
    reader: Iterable[dict[str, str | None]]
    if file.suffix.lower() == ".json":
        reader = _start_group_rows(text, file)
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not {"party", "group"} <= set(reader.fieldnames or []):
            raise InputError("expected the columns party,group", source=str(file), row=1)
    groups: dict[int, list[str]] = {}
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        ident = (row.get("party") or "").strip()
        if ident not in roster:
            raise InputError(str(UnknownNameError("party id", ident, roster.ids())),
                             source=str(file), row=number, column="party")
        if ident in seen:
            raise InputError(f"{ident} is listed twice", source=str(file), row=number)
        seen.add(ident)
        text = (row.get("group") or "").strip()
        if not text.isdigit() or int(text) < 1:
            raise InputError(f"group {text!r} is not a number from 1", source=str(file),
                             row=number, column="group")
        groups.setdefault(int(text), []).append(ident)
    if not groups:
        raise InputError("no start groups in the file", source=str(file))
    count = max(groups)
    return StartGroups(groups=tuple(tuple(sorted(groups.get(g, []))) for g in range(1, count + 1)),
                       trace=())


def _start_group_rows(text: str, file: Path) -> list[dict[str, str | None]]:
    """The rows of a JSON start-groups file, as the CSV reader would give them."""
    try:
        data = unwrap(json.loads(text), "start-groups", source=str(file))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (line {exc.lineno})",
                         source=str(file)) from None
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise InputError("expected an object with 'groups': a list of lists of party ids",
                         source=str(file))
    return [{"party": str(member), "group": str(number)}
            for number, members in enumerate(groups, start=1) for member in members]
