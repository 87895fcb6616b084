"""The policy layer: hooks documented, plugins isolated, order-independent, errors named."""

from __future__ import annotations

import inspect
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from tocreview import Instrument, Roster
from tocreview.draw.problem import PairingConstraint
from tocreview.mechanism import Mechanism
from tocreview.model import Citation, Status
from tocreview.plugins import hookimpl, hookspecs
from tocreview.plugins.manager import PluginError
from tocreview.plugins.model import Effect, Variant
from tocreview.scenario import Scenario

ROSTER = Roster.bundled(as_of="2020-10-16")
CITE = Citation(document="test plugin", status=Status.PROPOSAL)
DOCS = Path(__file__).resolve().parents[1] / "docs" / "hooks.md"


def test_every_hook_is_documented_with_its_signature() -> None:
    text = DOCS.read_text()
    headings = set(re.findall(r"^## (.+)$", text, flags=re.M))
    specs = [f for name, f in vars(hookspecs).items()
             if callable(f) and hasattr(f, "tocreview_spec")]
    assert len(specs) == 8
    for spec in specs:
        args = ", ".join(inspect.signature(spec).parameters)
        assert f"{spec.__name__}({args})" in headings, spec.__name__
        assert spec.__doc__ and "Called" in spec.__doc__


class NoNeighbours:
    """Adds a variant that switches on a constraint: no reviewer from a list of States."""

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="no-big-reviewers", option="test", title="t", citation=CITE,
                         constraints=("test.no_big",)))

    @hookimpl
    def register_constraints(self, register: Any) -> None:
        register(PairingConstraint(id="test.no_big", citation=CITE, source="test",
                                   allows=lambda r, s, p: r.id not in {"USA", "CHN", "RUS"}))


class SaysSomething:
    def __init__(self, value: str) -> None:
        self.value = value

    @hookimpl
    def policy_effects(self) -> list[Effect]:
        return [Effect(option="test", item="x", value=self.value, citation=CITE)]


class Broken:
    @hookimpl
    def policy_effects(self) -> list[Effect]:
        raise RuntimeError("boom")


def test_constraint_from_a_plugin_changes_the_draw_and_the_check() -> None:
    base = Mechanism(Scenario(), ROSTER, plugins=[NoNeighbours()], load_entry_points=False)
    with_it = Mechanism(Scenario(variants=("no-big-reviewers",)), ROSTER,
                        plugins=[NoNeighbours()], load_entry_points=False)
    reviewers = {p.reviewer for g in (1, 2, 3)
                 for p in with_it.draw(group=g, seed="c").pairings}
    assert not reviewers & {"USA", "CHN", "RUS"}
    before = {p.reviewer for g in (1, 2, 3) for p in base.draw(group=g, seed="c").pairings}
    assert before & {"USA", "CHN", "RUS"}
    drawn = base.draw(group=1, seed="c")
    flagged = with_it.check(drawn.pairings)
    assert all(v.rule == "test.no_big" for v in flagged)
    assert bool(flagged) == bool({p.reviewer for p in drawn.pairings} & {"USA", "CHN", "RUS"})


def test_plugin_errors_name_plugin_and_hook() -> None:
    m = Mechanism(Scenario(), ROSTER, plugins=[Broken()], load_entry_points=False)
    with pytest.raises(PluginError, match=r"plugin 'Broken-0', hook policy_effects: raised "
                                          r"RuntimeError: boom"):
        m.effects()

    class BadRegister:
        @hookimpl
        def register_variants(self, register: Any) -> None:
            register({"key": "x"})

    with pytest.raises(PluginError, match="BadRegister-0.*register_variants.*expected Variant"):
        Mechanism(Scenario(), ROSTER, plugins=[BadRegister()], load_entry_points=False)

    class Duplicate:
        @hookimpl
        def register_variants(self, register: Any) -> None:
            register(Variant(key="marrakech", option="x", title="x", citation=CITE))

    with pytest.raises(PluginError, match="already registered by plugin 'builtin.civil_society'"):
        Mechanism(Scenario(), ROSTER, plugins=[Duplicate()], load_entry_points=False)

    class Misspelt:
        @hookimpl
        def register_variant(self, register: Any) -> None:
            pass

    with pytest.raises(PluginError, match="does not exist"):
        Mechanism(Scenario(), ROSTER, plugins=[Misspelt()], load_entry_points=False)

    class BadValue:
        @hookimpl
        def register_variants(self, register: Any) -> None:
            register(Variant(key="bad", option="x", title="x", citation=CITE,
                             parameters={"redraw_limit": -4}))

    with pytest.raises(PluginError, match="BadValue-0.*'bad'.*redraw_limit"):
        Mechanism(Scenario(), ROSTER, plugins=[BadValue()], load_entry_points=False)


def test_disagreeing_plugins_are_an_error_not_a_pick() -> None:
    m = Mechanism(Scenario(), ROSTER, plugins=[SaysSomething("a"), SaysSomething("b")],
                  load_entry_points=False)
    with pytest.raises(PluginError, match="says 'x' is"):
        m.effects()


def test_results_do_not_depend_on_registration_order() -> None:
    plugins = [NoNeighbours(), SaysSomething("same"), SaysSomething("same")]
    scenario = Scenario(variants=("no-big-reviewers", "marrakech", "one-instrument-at-a-time"))
    outcomes = set()
    for order in itertools.permutations(plugins):
        m = Mechanism(scenario, ROSTER, plugins=list(order), load_entry_points=False)
        result = m.draw(group=2, seed="order")
        outcomes.add((
            tuple(m.variants()),
            tuple(e.model_dump_json() for e in m.effects()),
            result.receipt.result_hash,
            m.parameters.model_dump_json(), m.policy.model_dump_json(),
        ))
    assert len(outcomes) == 1


def test_each_mechanism_has_its_own_manager() -> None:
    one = Mechanism(Scenario(), ROSTER, plugins=[NoNeighbours()], load_entry_points=False)
    two = Mechanism(Scenario(), ROSTER, load_entry_points=False)
    assert "no-big-reviewers" in one.variants() and "no-big-reviewers" not in two.variants()


def test_metrics_count_and_never_rank() -> None:
    m = Mechanism.untoc(ROSTER)
    result = m.draw(group=1, seed="m")
    counts = m.metrics(result)["reviews-per-reviewer"]
    distinct = {(p.under_review, p.reviewer) for p in result.pairings}
    total = sum(int(k.split()[2]) * v for k, v in counts.items())
    assert total == len(distinct)
    assert all(not re.search(r"[A-Z]{3}", k) for k in counts)  # no State named, no order


def test_hookimpl_is_importable_from_the_package() -> None:
    import tocreview

    assert tocreview.hookimpl is hookimpl
    assert Instrument.CONVENTION  # keeps the import honest
