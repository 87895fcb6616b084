"""tocreview roster update: the UN Treaty Collection status table, read from saved pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tocreview.cli import main
from tocreview.errors import InputError
from tocreview.model.citation import Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import ConsentType
from tocreview.model.roster import Roster
from tocreview.roster_update import read_status_table, update_roster

FIXTURES = Path(__file__).parent / "fixtures" / "untc"
BUNDLED = Roster.bundled()


def test_an_html_page_adds_consents_with_their_source() -> None:
    report = update_roster(BUNDLED, Instrument.TIP, FIXTURES / "tip.html")
    assert report.status_date == date(2026, 11, 30)
    assert sorted(p for p, _ in report.added) == ["CZE", "JPN", "KOR", "LKA", "NPL", "SLE"]
    assert report.roster is not None
    japan = next(c for c in report.roster.get("JPN").consents if c.instrument is Instrument.TIP)
    assert (japan.deposited, japan.signed) == (date(2017, 7, 11), date(2002, 12, 9))
    assert japan.consent_type is ConsentType.ACCEPTANCE  # "A" after the date
    assert japan.source.status is Status.SECONDARY
    assert "XVIII-12-a" in japan.source.document and "2026-11-30" in japan.source.document
    assert "tip.html" in (japan.source.note or "")
    # A fact the page confirms keeps its original source.
    before = next(c for c in BUNDLED.get("ARG").consents if c.instrument is Instrument.TIP)
    after = next(c for c in report.roster.get("ARG").consents if c.instrument is Instrument.TIP)
    assert after == before
    assert report.roster.get("SLE").is_party_to(Instrument.TIP, date(2020, 10, 16)) is True
    assert report.roster.get("SLE").is_party_to(Instrument.TIP, date(2014, 8, 11)) is False
    summary = "\n".join(report.summary())
    assert ("6 parties added to the Trafficking in Persons Protocol after 2014-01-27: "
            "CZE, JPN, KOR, LKA, NPL, SLE.") in summary
    # A partial page updates facts but does not move the data's validity.
    assert report.roster.data_valid_for[Instrument.TIP] == date(2014, 1, 27)
    assert "is the saved page complete?" in summary and "still valid to 2014-01-27" in summary


def test_text_pages_with_tabs_or_spaces() -> None:
    rows, stated = read_status_table(FIXTURES / "som.txt")
    assert stated == date(2026, 11, 30)  # "30/11/2026": the page writes the day first
    ivory = next(r for r in rows if r.participant.startswith("C"))
    assert ivory.participant == "C\u00f4te d\u2019Ivoire" and ivory.signed is None
    assert ivory.kind is ConsentType.ACCESSION
    assert next(r for r in rows if r.participant == "Japan").kind is ConsentType.ACCEPTANCE
    rows, stated = read_status_table(FIXTURES / "convention.txt")
    palau = next(r for r in rows if r.participant == "Palau")
    assert palau.consented == date(2019, 6, 13) and palau.signed is None  # "a": no signature
    tuvalu = next(r for r in rows if r.participant == "Tuvalu")
    assert tuvalu.signed == date(2000, 12, 12) and tuvalu.consented is None  # no letter


def test_unresolved_statuses_are_settled_only_by_the_page() -> None:
    report = update_roster(BUNDLED, Instrument.CONVENTION, FIXTURES / "convention.txt")
    assert report.roster is not None
    assert sorted(p for p, _ in report.added) == ["PLW", "SOM", "SSD"]
    assert report.settled == ["TUV"]  # listed as a signatory only
    assert sorted(report.still_unresolved) == ["PNG", "SLB"]  # not on the page: still open
    assert report.roster.get("PNG").unresolved


def complete_page(roster: Roster, instrument: Instrument, extra: dict[str, str]) -> str:
    """The whole status table of the roster's facts in the page's HTML layout, plus rows."""
    rows = []
    for p in roster.parties:
        consent = next((c for c in p.consents if c.instrument is instrument), None)
        if consent is None or consent.deposited is None:
            continue
        letter = {ConsentType.ACCESSION: " a", ConsentType.ACCEPTANCE: " A",
                  ConsentType.APPROVAL: " AA", ConsentType.SUCCESSION: " d"}.get(
                      consent.consent_type, "")  # type: ignore[arg-type]
        signed = consent.signed.strftime("%-d %b %Y") if consent.signed else ""
        rows.append(f"<tr><td>{p.name}<sup>1</sup></td><td>{signed}</td>"
                    f"<td>{consent.deposited.strftime('%-d %b %Y')}{letter}</td></tr>")
    rows += [f"<tr><td>{name}</td><td></td><td>{cell}</td></tr>" for name, cell in extra.items()]
    return ("<p>Status as at : 01-12-2026</p><table><tr><th>Participant</th><th>Signature</th>"
            "<th>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</th>"
            "</tr>" + "".join(rows) + "</table>")


def test_a_complete_page_moves_the_validity_and_changes_nothing_else(tmp_path: Path) -> None:
    page = tmp_path / "firearms.html"
    page.write_text(complete_page(BUNDLED, Instrument.FIREARMS, {"Japan": "1 Jun 2026 a"}))
    report = update_roster(BUNDLED, Instrument.FIREARMS, page)
    assert report.roster is not None and report.complete
    assert report.added == [("JPN", date(2026, 6, 1))]
    # Only dates the roster knew to the month are refined (the page gives the day).
    months = {p.id for p in BUNDLED.parties for c in p.consents
              if c.instrument is Instrument.FIREARMS and c.precision.value == "month"}
    assert {p for p, _, _ in report.changed} == months
    assert report.roster.data_valid_for[Instrument.FIREARMS] == date(2026, 12, 1)
    unchanged = [p.id for p in BUNDLED.parties if p.id != "JPN" and p.id not in months]
    assert all(report.roster.get(i).consents == BUNDLED.get(i).consents for i in unchanged)
    # The same page again changes nothing.
    again = update_roster(report.roster, Instrument.FIREARMS, page)
    assert again.added == [] and again.changed == [] and again.roster == report.roster
    assert again.complete


def test_a_corrected_date_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "tip.html"
    page.write_text(complete_page(BUNDLED, Instrument.TIP, {}).replace(
        "<td>Argentina<sup>1</sup></td><td>12 Dec 2000</td><td>19 Nov 2002</td>",
        "<td>Argentina<sup>1</sup></td><td>12 Dec 2000</td><td>20 Nov 2002</td>"))
    report = update_roster(BUNDLED, Instrument.TIP, page)
    assert report.changed == [("ARG", "2002-11-19", "2002-11-20")]
    assert "1 dates of deposit corrected: ARG (2002-11-19 -> 2002-11-20)" in "\n".join(
        report.summary())


@pytest.mark.parametrize(("text", "words"), [
    ("<p>Status as at : 01-12-2026</p><table><tr><td>Participant</td><td>Signature</td>"
     "<td>R</td></tr><tr><td>Argentine</td><td></td><td>1 Jan 2003</td></tr></table>",
     ["unknown participant 'Argentine'", "did you mean 'Argentina'", "row 2"]),
    ("Status as at: 01/12/2026\nParticipant\tSignature\tRatification\nFrance\t\t31 Feb 2003\n",
     ["not a real date", "row 3", "Ratification"]),
    ("<table><tr><td>Participant</td><td>Signature</td><td>R</td></tr>"
     "<tr><td>France</td><td></td><td>1 Jan 2003</td></tr></table>",
     ["does not say its date", "--status-date"]),
    ("Status as at: 01/12/2026\nParticipant\tSignature\tRatification\nFrance\t\t1 Jan 2030\n",
     ["after the page's date"]),
    ("Status as at: 01/12/2026\nParticipant\tSignature\tRatification\nFrance\t\t1 Jan 2003\n"
     "France\t\t1 Jan 2003\n", ["listed twice"]),
    ("Status as at: 01/12/2026\nno table here\n", ["no table with a 'Participant' column"]),
    ("Status as at: 31/02/2026\nParticipant\tSignature\tRatification\n",
     ["'Status as at 31/02/2026' is not a date"]),
])
def test_bad_pages_are_clear_errors(tmp_path: Path, text: str, words: list[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(text)
    with pytest.raises(InputError) as caught:
        update_roster(BUNDLED, Instrument.TIP, page)
    for word in words:
        assert word in str(caught.value)


def test_all_four_instruments_from_the_command_line_then_a_draw(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.json"
    pages = {"tip": "tip.html", "som": "som.txt", "firearms": "firearms.html",
             "convention": "convention.txt"}
    for number, (instrument, page) in enumerate(pages.items()):
        argv = ["roster", "update", "--instrument", instrument, "--from",
                str(FIXTURES / page), "--output", str(roster)]
        if number:
            argv += ["--roster", str(roster)]
        assert main(argv) == 0
        assert f"Written to {roster}" in capsys.readouterr().out
    updated = Roster.from_json(roster)
    assert updated.get("MAR").is_party_to(Instrument.SOM) is True
    assert updated.get("DEU").is_party_to(Instrument.FIREARMS) is True
    assert updated.get("PLW").is_party_to(Instrument.CONVENTION) is True
    assert main(["draw", "--group", "1", "--seed", "2020", "--as-of", "2026-12-01",
                 "--roster", str(roster), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)["data"]
    reviewed = set(result["request"]["states_under_review"])
    assert main(["start-groups", "--seed", "2020", "--as-of", "2026-12-01", "--roster",
                 str(roster), "--format", "json"]) == 0
    groups = json.loads(capsys.readouterr().out)["data"]["groups"]
    assert reviewed == set(groups[0]) and "PLW" in {s for g in groups for s in g}
    # Bad output names and unknown instruments are errors, and nothing is half-written.
    assert main(["roster", "update", "--instrument", "tipp", "--from", str(FIXTURES / "tip.html"),
                 "--output", str(tmp_path / "x.json")]) == 2
    assert "did you mean 'tip'" in capsys.readouterr().err
    assert main(["roster", "update", "--instrument", "tip", "--from", str(FIXTURES / "tip.html"),
                 "--output", str(tmp_path / "x.txt")]) == 2
    assert main(["roster", "update", "--instrument", "tip", "--from", str(FIXTURES / "tip.html"),
                 "--output", str(tmp_path / "missing" / "x.json")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.json"]
