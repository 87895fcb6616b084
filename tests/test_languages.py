"""Working languages as roster facts with their sources, and the command that answers for a
State under review and its reviewers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tocreview.cli import main
from tocreview.model.citation import Status
from tocreview.model.party import Language
from tocreview.model.roster import Roster

ROSTER = Roster.bundled()


def test_every_party_has_languages_with_a_source() -> None:
    for party in ROSTER.parties:
        assert party.languages, party.id
        assert party.languages_source is not None, party.id
        # compiled, not checked against a UN list: never more than unconfirmed
        assert party.languages_source.status in (Status.UNCONFIRMED, Status.ASSUMPTION)
    assert ROSTER.get("ARG").languages == (Language.SPANISH,)
    assert ROSTER.get("CAN").languages == (Language.ENGLISH, Language.FRENCH)
    assert ROSTER.get("CHN").languages == (Language.CHINESE,)
    assert ROSTER.get("DEU").languages_source.status is Status.ASSUMPTION  # no UN language


def test_languages_round_trip_through_csv(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(ROSTER.to_csv(), encoding="utf-8")
    again = Roster.from_csv(path)
    assert again.get("CAN").languages == ROSTER.get("CAN").languages
    assert again.get("CAN").languages_source == ROSTER.get("CAN").languages_source


def test_language_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["language", "ARG", "--reviewers", "CHL,FRA"]) == 0
    out = capsys.readouterr().out
    assert "works in the language of ARG (es)" in out
    assert "responses of ARG into fr for FRA" in out
    assert main(["language", "ARG", "--reviewers", "CHL", "--reviewers", "MEX",
                 "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)["data"]
    assert plan["working_languages"] == ["es"] and plan["translations"] == []
    pairings = tmp_path / "p.csv"
    pairings.write_text("under_review,reviewer,instrument\nARG,CAN,convention\n"
                        "ARG,CHL,convention\n", encoding="utf-8")
    assert main(["language", "ARG", "--pairings", str(pairings)]) == 0
    assert "CAN" in capsys.readouterr().out
    assert main(["language", "ARG"]) == 2
    assert "give the reviewers" in capsys.readouterr().err
    assert main(["language", "ARG", "--reviewers", "XYZ"]) == 2
    assert main(["language", "ARG", "--reviewers", "ARG,CHL"]) == 2
    assert "is the State under review" in capsys.readouterr().err
