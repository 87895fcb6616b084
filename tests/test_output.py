"""What the command line writes: plain tables that fit, rich on a terminal, one JSON envelope
with a schema for every output, and JSON that reads back where an input of that kind exists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tocreview.cli import main
from tocreview.model.roster import Roster
from tocreview.render import PLAIN_WIDTH, plain_table, render
from tocreview.report import Table, fold, table, words
from tocreview.schemas import DATA, DOCUMENTS, schema


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) in (0, 1)
    return capsys.readouterr().out


cells = st.one_of(st.text(st.characters(codec="ascii", exclude_categories=("Cc",)),
                          max_size=80), st.integers(-10**9, 10**9))


@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=8),
       st.integers(40, 160))
def test_plain_tables_fit_keep_every_word_and_align_numbers(rows: list[list[Any]],
                                                            size: int) -> None:
    block = table(["first", "second", "third"], rows)
    lines = plain_table(block, size)
    words_in = sorted(w for r in rows for c in r for w in
                      (f"{c:,}" if isinstance(c, int) else c).split())
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "} and "-" in line)
    words_out = sorted(w for line in lines[rule + 1:] for w in line.split())
    # Wrapping loses and invents nothing; a word is split only when longer than 24 characters.
    assert sorted("".join(words_in)) == sorted("".join(w for w in words_out))
    if all(len(w) <= 24 for w in words_in):
        assert words_in == words_out
    assert all(line == line.rstrip() for line in lines)
    # Fits whenever it can: every column narrowed to its longest word (at least 6; numbers
    # never wrap) still fits the width.
    texts = [[h, *((f"{r[i]:,}" if isinstance(r[i], int) else r[i]) for r in rows)]
             for i, h in enumerate(["first", "second", "third"])]
    narrowest = sum(max(6, *(len(w) for c in col for w in c.split())) for col in texts) + 4
    assert not any("\n" in line for line in lines)  # one element per printed line
    if all(len(w) <= 24 for w in words_in) and narrowest <= size:
        assert max(len(line) for line in lines) <= size


def test_numbers_are_right_aligned_with_separators() -> None:
    lines = plain_table(table(["item", "amount"], [["a", 1234567], ["b", 5.4]]), 100)
    assert lines[2].endswith("1,234,567") and lines[3].endswith("        5")


def test_values_read_as_words_not_python() -> None:
    assert words(None) == "none" and words(True) == "yes" and words([]) == "none"
    assert words({"COK": "asia_pacific"}) == "COK: asia_pacific"
    assert words(("FRA", "DEU")) == "FRA, DEU" and words(10000) == "10,000"
    assert fold([str(i) for i in range(10)], 3) == "0, 1, 2 and 7 more"
    assert fold(["a", "b", "c", "d"], 3) == "a, b, c, d"


def test_plain_is_stable_and_the_terminal_gets_rich() -> None:
    blocks = ["warning: a [unconfirmed] value", Table(("a", "n"), (("x", 1),))]
    plain = render(blocks)
    assert plain == render(blocks) and "\x1b[" not in plain
    assert plain.splitlines()[0] == "warning: a [unconfirmed] value"
    shown = render(blocks, terminal=True, columns=60)
    assert "\x1b[" in shown  # colour codes on a terminal
    assert "x" in shown and "1" in shown


def test_every_command_line_is_at_most_the_plain_width(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    for argv in (["roster", "--as-of", "2014-07-10"], ["rules"], ["scenarios"],
                 ["start-groups", "--seed", "1", "--as-of", "2020-10-16"],
                 ["draw", "--group", "1", "--seed", "1", "--as-of", "2020-10-16"],
                 ["costs"], ["access"]):
        out = run(capsys, *argv)
        too_wide = [line for line in out.splitlines() if len(line) > PLAIN_WIDTH]
        assert too_wide == [], (argv, too_wide[:2])


@pytest.mark.parametrize("name", [*DATA, *DOCUMENTS])
def test_every_output_has_a_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(schema(name))
    assert document["title"] == f"tocreview {name}" and document["type"] == "object"
    assert json.loads(run(capsys, "schema", name)) == document


def test_schema_names_are_listed_and_unknown_ones_refused(
        capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "schema")
    assert all(name in out for name in DATA)
    assert main(["schema", "drw"]) == 2
    assert "did you mean 'draw'" in capsys.readouterr().err


JSON_COMMANDS = {
    "roster": ["roster", "--as-of", "2020-10-16"],
    "start-groups": ["start-groups", "--seed", "1", "--as-of", "2020-10-16"],
    "draw": ["draw", "--group", "1", "--seed", "1", "--as-of", "2020-10-16"],
    "rules": ["rules"],
    "scenarios": ["scenarios"],
    "timeline": ["timeline", "--start", "2021-11-01"],
    "language": ["language", "ARG", "--reviewers", "CHL,FRA"],
    "access": ["access"],
    "costs": ["costs"],
}


@pytest.mark.parametrize("kind", sorted(JSON_COMMANDS))
def test_every_json_output_is_the_envelope_and_its_data_validates(
        kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = json.loads(run(capsys, *JSON_COMMANDS[kind], "--format", "json"))
    assert set(out) == {"kind", "tocreview", "as_of", "data_valid_for", "citations", "data"}
    assert out["kind"] == kind
    DATA[kind].model_validate(out["data"])  # the data is what its schema says
    if kind in ("roster", "draw", "start-groups"):
        assert out["as_of"] == "2020-10-16" and out["data_valid_for"]["convention"]


def test_check_and_compare_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pairings = tmp_path / "p.csv"
    pairings.write_text(run(capsys, "draw", "--group", "1", "--seed", "1", "--as-of",
                            "2020-10-16", "--format", "csv"))
    out = json.loads(run(capsys, "check", str(pairings), "--as-of", "2020-10-16",
                         "--format", "json"))
    assert out["kind"] == "check" and out["data"]["violations"] == []
    assert out["data"]["checked"] == len(pairings.read_text().splitlines()) - 1
    scenario = tmp_path / "s.toml"
    scenario.write_text('variants = ["marrakech"]\n')
    out = json.loads(run(capsys, "compare", "--with-baseline", str(scenario), "--runs", "1",
                         "--as-of", "2020-10-16", "--format", "json"))
    DATA["compare"].model_validate(out["data"])


def test_json_outputs_read_back_as_inputs(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    # roster --format json is a roster file
    roster_file = tmp_path / "roster.json"
    roster_file.write_text(run(capsys, "roster", "--format", "json"))
    assert Roster.from_json(roster_file) == Roster.bundled()
    # draw --format json is a pairings file (history, check)
    draw_file = tmp_path / "year1.json"
    draw_file.write_text(run(capsys, "draw", "--group", "1", "--seed", "1", "--as-of",
                             "2020-10-16", "--format", "json"))
    out = run(capsys, "check", str(draw_file), "--as-of", "2020-10-16")
    assert "No violations" in out
    # start-groups --format json is a start-groups file
    groups_file = tmp_path / "groups.json"
    groups_file.write_text(run(capsys, "start-groups", "--seed", "s", "--as-of", "2020-10-16",
                               "--format", "json"))
    a = json.loads(run(capsys, "draw", "--group", "2", "--seed", "s", "--as-of", "2020-10-16",
                       "--start-groups", str(groups_file), "--format", "json"))
    b = json.loads(run(capsys, "draw", "--group", "2", "--seed", "s", "--as-of", "2020-10-16",
                       "--format", "json"))
    assert a["data"]["pairings"] == b["data"]["pairings"]
    # an envelope of another kind is refused by name
    assert main(["roster", "--roster", str(draw_file)]) == 2
    assert "this is tocreview 'draw' output, not 'roster'" in capsys.readouterr().err
