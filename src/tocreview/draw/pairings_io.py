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
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tocreview.errors import InputError, UnknownNameError, first_error
from tocreview.inputs import MAX_ROWS, csv_rows, excerpt, load_json, read_text
from tocreview.model.envelope import unwrap
from tocreview.model.instrument import Instrument
from tocreview.model.result import Pairing, StartGroups
from tocreview.model.roster import Roster

COLUMNS = ["under_review", "reviewer", "instrument", "side", "role"]
REQUIRED = COLUMNS[:3]
MAX_GROUPS = 100
"""The most start groups a file may number (the rules in force usually expect three)."""


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
    source = str(file)
    text = read_text(file, what="pairings file")
    rows: Iterable[tuple[int | None, Any]]
    if file.suffix.lower() == ".json":
        data = unwrap(load_json(text, source=source), "draw", source=source)
        items = data.get("pairings") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InputError("expected a list of pairings or an object with 'pairings'",
                             source=source)
        if len(items) > MAX_ROWS:
            raise InputError(f"{len(items):,} pairings; at most {MAX_ROWS:,}", source=source)
        rows = [(i + 1, item) for i, item in enumerate(items)]
    else:
        header, reader = csv_rows(text, source=source)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", source=source, row=1)
        rows = ((n, {k: v for k, v in row.items() if k in COLUMNS and v}) for n, row in reader)
    out = []
    for number, item in rows:
        if not isinstance(item, dict):
            raise InputError("a pairing must be an object", source=source, row=number)
        fields = {k: v for k, v in item.items() if k in COLUMNS}
        if isinstance(fields.get("instrument"), str):
            try:
                fields["instrument"] = Instrument.parse(fields["instrument"])
            except UnknownNameError as exc:
                raise InputError(str(exc), source=source, row=number,
                                 column="instrument") from None
        try:
            pairing = Pairing.model_validate(fields)
        except ValidationError as exc:
            column, msg = first_error(exc)
            raise InputError(msg[:200], source=source, row=number, column=column or None) \
                from None
        if roster is not None:
            for column in ("under_review", "reviewer"):
                ident = getattr(pairing, column)
                if ident not in roster:
                    raise InputError(str(UnknownNameError("party id", ident, roster.ids())),
                                     source=source, row=number, column=column)
        out.append(pairing)
    if not out:
        raise InputError("the file holds no pairings", source=source)
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


def read_start_groups(path: str | Path, roster: Roster, *, count: int | None = None
                      ) -> StartGroups:
    """Read start groups as published (CSV ``party,group``) or as ``start-groups --format
    json`` wrote them.

    ``count`` is the number of start groups the rules in force expect: a group number above
    it, or an empty group, is an error. That every State under review is in a group is checked
    where the draw knows its date (see :func:`tocreview.draw.engine.draw`).
    """
    file = Path(path)
    source = str(file)
    text = read_text(file, what="start-groups file")
    limit = count or MAX_GROUPS
    rows: Iterable[tuple[int, dict[str, str]]]
    if file.suffix.lower() == ".json":
        rows = _start_group_rows(text, file)
    else:
        header, rows = csv_rows(text, source=source)
        if not {"party", "group"} <= set(header):
            raise InputError("expected the columns party,group", source=source, row=1)
    groups: dict[int, list[str]] = {}
    seen: set[str] = set()
    for number, row in rows:
        ident = (row.get("party") or "").strip()
        if ident not in roster:
            raise InputError(str(UnknownNameError("party id", ident, roster.ids())),
                             source=source, row=number, column="party")
        if ident in seen:
            raise InputError(f"{ident} is listed twice", source=source, row=number)
        seen.add(ident)
        text_group = (row.get("group") or "").strip()
        if not re.fullmatch(r"[0-9]{1,6}", text_group) or not 1 <= int(text_group) <= limit:
            raise InputError(f"group {excerpt(text_group)} is not a number from 1 to {limit}",
                             source=source, row=number, column="group")
        groups.setdefault(int(text_group), []).append(ident)
    if not groups:
        raise InputError("no start groups in the file", source=source)
    last = count or max(groups)
    empty = [g for g in range(1, last + 1) if g not in groups]
    if empty:
        raise InputError(f"start group {empty[0]} has no States: every group from 1 to {last} "
                         "needs at least one", source=source)
    return StartGroups(groups=tuple(tuple(sorted(groups[g])) for g in range(1, last + 1)),
                       trace=())


def _start_group_rows(text: str, file: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a JSON start-groups file, as the CSV reader would give them."""
    data = unwrap(load_json(text, source=str(file)), "start-groups", source=str(file))
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise InputError("expected an object with 'groups': a list of lists of party ids",
                         source=str(file))
    rows = [{"party": str(member), "group": str(number)}
            for number, members in enumerate(groups, start=1) for member in members]
    return list(enumerate(rows, start=1))
