"""Reading and writing rosters as JSON and CSV, with errors that name file, row and column.

The CSV format has one row per party. Per instrument there are four columns:

- ``<instrument>``: empty (not party), ``YYYY-MM-DD`` (date of deposit), ``YYYY-MM`` (month only),
  ``party`` (date unknown), ``party by YYYY-MM-DD`` (date unknown, party by then), ``?``
  (unresolved) or ``? not before YYYY-MM-DD`` (unresolved, but not a party before that date);
- ``<instrument>_type``: ratification, accession, acceptance, approval, succession, or empty;
- ``<instrument>_signed``: date of signature or empty;
- ``<instrument>_source``: the citation as JSON, or empty for "supplied by the user".

One column ``development`` holds the development categories as a JSON list of
``{category, since, until, source}`` (category ``ldc``, ``lldc`` or ``sids``), or is empty.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from tocreview.errors import InputError, RosterError, UnknownNameError, first_error
from tocreview.inputs import MAX_PARTIES, csv_rows, load_json, parse_date, read_text
from tocreview.model.citation import Citation, Status
from tocreview.model.envelope import unwrap
from tocreview.model.instrument import Instrument
from tocreview.model.party import (
    ConsentType,
    DatePrecision,
    GroupStatus,
    Language,
    Party,
    PartyKind,
    RegionalGroup,
)

# The roster type is built by the caller (tocreview.model.roster), so this module stays below it.
R = TypeVar("R")

BASE_COLUMNS = [
    "id", "name", "other_names", "kind", "un_member", "regional_group", "group_status",
    "also_participates_in", "group_source", "members", "members_source", "languages",
    "languages_source", "development",
]
INSTRUMENT_COLUMNS = [
    f"{i.value}{suffix}" for i in Instrument for suffix in ("", "_type", "_signed", "_source")
]
COLUMNS = BASE_COLUMNS + INSTRUMENT_COLUMNS
REQUIRED = ["id", "name", "regional_group"]


def read_json(path: Path, validate: Callable[[Any], R]) -> R:
    """Parse a roster JSON file and validate it with ``validate``; errors name the field."""
    data = unwrap(load_json(read_text(path, what="roster file"), source=str(path)), "roster",
                  source=str(path))
    if not isinstance(data, dict):
        raise RosterError(f"expected a roster (an object with 'parties'), not a JSON "
                          f"{type(data).__name__}", source=str(path))
    parties = data.get("parties")
    if isinstance(parties, list) and not parties:
        raise RosterError("the roster has no parties", source=str(path))
    if isinstance(parties, list) and len(parties) > MAX_PARTIES:
        raise RosterError(f"{len(parties):,} parties; at most {MAX_PARTIES:,}", source=str(path))
    try:
        return validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        row = int(loc[1]) + 1 if len(loc) > 1 and loc[0] == "parties" else None
        column = ".".join(str(x) for x in loc[2:]) if row is not None else ".".join(map(str, loc))
        if row is not None and isinstance(data, dict):
            try:
                ident = data["parties"][row - 1].get("id")
                column = f"{column} (party {ident})" if ident else column
            except (KeyError, IndexError, TypeError, AttributeError):
                pass
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise RosterError(msg, source=str(path), row=row, column=column or None) from None


def read_csv(path: Path, build: Callable[..., R]) -> R:
    """Parse a roster CSV file; ``build(parties, **metadata)`` makes the roster."""
    text = read_text(path, what="roster file")
    meta: dict[str, Any] = {}
    offset = 0  # file line numbers count the metadata line
    if text.startswith("#"):
        offset = 1
        first, _, text = text.partition("\n")
        meta = _metadata(first, path, build)
    header, rows = csv_rows(text, source=str(path), first_line=1 + offset)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; the header has: {', '.join(header)}",
            source=str(path), row=1 + offset,
        )
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InputError(
            f"unknown column(s) {', '.join(unknown)}", source=str(path), row=1 + offset
        )
    fallback = Citation(
        document=f"roster file {path.name}", status=Status.ASSUMPTION,
        note="supplied by the user without a source",
    )
    parties: list[tuple[int, dict[str, Any]]] = []
    for number, row in rows:
        if len(parties) >= MAX_PARTIES:
            raise RosterError(f"more than {MAX_PARTIES:,} parties", source=str(path), row=number)
        parties.append((number, _party_from_row(row, fallback, path, number)))
    if not parties:
        raise InputError("the file has a header but no parties", source=str(path))
    built = []
    for number, fields in parties:
        try:
            built.append(Party.model_validate(fields))
        except ValidationError as exc:
            column, msg = first_error(exc)
            raise RosterError(msg, source=str(path), row=number, column=column or None) from None
    try:
        return build(built, **meta)
    except RosterError as exc:
        raise RosterError(str(exc), source=str(path)) from None


def _metadata(line: str, path: Path, build: Callable[..., Any]) -> dict[str, Any]:
    """The ``# {...}`` first line of a roster CSV: the roster's fields other than parties."""
    bad = "the first line starts with '#' but is not the roster's metadata as a JSON object"
    meta = load_json(line.lstrip("#").strip() or "{}", source=str(path))
    if not isinstance(meta, dict) or "parties" in meta:
        raise InputError(bad + " (without 'parties')", source=str(path), row=1)
    try:
        build([], **meta)
    except (ValidationError, TypeError, RosterError) as exc:
        raise InputError(f"{bad}: {exc}"[:300], source=str(path), row=1) from None
    return meta


def _party_from_row(
    row: dict[str, str], fallback: Citation, path: Path, number: int
) -> dict[str, Any]:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    def fail(column: str, message: str) -> InputError:
        return InputError(message, source=str(path), row=number, column=column)

    def citation(column: str) -> Citation:
        text = cell(column)
        if not text:
            return fallback
        try:
            return Citation.model_validate_json(text)
        except ValidationError:
            raise fail(column, "not a citation (expected JSON with document and status)") from None

    def development() -> list[Any]:
        """The development categories: a JSON list of {category, since, until, source}."""
        text = cell("development")
        if not text:
            return []
        found = load_json(text, source=str(path))
        if not isinstance(found, list):
            raise fail("development", "expected a JSON list of {category, since, until, "
                       "source}")
        return found

    def split(column: str) -> list[str]:
        return [x.strip() for x in cell(column).split(";") if x.strip()]

    try:
        group_text = cell("regional_group")
        group = None if group_text.lower() in ("", "none") else RegionalGroup.parse(group_text)
        also = [RegionalGroup.parse(g) for g in split("also_participates_in")]
    except UnknownNameError as exc:
        raise fail("regional_group", str(exc)) from None
    status_text = cell("group_status") or ("none" if group is None else "member")
    try:
        status = GroupStatus(status_text)
        kind = PartyKind(cell("kind") or "state")
        languages = None if not cell("languages") else [Language(x) for x in split("languages")]
    except ValueError as exc:
        raise fail("group_status/kind/languages", str(exc)) from None
    member_text = cell("un_member").lower() or "yes"
    if member_text not in ("yes", "no", "true", "false"):
        raise fail("un_member", f"expected yes or no, got {member_text!r}")
    fields: dict[str, Any] = {
        "id": cell("id"),
        "name": cell("name"),
        "other_names": split("other_names"),
        "kind": kind,
        "un_member": member_text in ("yes", "true"),
        "regional_group": group,
        "group_status": status,
        "also_participates_in": also,
        "group_source": citation("group_source"),
        "members": split("members"),
        "members_source": citation("members_source") if cell("members") else None,
        "languages": languages,
        "languages_source": citation("languages_source") if languages else None,
        "consents": [],
        "unresolved": [],
        "development": development(),
    }
    for inst in Instrument:
        name = inst.value
        value = cell(name)
        if not value:
            continue
        source = citation(f"{name}_source")
        if value == "?" or value.startswith("? "):
            entry: dict[str, Any] = {"instrument": inst, "source": source}
            rest = value[1:].strip()
            if rest:
                if not rest.startswith("not before "):
                    raise fail(name, f"{value!r}: after '?' only 'not before DATE' may follow")
                try:
                    entry["not_party_before"] = parse_date(rest[len("not before "):],
                                                           what="'not before'")
                except InputError as exc:
                    raise fail(name, str(exc)) from None
            fields["unresolved"].append(entry)
            continue
        consent: dict[str, Any] = {"instrument": inst, "source": source}
        try:
            consent.update(parse_consent_cell(value))
        except ValueError as exc:
            raise fail(name, str(exc)) from None
        kind_text = cell(f"{name}_type")
        if kind_text:
            try:
                consent["consent_type"] = ConsentType(kind_text.lower())
            except ValueError:
                raise fail(
                    f"{name}_type",
                    f"{kind_text!r} is not one of {', '.join(c.value for c in ConsentType)}",
                ) from None
        signed = cell(f"{name}_signed")
        if signed:
            try:
                consent["signed"] = parse_date(signed, what="the date of signature")
            except InputError as exc:
                raise fail(f"{name}_signed", str(exc)) from None
        fields["consents"].append(consent)
    return fields


def parse_consent_cell(value: str) -> dict[str, Any]:
    """Parse an instrument cell: a date, a month, ``party`` or ``party by DATE``."""
    text = value.strip()
    if text.lower() == "party":
        return {"precision": DatePrecision.UNKNOWN}
    if text.lower().startswith("party by "):
        when = text[len("party by "):].strip()
        try:
            return {"precision": DatePrecision.UNKNOWN,
                    "party_by": parse_date(when, what="'party by'")}
        except InputError as exc:
            raise ValueError(str(exc)) from None
    try:
        if len(text) == 7:
            return {"precision": DatePrecision.MONTH,
                    "deposited": parse_date(text + "-01", what="month")}
        return {"precision": DatePrecision.DAY,
                "deposited": parse_date(text, what="date of deposit")}
    except InputError as exc:
        raise ValueError(f"{exc}: write a date (YYYY-MM-DD or YYYY-MM), 'party', 'party by "
                         "DATE' or '?'") from None


def format_consent_cell(precision: DatePrecision, deposited: date | None,
                        party_by: date | None) -> str:
    if precision is DatePrecision.DAY and deposited:
        return deposited.isoformat()
    if precision is DatePrecision.MONTH and deposited:
        return deposited.isoformat()[:7]
    return f"party by {party_by.isoformat()}" if party_by else "party"


def write_csv(parties: Sequence[Party], meta: dict[str, Any]) -> str:
    """Parties as CSV rows, after a ``# {metadata}`` line when there is metadata."""
    out = io.StringIO()
    if meta:
        out.write("# " + json.dumps(meta, ensure_ascii=False) + "\n")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for p in parties:
        row: dict[str, str] = {
            "id": p.id,
            "name": p.name,
            "other_names": ";".join(p.other_names),
            "kind": p.kind.value,
            "un_member": "yes" if p.un_member else "no",
            "regional_group": p.regional_group.value if p.regional_group else "none",
            "group_status": p.group_status.value,
            "also_participates_in": ";".join(g.value for g in p.also_participates_in),
            "group_source": p.group_source.model_dump_json(),
            "members": ";".join(p.members),
            "members_source": p.members_source.model_dump_json() if p.members_source else "",
            "languages": "" if p.languages is None else ";".join(x.value for x in p.languages),
            "languages_source": (p.languages_source.model_dump_json()
                                 if p.languages_source else ""),
            "development": json.dumps([d.model_dump(mode="json") for d in p.development],
                                      ensure_ascii=False) if p.development else "",
        }
        for c in p.consents:
            name = c.instrument.value
            row[name] = format_consent_cell(c.precision, c.deposited, c.party_by)
            row[f"{name}_type"] = c.consent_type.value if c.consent_type else ""
            row[f"{name}_signed"] = c.signed.isoformat() if c.signed else ""
            row[f"{name}_source"] = c.source.model_dump_json()
        for u in p.unresolved:
            row[u.instrument.value] = (
                f"? not before {u.not_party_before.isoformat()}" if u.not_party_before else "?"
            )
            row[f"{u.instrument.value}_source"] = u.source.model_dump_json()
        writer.writerow(row)
    return out.getvalue()
