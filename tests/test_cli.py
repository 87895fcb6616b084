"""The command line: every command, its formats, and bad input as a clear error (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tocreview.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def flat(text: str) -> str:
    """Text with its wrapping undone (the plain output wraps at 100 columns)."""
    return " ".join(text.split())


def test_roster_table_json_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "roster", "--as-of", "2014-07-10")
    assert code == 0
    assert "Data valid for: convention 2024-05-04" in out
    assert "Party status as of: 2014-07-10" in flat(out)
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["convention"][-1] == "179" and lines["firearms"][-1] == "109"
    code, out, _ = run(capsys, "roster", "--as-of", "2014-01-27", "--format", "json")
    data = json.loads(out)
    assert data["kind"] == "roster" and data["as_of"] == "2014-01-27"
    assert len(data["data"]["parties"]) == 198
    code, out, _ = run(capsys, "roster", "--format", "csv")
    (tmp_path / "r.csv").write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "roster", "--roster", str(tmp_path / "r.csv"), "--as-of",
                       "2014-07-10")
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["som"][-1] == "138"


def test_draw_check_history_round_trip(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    code, out, _ = run(capsys, "draw", "--group", "1", "--seed", "7", "--as-of", "2020-10-16",
                       "--format", "csv", "--receipt", str(tmp_path / "receipt.json"))
    assert code == 0 and out.startswith("under_review,reviewer,instrument,side,role")
    receipt = json.loads((tmp_path / "receipt.json").read_text())
    assert receipt["seed"] == "7" and receipt["method"] == "sequential"
    (tmp_path / "g1.csv").write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path / "g1.csv"), "--as-of", "2020-10-16")
    assert code == 0 and "No violations" in out
    code, out, _ = run(capsys, "draw", "--group", "2", "--seed", "7", "--as-of", "2020-10-16",
                       "--history", str(tmp_path / "g1.csv"), "--format", "json")
    assert code == 0
    two = json.loads(out)["data"]
    assert two["request"]["group"] == 2 and len(two["request"]["history"]) > 300
    # A tampered list: swap one reviewer for the State itself.
    lines = (tmp_path / "g1.csv").read_text().splitlines()
    sur = lines[1].split(",")[0]
    lines[1] = ",".join([sur, sur, *lines[1].split(",")[2:]])
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    code, out, _ = run(capsys, "check", str(tmp_path / "bad.csv"), "--as-of", "2020-10-16")
    assert code == 1 and "untoc.selection.no_self_review" in out


def test_draw_table_shows_receipt_and_what_is_provisional(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "draw", "--group", "3", "--seed", "x", "--method", "uniform",
                       "--as-of", "2022-11-01")
    assert code == 0
    assert "method uniform" in out and "Receipt: inputs" in out
    assert "Rests on 34 values not seen in adopted text" in out and "--explain" in out
    code, out, _ = run(capsys, "draw", "--group", "3", "--seed", "x", "--method", "uniform",
                       "--as-of", "2022-11-01", "--explain")
    assert "parameter no_group_mapping [unconfirmed]" in out
    assert "no_group_mapping = COK: asia_pacific; NIU: asia_pacific [unconfirmed]" in flat(out)


def test_redraw_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "draw", "--group", "1", "--seed", "7", "--as-of", "2020-10-16",
                       "--format", "json")
    first = json.loads(out)["data"]["pairings"][0]
    request = f"{first['under_review']}:{first['reviewer']}"
    code, out, _ = run(capsys, "draw", "--group", "1", "--seed", "7", "--as-of", "2020-10-16",
                       "--redraw", request)
    assert code == 0 and f"Redraw: {first['under_review']} rejected {first['reviewer']}" in out
    code, _, err = run(capsys, "draw", "--group", "1", "--seed", "7", "--redraw", "ARG")
    assert code == 2 and "STATE:REVIEWER" in err


def test_start_groups_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "start-groups", "--seed", "s", "--as-of", "2020-10-16",
                       "--format", "csv")
    (tmp_path / "groups.csv").write_text(out)
    code, out, _ = run(capsys, "draw", "--group", "2", "--seed", "s", "--as-of", "2020-10-16",
                       "--start-groups", str(tmp_path / "groups.csv"), "--format", "json")
    from_file = json.loads(out)["data"]["request"]["states_under_review"]
    _code, out, _ = run(capsys, "draw", "--group", "2", "--seed", "s", "--as-of", "2020-10-16",
                       "--format", "json")
    assert json.loads(out)["data"]["request"]["states_under_review"] == from_file


def test_rules_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "untoc.selection.no_mutual_review" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("redraw_limit "))
    assert row[1:3] == ["2", "unconfirmed"]
    assert "no_group_mapping COK: asia_pacific; NIU: unconfirmed" in flat(out)  # words
    assert "None" not in out and "{'" not in out
    code, out, _ = run(capsys, "rules", "--format", "json")
    data = json.loads(out)["data"]
    assert all(r["citations"] for r in data["rules"])


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["roster", "--as-of", "10/07/2014"], ["--as-of", "YYYY-MM-DD"]),
        (["draw", "--group", "4", "--seed", "1"], ["no start group 4"]),
        (["draw", "--group", "1", "--seed", "1", "--exclude", "FRX"], ["FRX", "FRA"]),
        (["check", "missing.csv"], ["missing.csv", "cannot read"]),
        (["roster", "--roster", "nothing.json"], ["nothing.json"]),
    ],
)
def test_bad_input_is_a_clear_error(capsys: pytest.CaptureFixture[str], argv: list[str],
                                    words: list[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("tocreview: error:")
    for word in words:
        assert word in err


def test_bad_pairings_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("under_review,reviewer,instrument\nARG,BRA,protocol\n")
    code, _, err = run(capsys, "check", str(tmp_path / "p.csv"))
    assert code == 2 and "row 2" in err and "instrument" in err
    (tmp_path / "q.csv").write_text("under_review,reviewer,instrument\nARG,BRX,tip\n")
    code, _, err = run(capsys, "check", str(tmp_path / "q.csv"))
    assert code == 2 and "row 2" in err and "'BRX'" in err and "did you mean" in err
    (tmp_path / "r.bin").write_bytes(b"\x00\x01\x02")
    code, _, err = run(capsys, "check", str(tmp_path / "r.bin"))
    assert code == 2 and "binary" in err


def test_scenarios_and_scenario_files(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    code, out, _ = run(capsys, "scenarios")
    assert code == 0 and "uncac-irm" in out and "marrakech" in out and "[proposal]" in out
    scenario = tmp_path / "s.toml"
    scenario.write_text('variants = ["opt-out-clause", "marrakech"]\n'
                        '[overrides]\nopted_out = ["FRA"]\nredraw_limit = 3\n')
    code, out, _ = run(capsys, "scenarios", "--scenario", str(scenario))
    assert "principles traded: inclusive, non-selective" in flat(out) and "margins" in out
    code, out, _ = run(capsys, "rules", "--scenario", str(scenario))
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert rows["redraw_limit"][1:3] == ["3", "proposal"] or rows["redraw_limit"][1] == "3"
    assert rows["opt_out_clause"][1] == "yes"
    code, out, _ = run(capsys, "draw", "--group", "1", "--seed", "1", "--as-of", "2020-10-16",
                       "--scenario", str(scenario), "--format", "json")
    result = json.loads(out)["data"]
    assert result["receipt"]["scenario"].startswith("untoc-2018+opt-out-clause+marrakech")
    assert "FRA" not in {p["reviewer"] for p in result["pairings"]}
    (tmp_path / "bad.toml").write_text('variants = ["marakech"]\n')
    code, _, err = run(capsys, "draw", "--group", "1", "--seed", "1", "--scenario",
                       str(tmp_path / "bad.toml"))
    assert code == 2 and "bad.toml" in err and "did you mean 'marrakech'" in err


def test_process_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "timeline", "--start", "2021-08-31", "--as-of", "2022-03-01",
                       "--done", "focal_point=2021-09-10")
    assert code == 0 and "2022-02-28" in out and "overdue" in out and "[secondary]" in flat(out)
    code, out, _ = run(capsys, "access", "--consent")
    assert code == 0 and "knowledge" in out and "with the consent" in flat(out)
    code, out, _ = run(capsys, "costs", "--rate", "translation_per_word=0.25",
                       "--rate", "pages.summary=6")
    assert code == 0 and "regular budget" in out and "voluntary contributions" in out
    for argv, words in [
        (["timeline", "--start", "2021-08-31", "--end", "2021-01-01"], "not before the end"),
        (["timeline", "--start", "2021-08-31", "--done", "focal_point"], "STAGE=DATE"),
        (["costs", "--rate", "translation_per_word=-1"], "greater than or equal to 0"),
        (["costs", "--rate", "translaton_per_word=1"], "'translation_per_word'"),
        (["costs", "--rate", "pages.summry=1"], "'summary'"),
    ]:
        code, _, err = run(capsys, *argv)
        assert code == 2 and words in err, (argv, err)
