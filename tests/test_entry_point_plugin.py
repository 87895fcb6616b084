"""A third-party plugin, built as a wheel and installed in the test, found through the
``tocreview`` entry-point group; its variant and constraint take effect, and the
environment variables select or block it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from wheelkit import install_plugin

PLUGIN = '''
from tocreview import hookimpl
from tocreview.draw.problem import PairingConstraint
from tocreview.model import Citation, Status
from tocreview.plugins.model import Effect, Variant

CITE = Citation(document="Delegation X proposal", status=Status.PROPOSAL)
CALLS = []


@hookimpl
def register_variants(register):
    register(Variant(key="no-neighbour-reviews", option="neighbours", title="No neighbours",
                     citation=CITE, constraints=("x.no_neighbours",),
                     parameters={"redraw_limit": 1}))


@hookimpl
def register_constraints(register):
    register(PairingConstraint(id="x.no_neighbours", citation=CITE, source="delegation-x",
                               allows=lambda r, s, p: {r.id, s.id} != {"ARG", "BRA"}))


@hookimpl
def policy_effects(policy):
    return [Effect(option="neighbours", item="rule", value="no neighbour reviews",
                   citation=CITE)]


@hookimpl
def draw_completed(draw):
    CALLS.append(draw.receipt.result_hash)
'''

SCRIPT = '''
import json
from tocreview import Mechanism, Roster, Scenario
import delegation_x_plugin as plugin
roster = Roster.bundled(as_of="2020-10-16")
out = {"variants": sorted(Mechanism(Scenario(), roster).variants())}
try:
    m = Mechanism(Scenario(variants=("no-neighbour-reviews",)), roster)
except Exception as exc:
    out["error"] = str(exc)
else:
    pairs = set()
    for g in (1, 2, 3):
        pairs |= {(p.under_review, p.reviewer) for p in m.draw(group=g, seed="x").pairings}
    out["pairs_arg_bra"] = sorted(p for p in pairs if set(p) == {"ARG", "BRA"})
    out["redraw_limit"] = m.parameters.redraw_limit
    out["effects"] = [e.value for e in m.effects() if e.option == "neighbours"]
    out["observed"] = len(plugin.CALLS)
print(json.dumps(out))
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_plugin(tmp_path_factory.mktemp("plugin"), "delegation_x_plugin", PLUGIN,
                          "delegation_x")


def run(site: Path, **env: str) -> dict[str, object]:
    environment = {**os.environ, "PYTHONPATH": str(site), **env}
    for name in ("TOCREVIEW_LOAD_PLUGINS", "TOCREVIEW_DISABLE_PLUGINS"):
        if name not in env:
            environment.pop(name, None)
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=environment, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_installed_plugin_adds_a_variant_and_a_constraint(site: Path) -> None:
    out = run(site)
    assert "no-neighbour-reviews" in out["variants"]  # type: ignore[operator]
    assert out["pairs_arg_bra"] == []
    assert out["redraw_limit"] == 1
    assert out["effects"] == ["no neighbour reviews"]
    assert out["observed"] == 3  # draw_completed saw every draw


def test_environment_selects_or_blocks_plugins(site: Path) -> None:
    blocked = run(site, TOCREVIEW_DISABLE_PLUGINS="delegation_x")
    assert "no-neighbour-reviews" not in blocked["variants"]  # type: ignore[operator]
    assert "unknown variant 'no-neighbour-reviews'" in str(blocked["error"])
    none = run(site, TOCREVIEW_LOAD_PLUGINS="")
    assert "no-neighbour-reviews" not in none["variants"]  # type: ignore[operator]
    only = run(site, TOCREVIEW_LOAD_PLUGINS="delegation_x")
    assert "no-neighbour-reviews" in only["variants"]  # type: ignore[operator]


CLASS_PLUGIN = '''
from tocreview.plugins import Citation, Status, Variant, hookimpl


class Plugin:
    @hookimpl
    def register_variants(self, register):
        register(Variant(key="three-redraws", option="redraws", title="Three redraws",
                         citation=Citation(document="our proposal", status=Status.PROPOSAL),
                         parameters={"redraw_limit": 3}))
'''

CLASS_SCRIPT = '''
from tocreview import Mechanism, Scenario
try:
    print(Mechanism(Scenario(variants=("three-redraws",))).parameters.redraw_limit)
except Exception as exc:
    print("error:", exc)
'''


@pytest.mark.parametrize(("target", "expected"), [
    ("class_plugin:Plugin", "3"),
    ("class_plugin", "error: plugin 'classy', entry point: class_plugin has no function "
                     "marked @tocreview.hookimpl"),
])
def test_a_class_named_by_the_entry_point_is_instantiated_else_the_error_names_it(
        tmp_path: Path, target: str, expected: str) -> None:
    site = install_plugin(tmp_path, "class_plugin", CLASS_PLUGIN, "classy", target)
    environment = {**os.environ, "PYTHONPATH": str(site), "TOCREVIEW_LOAD_PLUGINS": "classy"}
    done = subprocess.run([sys.executable, "-c", CLASS_SCRIPT], capture_output=True, text=True,
                          env=environment, check=True)
    assert done.stdout.strip().startswith(expected)


def test_the_cost_example_of_the_hooks_page_installs_changes_costs_and_keeps_the_principles(
        tmp_path: Path) -> None:
    # The example exactly as docs/hooks.md gives it, installed as a package whose entry point
    # names the class: it adds a funding option that changes the cost figures.
    import re

    page = (Path(__file__).resolve().parents[1] / "docs" / "hooks.md").read_text()
    example = next(block for block in re.findall(r"```python\n(.*?)```", page, flags=re.S)
                   if "cost_rates" in block)
    site = install_plugin(tmp_path, "co_funding_plugin", example, "co_funding",
                          "co_funding_plugin:CoFunding")
    script = '''
import json
from tocreview import Mechanism, Roster, Scenario
from tocreview.testing.principles import assert_principles
roster = Roster.bundled(as_of="2020-10-16")
base = Mechanism(Scenario(), roster).costs()
chosen = Mechanism(Scenario(variants=("co-funding",)), roster)
costs = chosen.costs()
report = assert_principles(chosen)
print(json.dumps({"base": base.cycle_total, "chosen": costs.cycle_total,
                  "cited": costs.citations["translation_per_word"].document,
                  "traded": sorted(p.value for p in report.traded())}))
'''
    environment = {**os.environ, "PYTHONPATH": str(site), "TOCREVIEW_LOAD_PLUGINS": "co_funding"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=environment)
    assert done.returncode == 0, done.stderr[-1500:]
    out = json.loads(done.stdout)
    assert out["chosen"] < out["base"]
    assert out["cited"] == "our proposal" and out["traded"] == []
