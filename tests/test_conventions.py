"""Conventions a user expects of a command-line library."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tocreview
from tocreview.cli import EXAMPLES, build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def test_version_in_one_place(capsys: pytest.CaptureFixture[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"tocreview {tocreview.__version__}"


def test_python_dash_m() -> None:
    run = subprocess.run([sys.executable, "-m", "tocreview", "--version"],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == f"tocreview {tocreview.__version__}"


def test_every_subcommand_has_a_description_and_an_example() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) == set(EXAMPLES)
    for name, command in commands.items():
        text = command.format_help()
        assert command.description and f"example:\n  tocreview {name}" in text, name


def test_license_and_changelog() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert f"## {tocreview.__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_reviewers_of_lists_the_same_group_reviewer_first() -> None:
    from tocreview import Roster, draw
    from tocreview.model.result import Side

    result = draw(Roster.bundled(as_of="2020-10-16"), group=1, seed=7)
    for sur in result.request.states_under_review:
        for instrument, reviewers in result.reviewers_of(sur).items():
            sides = {p.reviewer: p.side for p in result.pairings
                     if p.under_review == sur and p.instrument == instrument}
            assert [sides[r] for r in reviewers] == [Side.SAME_GROUP, Side.OTHER_GROUP]


def test_the_quick_profile_tries_fewer_examples_never_fewer_than_five() -> None:
    from budget import examples
    from hypothesis import settings

    current = settings.get_current_profile_name()
    try:
        settings.load_profile("thorough")
        assert examples(60) == 60
        settings.load_profile("quick")
        assert (examples(60), examples(8)) == (12, 5)
    finally:
        settings.load_profile(current)
