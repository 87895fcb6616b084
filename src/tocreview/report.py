"""Plain-text tables and summaries for the command line (no third-party dependency)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tocreview.model.instrument import Instrument
from tocreview.model.party import RegionalGroup
from tocreview.model.result import Draw, Role, Side, Violation
from tocreview.model.roster import Roster
from tocreview.rules.registry import RuleBook


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


def draw_table(result: Draw, roster: Roster) -> str:
    """A draw as a table: one row per State under review, then the receipt."""
    request = result.request
    rows = []
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
        rows.append([sur, party.name[:32], *cells, instruments])
    as_of = request.as_of.isoformat() if request.as_of else "all known facts"
    head = (f"Drawing of lots for start group {request.group}: seed {request.seed!r}, method "
            f"{request.method}, parties as of {as_of}, scenario {result.receipt.scenario}")
    lines = [head, f"Data valid for: {result.data_valid_for or 'not stated'}", "",
             table(["under review", "name", "same group", "other group", "instruments"], rows), ""]
    receipt = result.receipt
    lines.append(f"Receipt: inputs {receipt.inputs_hash[:16]}..., result "
                 f"{receipt.result_hash[:16]}..., tocreview {receipt.package_version}")
    for r in receipt.redraws:
        lines.append(f"Redraw: {r.state_under_review} rejected {r.rejected}"
                     + (" (exceptional)" if r.exceptional else ""))
    if receipt.provisional:
        lines.append("Rests on values not seen in adopted text: " + "; ".join(receipt.provisional))
    return "\n".join(lines)


def violations_table(violations: list[Violation]) -> str:
    if not violations:
        return "No violations: every pairing meets the selection rules."
    rows = [[v.rule, v.message, "; ".join(c.short() for c in v.citations)] for v in violations]
    return f"{len(violations)} violation(s):\n\n" + table(["rule", "what", "source"], rows)


def rules_table(book: RuleBook) -> str:
    rows = [[r.id, r.kind.value, r.status.value, r.statement] for r in book]
    lines = [table(["rule", "kind", "status", "statement"], rows), "", "Citations:"]
    for r in book:
        lines.extend(f"  {r.id}: {c.short()}" + (f" - {c.note}" if c.note else "")
                     for c in r.citations)
    return "\n".join(lines)
