"""Comparing scenarios side by side, reproducibly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tocreview import Roster, Scenario
from tocreview.cli import main
from tocreview.rules.principles import ranking_fields
from tocreview.simulate import compare

ROSTER = Roster.bundled(as_of="2020-10-16")


def test_compare_shows_what_differs_and_is_reproducible() -> None:
    scenarios = [Scenario(), Scenario(variants=("any-two-states", "regular-budget"))]
    one = compare(scenarios, ROSTER, runs=2, load_entry_points=False)
    assert one == compare(scenarios, ROSTER, runs=2, load_entry_points=False)
    differing = dict(one.differing())
    assert differing["composition: reviewing States per instrument"] == (
        "one from the same regional group, one from another", "any two States parties")
    assert "cost of the cycle (USD, assumed rates): regular budget" in differing
    assert "cost of the cycle (USD, assumed rates): all" not in differing  # same total
    assert "coverage: States reviewed" not in differing
    assert not list(ranking_fields(one))
    with pytest.raises(ValueError):
        compare(scenarios, ROSTER, runs=0)


def test_compare_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "o.toml"
    path.write_text('variants = ["opt-out-clause"]\n[overrides]\nopted_out = ["FRA", "DEU"]\n')
    assert main(["compare", "--with-baseline", str(path), "--as-of", "2020-10-16",
                 "--runs", "1"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("coverage: States reviewed"))
    assert row.split()[-2:] == ["188", "186"]
    assert main(["compare", str(path)]) == 2
    assert "at least two scenarios" in capsys.readouterr().err
