"""Bringing a roster up to date from the depositary's status table (UN Treaty Collection).

The Treaty Collection publishes, for each of the four instruments (chapter XVIII, 12 and
12-a to 12-c), a table with the columns *Participant*, *Signature* and *Ratification,
Acceptance(A), Approval(AA), Accession(a), Succession(d)*: dates such as ``12 Dec 2000``,
followed by the letter of the kind of consent, and footnote markers after names. A user saves
the page (as HTML, or as text copied from the browser) and :func:`update_roster` reads it:

- every participant name must be a name or former name of a party in the roster (an unknown
  name is an error with close matches: nothing is guessed);
- a consent or signature on the page that the roster lacks, or dates that differ, are taken
  from the page, each fact cited to the saved file and the page's date ("status as at");
- a party in the roster that the page does not list is kept and reported (the page is the
  depositary's record, but a missing row is more often a bad save than a withdrawal);
- the instrument's ``data_valid_for`` becomes the page's date only when the page lists every
  party the roster knows (a partial page updates facts but vouches for nothing more).

:class:`RosterUpdate` says what changed, in words and in counts.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tocreview.errors import InputError, UnknownNameError
from tocreview.inputs import parse_date, read_text
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import Consent, ConsentType, DatePrecision, Party
from tocreview.model.roster import Roster


def fold(items: list[str], shown: int = 10) -> str:
    """A long list as its first items and a count of the rest."""
    if len(items) <= shown + 1:
        return ", ".join(items)
    return ", ".join(items[:shown]) + f" and {len(items) - shown} more"

_MONTHS = {m: k for k, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})(?:\s*\(?\s*(AA|A|a|d)\b)?")
_KINDS = {None: ConsentType.RATIFICATION, "A": ConsentType.ACCEPTANCE,
          "AA": ConsentType.APPROVAL, "a": ConsentType.ACCESSION, "d": ConsentType.SUCCESSION}
_FOOTNOTES = re.compile(r"[\s\d,*\u00b9\u00b2\u00b3\u2070-\u2079]+$")
_STATUS_AS_AT = re.compile(r"status\s+as\s+at\s*:?\s*([0-9][0-9/.\-]+[0-9]|\d{1,2}\s+\w+\s+\d{4})",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """One participant row of the status table, as read."""

    line: int
    participant: str
    signed: date | None
    consented: date | None
    kind: ConsentType | None


@dataclass
class RosterUpdate:
    """What an update changed, party by party."""

    instrument: Instrument
    status_date: date
    source: str
    previous_validity: date | None
    roster: Roster | None = None
    added: list[tuple[str, date]] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    signatory_only: list[str] = field(default_factory=list)
    still_unresolved: list[str] = field(default_factory=list)
    complete: bool = False
    rows: int = 0

    def summary(self) -> list[str]:
        """The changes as sentences a secretariat could read out."""
        title = self.instrument.short_title
        since = self.previous_validity.isoformat() if self.previous_validity else "the old data"
        later = [p for p, d in self.added
                 if self.previous_validity is None or d > self.previous_validity]
        lines = [f"{self.instrument.full_title} ({self.instrument.value}): {self.rows} "
                 f"participants read from {self.source}, status as at "
                 f"{self.status_date.isoformat()}.",
                 f"{len(later)} parties added to {title} after {since}"
                 + (f": {', '.join(later)}." if later else ".")]
        earlier = [p for p, _ in self.added if p not in later]
        if earlier:
            lines.append(f"{len(earlier)} parties added that had joined by {since} but were "
                         f"missing from the roster: {', '.join(earlier)}.")
        if self.changed:
            lines.append(f"{len(self.changed)} dates of deposit corrected: " + ", ".join(
                f"{p} ({old} -> {new})" for p, old, new in self.changed) + ".")
        if self.settled:
            lines.append(f"{len(self.settled)} unresolved statuses settled as not party "
                         f"(signatory only on the page): {', '.join(self.settled)}.")
        if self.still_unresolved:
            lines.append(f"{len(self.still_unresolved)} unresolved statuses not on the page "
                         f"(still unresolved): {', '.join(self.still_unresolved)}.")
        if self.details:
            lines.append(f"{len(self.details)} dates of signature or kinds of consent "
                         f"corrected: {', '.join(self.details)}.")
        if self.missing:
            lines.append(f"warning: {len(self.missing)} parties in the roster are not on the "
                         "page (kept; is the saved page complete?): "
                         f"{fold(self.missing)}.")
        if self.signatory_only:
            lines.append(f"warning: {len(self.signatory_only)} parties in the roster are "
                         "signatories only on the page (kept; check the saved page): "
                         f"{', '.join(self.signatory_only)}.")
        unchanged = self.rows - len(self.added) - len(self.changed) - len(self.details)
        lines.append(f"{max(unchanged, 0)} other rows agreed with the roster.")
        if self.complete:
            lines.append(f"Data for {self.instrument.value} now valid to "
                         f"{self.status_date.isoformat()}.")
        else:
            lines.append(f"Data for {self.instrument.value} still valid to {since} only: the "
                         "page leaves out parties the roster knows, so it does not vouch for "
                         "the whole list.")
        return lines


def read_status_table(path: Path) -> tuple[list[Row], date | None]:
    """The participant rows of a saved status page (HTML or text), and its "status as at"."""
    text = read_text(path)
    cells = _html_rows(text) if "<t" in text.lower() else _text_rows(text)
    found = _STATUS_AS_AT.search(_strip_tags(text))
    stated = _page_date(found.group(1), path) if found else None
    header = next((k for k, row in enumerate(cells)
                   if row and row[0].strip().lower().startswith("participant")), None)
    if header is None:
        raise InputError("no table with a 'Participant' column: save the status page of "
                         "the instrument from the UN Treaty Collection", source=str(path))
    rows = []
    for number, row in enumerate(cells[header + 1:], start=header + 2):
        if not row or not row[0].strip():
            continue
        name = _FOOTNOTES.sub("", row[0]).strip()
        if not name or name.lower().startswith(("participant", "notes", "declarations")):
            continue
        dates = [*row[1:3], "", ""][:2]
        if len(row) == 2 and _DATE.search(row[1]):
            # Text saved with spaces loses empty cells. Accession and succession need no
            # signature, and ratification, acceptance and approval follow one, so a lone date
            # is a consent only when it carries the letter a or d.
            kind_letter = _DATE.search(row[1]).group(4)  # type: ignore[union-attr]
            dates = ["", row[1]] if kind_letter in ("a", "d") else [row[1], ""]
        signed = _cell_date(dates[0], path, number, "Signature")
        consent_cell = dates[1]
        consented = _cell_date(consent_cell, path, number, "Ratification")
        kind = None
        if consented is not None:
            match = _DATE.search(consent_cell)
            kind = _KINDS[match.group(4) if match else None]
        rows.append(Row(number, name, signed, consented, kind))
    if not rows:
        raise InputError("the status table has no participant rows", source=str(path))
    return rows, stated


def update_roster(roster: Roster, instrument: Instrument, path: Path,
                  status_date: date | None = None) -> RosterUpdate:
    """The roster with the facts of a saved status page for ``instrument``."""
    rows, stated = read_status_table(path)
    when = status_date or stated
    if when is None:
        raise InputError("the page does not say its date ('Status as at'): give it with "
                         "--status-date YYYY-MM-DD", source=str(path))
    if status_date and stated and status_date != stated:
        raise InputError(f"--status-date {status_date} differs from the page's own date "
                         f"{stated}", source=str(path))
    names = [n for p in roster.parties for n in (p.name, *p.other_names)]
    citation = Citation(
        document=f"UN Treaty Collection, status of {instrument.treaty_number} "
        f"(as at {when.isoformat()})", status=Status.SECONDARY,
        note=f"read by tocreview roster update from the saved page {path.name}")
    report = RosterUpdate(instrument, when, path.name, roster.data_valid_for.get(instrument),
                          rows=len(rows))
    seen: dict[str, Row] = {}
    for row in rows:
        try:
            party = roster.by_name(_normal(row.participant))
        except UnknownNameError:
            raise InputError(str(UnknownNameError("participant", row.participant, names)),
                             source=str(path), row=row.line, column="Participant") from None
        if party.id in seen:
            raise InputError(f"{row.participant} ({party.id}) is listed twice (also on row "
                             f"{seen[party.id].line})", source=str(path), row=row.line)
        if row.consented and row.consented > when:
            raise InputError(f"{row.participant}: consent {row.consented} is after the page's "
                             f"date {when}", source=str(path), row=row.line)
        seen[party.id] = row
    parties = [_updated(p, instrument, seen.get(p.id), citation, report) for p in roster.parties]
    report.missing = sorted(p.id for p in roster.parties
                            if p.id not in seen
                            and any(c.instrument is instrument for c in p.consents))
    valid = dict(roster.data_valid_for)
    if not report.missing:  # only a page that lists every known party vouches for the whole
        valid[instrument] = when
    report.complete = not report.missing
    report.roster = Roster.build(parties, as_of=roster.as_of, data_valid_for=valid,
                                 description=_described(roster.description, instrument, when))
    return report


def _updated(party: Party, instrument: Instrument, row: Row | None, citation: Citation,
             report: RosterUpdate) -> Party:
    old = next((c for c in party.consents if c.instrument is instrument), None)
    unresolved = any(u.instrument is instrument for u in party.unresolved)
    settled = tuple(u for u in party.unresolved if u.instrument is not instrument)
    if row is None or row.consented is None:  # not listed, or a signatory only
        if old is not None:
            if row is not None:
                report.signatory_only.append(party.id)  # kept: see RosterUpdate.summary
            return party
        if unresolved and row is not None:  # listed as a signatory only: not a party
            report.settled.append(party.id)
            return party.model_copy(update={"unresolved": settled})
        if unresolved:
            report.still_unresolved.append(party.id)
        return party
    consent = Consent(instrument=instrument, deposited=row.consented,
                      precision=DatePrecision.DAY, consent_type=row.kind, signed=row.signed,
                      source=citation)
    if old is None:
        report.added.append((party.id, row.consented))
    elif old.deposited != row.consented or old.precision is not DatePrecision.DAY:
        before = old.deposited.isoformat() if old.deposited else "date unknown"
        if old.precision is DatePrecision.MONTH and old.deposited:
            before = old.deposited.isoformat()[:7]
        report.changed.append((party.id, before, row.consented.isoformat()))
    elif old.signed != row.signed or old.consent_type is not row.kind:
        report.details.append(party.id)
    else:
        return party  # the same fact: it keeps its original source
    consents = tuple(sorted((*(c for c in party.consents if c.instrument is not instrument),
                             consent), key=lambda c: list(Instrument).index(c.instrument)))
    return party.model_copy(update={"consents": consents, "unresolved": settled})


def _described(description: str, instrument: Instrument, when: date) -> str:
    note = (f"{instrument.value} updated from the UN Treaty Collection status page as at "
            f"{when.isoformat()}.")
    return description if note in description else f"{description} {note}".strip()


def _normal(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").replace("\xa0", " ").split())


def _cell_date(cell: str, path: Path, row: int, column: str) -> date | None:
    text = cell.strip()
    if not text:
        return None
    match = _DATE.search(text)
    if match is None:
        raise InputError(f"{text[:40]!r} is not a date such as '12 Dec 2000'",
                         source=str(path), row=row, column=column)
    day, month, year = match.group(1), match.group(2).lower(), match.group(3)
    if month not in _MONTHS:
        raise InputError(f"{text[:40]!r}: unknown month {match.group(2)!r}", source=str(path),
                         row=row, column=column)
    try:
        return date(int(year), _MONTHS[month], int(day))
    except ValueError:
        raise InputError(f"{text[:40]!r} is not a real date", source=str(path), row=row,
                         column=column) from None


def _page_date(text: str, path: Path) -> date:
    found = _DATE.fullmatch(text.strip())
    if found:
        result = _cell_date(text, path, 0, "Status as at")
        assert result is not None
        return result
    parts = re.split(r"[/.\-]", text.strip())
    try:
        if len(parts[0]) == 4:
            return parse_date("-".join(parts), what="the page's date")
        return date(int(parts[2]), int(parts[1]), int(parts[0]))  # the page writes day first
    except (ValueError, IndexError, InputError):
        raise InputError(f"the page's date 'Status as at {text}' is not a date: give it with "
                         "--status-date YYYY-MM-DD", source=str(path)) from None


class _Table(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._sup = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "sup":
            self._sup += 1  # footnote markers

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "sup":
            self._sup = max(0, self._sup - 1)

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._sup:
            self._cell.append(data)


def _html_rows(text: str) -> list[list[str]]:
    parser = _Table()
    parser.feed(text)
    return parser.rows


def _text_rows(text: str) -> list[list[str]]:
    # Copied from a browser, cells are separated by tabs (or by runs of spaces).
    return [re.split(r"\t|\s{2,}", line.strip()) for line in text.splitlines()]


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)
