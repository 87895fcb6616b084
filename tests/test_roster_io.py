"""Rosters and models survive JSON and CSV; bad files give typed, actionable errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from budget import examples
from hypothesis import given, settings

from tocreview import Citation, Party, Roster
from tocreview.errors import InputError, RosterError, TocreviewError
from tocreview.model import Consent
from tocreview.testing import strategies as tst


@given(tst.citations())
def test_citation_json_round_trip(citation: Citation) -> None:
    assert Citation.model_validate_json(citation.model_dump_json()) == citation


@given(tst.parties())
def test_party_json_round_trip(party: Party) -> None:
    assert Party.model_validate_json(party.model_dump_json()) == party
    for consent in party.consents:
        assert Consent.model_validate_json(consent.model_dump_json()) == consent


@settings(max_examples=examples(60))
@given(tst.rosters())
def test_roster_json_round_trip(tmp_path_factory: pytest.TempPathFactory, roster: Roster) -> None:
    path = tmp_path_factory.mktemp("r") / "roster.json"
    path.write_text(roster.to_json(), encoding="utf-8")
    assert Roster.from_json(path) == roster


@settings(max_examples=examples(60))
@given(tst.rosters())
def test_roster_csv_round_trip(tmp_path_factory: pytest.TempPathFactory, roster: Roster) -> None:
    path = tmp_path_factory.mktemp("r") / "roster.csv"
    path.write_text(roster.to_csv(), encoding="utf-8")
    assert Roster.from_csv(path) == roster


def test_bundled_round_trips(tmp_path: Path) -> None:
    roster = Roster.bundled(as_of="2014-07-10")
    (tmp_path / "r.csv").write_text(roster.to_csv(), encoding="utf-8")
    (tmp_path / "r.json").write_text(roster.to_json(), encoding="utf-8")
    assert Roster.from_csv(tmp_path / "r.csv") == roster
    assert Roster.from_json(tmp_path / "r.json") == roster


def test_json_schema_has_party_id_pattern() -> None:
    schema = json.loads(Roster.json_schema())
    party = schema["$defs"]["Party"]["properties"]["id"]
    assert party["pattern"] == "^[A-Z]{3}$"


MINIMAL = "id,name,regional_group,convention\n"


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_user_csv_minimal_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.csv", MINIMAL + "FRA,France,weog,2002-10-29\nDEU,Germany,WEOG,\n")
    roster = Roster.from_csv(path)
    assert [p.id for p in roster.parties_to("convention")] == ["FRA"]
    assert roster.get("DEU").group_source.status.value == "assumption"


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        (MINIMAL + "fra,France,weog,2002-10-29\n", RosterError, ["row 2", "id", "upper case"]),
        (MINIMAL + "FR,France,weog,2002-10-29\n", RosterError, ["row 2", "'FR'", "alpha-3"]),
        (MINIMAL + "FRA,France,weog,2002-10-29\nFRA,Francia,weog,\n", RosterError,
         ["duplicate party ids: FRA"]),
        (MINIMAL + "FRA,France,weog,29/10/2002\n", InputError,
         ["row 2", "column 'convention'", "29/10/2002", "YYYY-MM-DD"]),
        (MINIMAL + "FRA,France,europe,2002-10-29\n", InputError,
         ["row 2", "regional_group", "'europe'"]),
        ("id,name,convention\nFRA,France,2002\n", InputError, ["missing column", "regional_group"]),
        ("id,name,regional_group,treaty\nFRA,France,weog,\n", InputError,
         ["unknown column", "treaty"]),
        ("id,name,regional_group,kind,members,members_source\n"
         "EUU,Union,none,reio,FRA;DEU,\"{\"\"document\"\": \"\"x\"\", \"\"status\"\": \"\"secondary\"\"}\"\n"
         "FRA,France,weog,state,,\n",
         RosterError, ["EUU", "not in the roster", "DEU"]),
        ("", InputError, ["empty"]),
        (MINIMAL, InputError, ["no parties"]),
    ],
)
def test_bad_csv(tmp_path: Path, text: str, error: type[Exception], words: list[str]) -> None:
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(error) as info:
        Roster.from_csv(path)
    message = str(info.value)
    assert "bad.csv" in message
    for word in words:
        assert word in message


def test_binary_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        Roster.from_csv(path)
    with pytest.raises(InputError, match="binary"):
        Roster.from_json(path)


def test_bad_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"not valid JSON.*line 1"):
        Roster.from_json(_write(tmp_path, "r.json", "{parties: []"))
    good = json.loads(Roster.bundled().to_json())
    good["parties"][3]["regional_group"] = "europe"
    with pytest.raises(RosterError) as info:
        Roster.from_json(_write(tmp_path, "r2.json", json.dumps(good)))
    assert "row 4" in str(info.value) and "regional_group" in str(info.value)
    with pytest.raises(TocreviewError, match="cannot read"):
        Roster.from_json(tmp_path / "missing.json")


def test_bad_dates_and_names() -> None:
    roster = Roster.bundled()
    with pytest.raises(InputError, match="2014-02-30"):
        roster.on("2014-02-30")
    with pytest.raises(TocreviewError, match="unknown instrument"):
        roster.parties_to("protocol")
