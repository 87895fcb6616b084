"""The pytest plugin: its fixtures, and the principle suite run from the command line against
a scenario file and against an installed (biased) plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wheelkit import install_plugin

from tocreview import Mechanism, Roster

BIASED = '''
from tocreview import hookimpl
from tocreview.draw.problem import PairingConstraint
from tocreview.model import Citation, Status
from tocreview.plugins.model import Variant

CITE = Citation(document="biased proposal", status=Status.PROPOSAL)


@hookimpl
def register_variants(register):
    register(Variant(key="spare-germany", option="bias", title="Germany never reviews",
                     citation=CITE, constraints=("bias.spare_germany",)))


@hookimpl
def register_constraints(register):
    register(PairingConstraint(id="bias.spare_germany", citation=CITE, source="biased",
                               allows=lambda r, s, p: r.id != "DEU"))
'''


def test_fixtures(tocreview_mechanism: Mechanism, tocreview_roster: Roster,
                  tocreview_small_roster: Roster) -> None:
    assert tocreview_mechanism.key == "untoc-2018"
    assert tocreview_roster.as_of is not None and len(tocreview_small_roster) == 6


def _pytest(args: list[str], cwd: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOCREVIEW_")}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_principle_suite_on_a_scenario_file(tmp_path: Path) -> None:
    scenario = tmp_path / "proposal.toml"
    scenario.write_text('variants = ["opt-out-clause"]\n[overrides]\nopted_out = ["FRA"]\n')
    done = _pytest(["--tocreview-principles", str(scenario)], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
    assert "principles traded away" in done.stdout and "not reviewed: FRA" in done.stdout


def test_principle_suite_catches_an_installed_biased_plugin(tmp_path: Path) -> None:
    site = install_plugin(tmp_path, "biased_plugin", BIASED, "biased")
    done = _pytest(["--tocreview-principles", "installed"], tmp_path, site)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "untoc-2018+spare-germany-impartial" in out
    assert "impartial violated by untoc-2018+spare-germany" in out
    assert "DEU and" in out or "and DEU" in out
    assert "bias.spare_germany" in out
    assert "untoc-2018-impartial" not in out.split("short test summary")[-1]  # baseline passes
