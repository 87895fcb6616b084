"""What the command line shows, as content: tables and lines, with values in words.

This module decides *what* is shown; how it is laid out (terminal width, wrapping, colour) is
decided by :mod:`tocreview.render`, so the same report reads well on a terminal and stays
plain and stable when piped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from tocreview.model.instrument import Instrument
from tocreview.model.party import RegionalGroup
from tocreview.model.result import Draw, Role, Side, Violation
from tocreview.model.roster import Roster
from tocreview.rules.registry import RuleBook

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    """A table: a column whose cells are all numbers is right-aligned with separators."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


Block = str | Table
"""A line of text (wrapped to the width, indent kept) or a table."""


def table(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Table:
    return Table(tuple(headers), tuple(tuple(r) for r in rows))


def words(value: object) -> str:
    """A value as a delegate would write it, not as Python prints it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)  # the exact token, so it can be copied into a scenario file
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "; ".join(f"{words(k)}: {words(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return ", ".join(words(v) for v in items) or "none"
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def fold(items: Sequence[str], shown: int = 4, *, more: str = "more") -> str:
    """A long list as its first few items and a count of the rest."""
    if len(items) <= shown + 1:
        return ", ".join(items)
    return ", ".join(items[:shown]) + f" and {len(items) - shown} {more}"


def data_date_line(roster: Roster) -> str:
    """Which date the roster's facts are valid for, per instrument."""
    parts = [f"{i.value} {d.isoformat()}" for i, d in sorted(roster.data_valid_for.items())]
    valid = "; ".join(parts) if parts else "not stated"
    as_of = roster.as_of.isoformat() if roster.as_of else "all known facts (no date)"
    return f"Data valid for: {valid}. Party status as of: {as_of}."


def roster_counts(roster: Roster) -> dict[str, dict[str, int]]:
    """Number of parties per instrument and regional group (key 'none' for no group)."""
    out: dict[str, dict[str, int]] = {}
    for inst in Instrument:
        row = {g.value: 0 for g in RegionalGroup} | {"none": 0}
        for p in roster.parties_to(inst):
            row[p.regional_group.value if p.regional_group else "none"] += 1
        row["total"] = sum(row.values())
        out[inst.value] = row
    return out


def roster_report(roster: Roster) -> list[Block]:
    """The roster as a table, followed by the counts and the undetermined parties."""
    rows: list[list[Cell]] = []
    for p in roster.parties:
        marks = []
        for inst in Instrument:
            state = p.is_party_to(inst, roster.as_of)
            marks.append({True: "yes", False: "", None: "?"}[state])
        group = words(p.regional_group)
        if p.group_status.value == "observer":
            group += " (observer)"
        rows.append([p.id, p.name, group, *marks])
    blocks: list[Block] = [
        data_date_line(roster), "",
        table(["id", "name", "regional group", *[i.value for i in Instrument]], rows), "",
        counts_table(roster),
    ]
    undetermined = {i.value: [p.id for p in roster.undetermined(i)] for i in Instrument}
    shown = {k: v for k, v in undetermined.items() if v}
    if shown:
        blocks += ["", "Status not settled by the sources ('?'):"]
        blocks += [f"  {k}: {fold(v, 12)}" for k, v in shown.items()]
    return blocks


def counts_table(roster: Roster) -> Table:
    counts = roster_counts(roster)
    columns = [g.value for g in RegionalGroup] + ["none", "total"]
    rows: list[list[Cell]] = [[inst, *[counts[inst][c] for c in columns]] for inst in counts]
    return table(["instrument", *columns], rows)


def start_groups_report(roster: Roster, groups: Sequence[Sequence[str]]) -> list[Block]:
    rows: list[list[Cell]] = [[g + 1, len(members), " ".join(members)]
                              for g, members in enumerate(groups)]
    return [data_date_line(roster), "", table(["group", "size", "States"], rows)]


def draw_report(result: Draw, roster: Roster, *, explain: bool = False) -> list[Block]:
    """A draw: one row per State under review, then the receipt and what it rests on."""
    request = result.request
    rows: list[list[Cell]] = []
    for sur in request.states_under_review:
        party = roster.get(sur)
        cells = []
        for side in Side:
            main = [p for p in result.pairings
                    if p.under_review == sur and p.side is side and p.role is Role.MAIN]
            supp = [p for p in result.pairings
                    if p.under_review == sur and p.side is side and p.role is Role.SUPPLEMENTARY]
            text = main[0].reviewer if main else "-"
            if supp:
                text += f" + {supp[0].reviewer} ({', '.join(p.instrument.value for p in supp)})"
            cells.append(text)
        held = party.instruments(request.as_of)
        instruments = ", ".join(i.value for i in Instrument if i in held)
        rows.append([sur, party.name, *cells, instruments])
    as_of = request.as_of.isoformat() if request.as_of else "all known facts"
    receipt = result.receipt
    blocks: list[Block] = [
        f"Drawing of lots for start group {request.group}: seed {request.seed!r}, method "
        f"{request.method}, parties as of {as_of}, scenario {receipt.scenario}",
        f"Data valid for: {result.data_valid_for or 'not stated'}", "",
        table(["under review", "name", "same group", "other group", "instruments"], rows), "",
        f"{len(request.states_under_review)} States under review, {len(result.pairings)} "
        "pairings.",
        f"Receipt: inputs {receipt.inputs_hash[:16]}..., result "
        f"{receipt.result_hash[:16]}..., tocreview {receipt.package_version}",
    ]
    for r in receipt.redraws:
        blocks.append(f"Redraw: {r.state_under_review} rejected {r.rejected}"
                      + (" (exceptional)" if r.exceptional else ""))
    if receipt.provisional and explain:
        blocks.append(f"Rests on {len(receipt.provisional)} values not seen in adopted text:")
        blocks += [f"  {item}" for item in receipt.provisional]
        blocks += ["", "Values in force:"]
        blocks += [f"  {v.name} = {words(json.loads(v.value))} [{v.status.value}]: "
                   f"{v.citation.short()}" for v in receipt.in_force]
    elif receipt.provisional:
        blocks.append(f"Rests on {len(receipt.provisional)} values not seen in adopted text: "
                      + fold(list(receipt.provisional), 3) + " (--explain lists them all)")
    return blocks


def violations_report(violations: list[Violation], checked: int) -> list[Block]:
    head = f"{checked} pairings checked against the selection rules."
    if not violations:
        return [head, "No violations: every pairing meets the selection rules."]
    rows = [[v.rule, v.message, "; ".join(c.short() for c in v.citations)] for v in violations]
    return [head, f"{len(violations)} violation(s):", "",
            table(["rule", "what", "source"], rows)]


def rules_report(book: RuleBook) -> list[Block]:
    rows = [[r.id, r.kind.value, r.status.value, r.statement] for r in book]
    blocks: list[Block] = [table(["rule", "kind", "status", "statement"], rows), "", "Citations:"]
    for r in book:
        blocks += [f"  {r.id}: {c.short()}" + (f" - {c.note}" if c.note else "")
                   for c in r.citations]
    return blocks
