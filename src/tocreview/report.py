"""Plain-text tables and summaries for the command line (no third-party dependency)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tocreview.model.instrument import Instrument
from tocreview.model.party import RegionalGroup
from tocreview.model.roster import Roster


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A left-aligned text table."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


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


def roster_table(roster: Roster) -> str:
    """The roster as a table, followed by the counts and the undetermined parties."""
    rows = []
    for p in roster.parties:
        marks = []
        for inst in Instrument:
            state = p.is_party_to(inst, roster.as_of)
            marks.append({True: "yes", False: "", None: "?"}[state])
        group = p.regional_group.value if p.regional_group else "none"
        if p.group_status.value == "observer":
            group += " (observer)"
        rows.append([p.id, p.name, group, *marks])
    parts = [data_date_line(roster), "",
             table(["id", "name", "regional group", *[i.value for i in Instrument]], rows), ""]
    parts.append(counts_table(roster))
    undetermined = {i.value: [p.id for p in roster.undetermined(i)] for i in Instrument}
    shown = {k: v for k, v in undetermined.items() if v}
    if shown:
        parts.append("")
        parts.append("Status not settled by the sources ('?'):")
        parts.extend(f"  {k}: {', '.join(v)}" for k, v in shown.items())
    return "\n".join(parts)


def counts_table(roster: Roster) -> str:
    counts = roster_counts(roster)
    columns = [g.value for g in RegionalGroup] + ["none", "total"]
    rows = [[inst, *[counts[inst][c] for c in columns]] for inst in counts]
    return table(["instrument", *columns], rows)
