"""The plugin API as docs/hooks.md describes it: rates a variant or a scenario changes,
effects that know the active variants, one public module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import tocreview.plugins as api
from tocreview import Mechanism, Roster, Scenario
from tocreview.errors import ParameterError, PluginError
from tocreview.plugins import Citation, Effect, RateChange, Status, Variant, hookimpl

ROSTER = Roster.bundled(as_of="2020-10-16")
CITE = Citation(document="Delegation Y proposal", status=Status.PROPOSAL)


class CoFunding:
    """A co-funding option: the reviewing State pays for translation (so the budget pays
    less), shown as an effect only when its variant is chosen."""

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="co-funding", option="funding-share", title="Co-funding",
                         citation=CITE))

    @hookimpl
    def cost_rates(self, variants: tuple[str, ...]) -> list[RateChange] | None:
        if "co-funding" not in variants:
            return None
        return [RateChange(name="translation_per_word", value=0.05, citation=CITE)]

    @hookimpl
    def policy_effects(self, variants: tuple[str, ...]) -> list[Effect] | None:
        if "co-funding" not in variants:
            return None
        return [Effect(option="funding-share", item="translation", value="paid by reviewers",
                       citation=CITE)]


def mech(*variants: str, plugins: tuple[object, ...] = (CoFunding(),),
         **rates: float) -> Mechanism:
    return Mechanism(Scenario(variants=variants, rates=rates), ROSTER, plugins=list(plugins),
                     load_entry_points=False)


def test_the_public_module_holds_every_type_a_plugin_needs() -> None:
    for name in ("hookimpl", "Variant", "PairingConstraint", "DrawMethod", "Metric", "Effect",
                 "AccessVerdict", "RateChange", "Citation", "Status"):
        assert name in api.__all__ and getattr(api, name) is not None


def test_a_variant_changes_the_costs_through_the_hook_with_its_citation() -> None:
    base, cofunded = mech().costs(), mech("co-funding").costs()
    assert cofunded.cycle_total < base.cycle_total
    assert cofunded.rates.translation_per_word == 0.05
    assert cofunded.citations["translation_per_word"] == CITE
    effects = {(e.option, e.item) for e in mech("co-funding").effects()}
    assert ("funding-share", "translation") in effects
    assert ("funding-share", "translation") not in {(e.option, e.item)
                                                    for e in mech().effects()}


def test_scenario_rates_apply_after_the_plugins_and_are_cited(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('variants = ["co-funding"]\n[rates]\ntranslation_per_word = 0.1\n'
                    '"pages.summary" = 8\n')
    m = Mechanism(Scenario.from_file(path), ROSTER, plugins=[CoFunding()],
                  load_entry_points=False)
    costs = m.costs()
    assert costs.rates.translation_per_word == 0.1 and costs.rates.pages["summary"] == 8
    assert costs.citations["translation_per_word"].document == str(path)
    assert "rates-" in m.key
    with pytest.raises(ParameterError, match="did you mean 'translation_per_word'"):
        mech(translaton_per_word=1.0)


def test_a_plugin_effect_supersedes_a_built_in_one_but_two_plugins_may_not_disagree() -> None:
    builtin = {(e.option, e.item): e.value for e in mech().effects()}
    slot = next((k for k in builtin if k[0] == "funding"), None)
    assert slot is not None

    class Over:
        @hookimpl
        def policy_effects(self) -> list[Effect]:
            return [Effect(option=slot[0], item=slot[1], value="replaced", citation=CITE)]

    class Other:
        @hookimpl
        def policy_effects(self) -> list[Effect]:
            return [Effect(option=slot[0], item=slot[1], value="something else",
                           citation=CITE)]

    replaced = {(e.option, e.item): e.value for e in mech(plugins=(Over(),)).effects()}
    assert replaced[slot] == "replaced"
    with pytest.raises(PluginError, match="says"):
        mech(plugins=(Over(), Other())).effects()


class ObserverModel:
    """A new civil-society model from a plugin: civil society is kept to the working
    documents (it sees no outcome document, even published), only when this model is
    chosen."""

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="observers-with-consent", option="civil_society",
                         title="Civil society as observers, with consent", citation=CITE))

    @hookimpl
    def access_verdicts(self, document: Any, actor: Any, stage: Any, consent: bool,
                        variants: tuple[str, ...]) -> list[Any] | None:
        from tocreview.plugins import AccessVerdict

        outcome = document.kind not in ("self_assessment", "feedback")
        if "observers-with-consent" in variants and actor.value == "civil_society" and outcome:
            return [AccessVerdict(allow=False, level=5, reason="observers only",
                                  citation=CITE)]
        return None


def test_a_new_option_value_changes_access_only_where_chosen() -> None:
    def civil_society_sees(m: Mechanism, consent: bool) -> set[str]:
        return {line.document for line in m.access(consent=consent)
                if line.actor.value == "civil_society" and line.allowed}

    chosen = mech("observers-with-consent", plugins=(ObserverModel(),))
    plain = mech(plugins=(ObserverModel(),))
    assert civil_society_sees(chosen, True) < civil_society_sees(plain, True)
    assert "list_of_observations" in civil_society_sees(plain, True)
    assert "list_of_observations" not in civil_society_sees(chosen, True)
