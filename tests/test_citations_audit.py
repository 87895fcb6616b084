"""The audit of citations: each defect it found, pinned so that it cannot come back.

A citation may claim no more than its source says: a question raised in the 2017 meeting is
not a proposal, a modelling choice is an ``assumption``, and what a user sees is the source of
the value in force, never the source of the default.
"""

from __future__ import annotations

import itertools

import pytest

from tocreview import Mechanism, Scenario
from tocreview.draw.check import check
from tocreview.model.citation import Status
from tocreview.model.instrument import Instrument
from tocreview.model.result import Pairing
from tocreview.model.roster import Roster
from tocreview.rules.access import OUTCOMES, WORKING, Actor, DocumentStage, within_ceiling
from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import PARAMETER_CITATIONS
from tocreview.rules.policy import CivilSociety, Outcome, SecretariatRole
from tocreview.scenario import BASELINES

ROSTER = Roster.bundled(as_of="2020-10-16")


def mech(*variants: str, **overrides: object) -> Mechanism:
    return Mechanism(Scenario(variants=variants, overrides=overrides), ROSTER,
                     load_entry_points=False)


BASE = mech()


def effect(m: Mechanism, option: str, item: str):  # type: ignore[no-untyped-def]
    found = [e for e in m.effects() if (e.option, e.item) == (option, item)]
    assert len(found) == 1, (option, item, [(e.option, e.item) for e in m.effects()])
    return found[0]


# 1. The European Union options: paras. 19-20 only say the questions remained open.
@pytest.mark.parametrize("key", ["reio-reviewed", "reio-reviewed-not-by-members",
                                 "reio-may-review"])
def test_eu_variants_are_assumptions(key: str) -> None:
    citation = BASE.variants()[key].citation
    assert citation.status is Status.ASSUMPTION
    assert "19-20" in (citation.note or "")


@pytest.mark.parametrize("name", ["reio_groups_from_members", "reio_members_excluded"])
def test_eu_parameters_are_assumptions(name: str) -> None:
    assert PARAMETER_CITATIONS[name].status is Status.ASSUMPTION


def test_eu_members_rule_is_an_assumption() -> None:
    assert RULES.get("variant.selection.reio_members_excluded").status is Status.ASSUMPTION


# 2. Funding: para. 12 speaks of core activities and records an objection; it has no split.
@pytest.mark.parametrize("key", ["regular-budget", "voluntary-contributions"])
def test_funding_end_points_are_assumptions(key: str) -> None:
    assert BASE.variants()[key].citation.status is Status.ASSUMPTION


def test_funding_split_is_an_assumption() -> None:
    record = RULES.get("core.costs.funding_sources")
    assert record.status is Status.ASSUMPTION
    assert all(c.provision is None for c in record.citations)


# 3. Working language: para. 13 only asks the question.
def test_working_language_rule_is_the_librarys() -> None:
    record = RULES.get("core.languages.working_language")
    assert record.status is Status.ASSUMPTION
    assert not any(r.id.startswith("proposal.") for r in RULES)


# 4. Access: who decides on publication is unknown; nothing attributes it to para. 20.
def test_publication_rules_claim_no_source() -> None:
    ceiling = RULES.get("core.access.ceiling")
    assert ceiling.status is Status.ASSUMPTION
    assert all(c.provision is None for c in ceiling.citations)
    observations = next(d for d in OUTCOMES[Outcome.LIST_OF_OBSERVATIONS]
                        if d.kind == "list_of_observations")
    assert observations.publication.status is Status.ASSUMPTION
    for document in WORKING:
        assert document.publication.status is Status.ASSUMPTION


# 5. The adopted baseline says that it bundles unconfirmed and assumed defaults.
def test_adopted_baseline_says_what_it_assumes() -> None:
    base = BASELINES["untoc-2018"]
    assert "unconfirmed and assumed" in base.title
    assert any("redraw limit" in c for c in base.caveats)
    uncac = BASELINES["uncac-irm"]
    assert any("clusters" in c and "private-sector" in c for c in uncac.caveats)


# 6. The summary's translation and audience: the quiz's answer key was not seen.
def test_summary_is_unconfirmed_at_most() -> None:
    summary = next(d for d in OUTCOMES[Outcome.LIST_OF_OBSERVATIONS] if d.kind == "summary")
    assert Status.weakest([summary.citation.status, Status.UNCONFIRMED]) is (
        summary.citation.status)


# 7. Each effect carries the citation of the variant or override that produced it.
@pytest.mark.parametrize(("variant", "option", "item"), [
    ("marrakech", "civil_society", "meetings stakeholders attend"),
    ("no-secretariat-role", "secretariat", "tasks"),
    ("reio-reviewed", "reio", "reviewed"),
    ("reio-reviewed", "reio", "counts in"),
    ("regular-budget", "funding", "secretariat support to country reviews paid from"),
    ("one-instrument-at-a-time", "sequencing", "workplan"),
    ("uncac-composition", "composition", "reviewing States per instrument"),
    ("experts-include-academia", "experts", "experts from other fields (e.g. academia)"),
    ("opt-out-clause", "opt_out", "clause"),
])
def test_effect_carries_the_variants_citation(variant: str, option: str, item: str) -> None:
    m = mech(variant)
    assert effect(m, option, item).citation == m.variants()[variant].citation
    assert effect(BASE, option, item).citation != m.variants()[variant].citation


def test_effect_of_an_override_carries_the_override() -> None:
    m = mech(secretariat="none")
    cited = effect(m, "secretariat", "tasks").citation
    assert cited.document == "scenario overrides" and cited.status is Status.ASSUMPTION
    assert "secretariat" in (cited.note or "")


def test_uncac_baseline_values_cite_the_uncac_baseline() -> None:
    m = Mechanism(Scenario(baseline="uncac-irm"), ROSTER, load_entry_points=False)
    assert effect(m, "civil_society", "meetings stakeholders attend").citation == (
        BASELINES["uncac-irm"].citation)
    # a value the UNCAC baseline does not change keeps its own source
    assert m.in_force["funding"] == BASE.in_force["funding"]


# 8. A rule is only as sure as its least certain citation; every citation is shown.
def test_rule_status_is_the_weakest_citation() -> None:
    record = RULES.get("variant.selection.any_reviewer")
    assert {c.status for c in record.citations} == {Status.SECONDARY, Status.ASSUMPTION}
    assert record.status is Status.ASSUMPTION
    for r in RULES:
        assert r.status is Status.weakest([c.status for c in r.citations])


def test_violations_and_draws_carry_every_citation() -> None:
    bad = [Pairing(under_review="ARG", reviewer="ARG", instrument=Instrument.CONVENTION)]
    for v in check(bad, ROSTER):
        assert v.citations == RULES.get(v.rule).citations
    result = BASE.draw(group=1, seed=1)
    for rule_id, citations in result.citations.items():
        assert citations == RULES.get(rule_id).citations


# 14. Who sees which document: the effect texts are read off the access table, for every
# combination of the options that bear on access, and agree with the core's ceiling.
@pytest.mark.parametrize(("outcome", "civil", "secretariat"), list(itertools.product(
    Outcome, CivilSociety, SecretariatRole)))
def test_access_effects_agree_with_the_access_table(outcome: Outcome, civil: CivilSociety,
                                                    secretariat: SecretariatRole) -> None:
    m = mech(outcome=outcome.value, civil_society=civil.value, secretariat=secretariat.value)
    titles = {d.kind: d.title for d in m_documents(outcome)}
    for consent, actor, item in (
        (False, Actor.PUBLIC, "public without the consent of the State under review"),
        (True, Actor.PUBLIC, "public with the consent of the State under review"),
        (False, Actor.OTHER_STATES, "seen by the other States parties without consent"),
        (False, Actor.CIVIL_SOCIETY, "reached by civil society without consent"),
    ):
        seen = sorted(titles[line.document] for line in m.access(consent=consent)
                      if line.actor is actor and line.stage is DocumentStage.FINAL
                      and line.allowed)
        text = effect(m, "access", item).value
        assert sorted(t for t in titles.values() if t in text) == seen, (item, text)
    # A document anyone may see once final is one every actor may see: no final document is
    # public yet hidden from the other States or the Conference.
    for consent in (False, True):
        lines = m.access(consent=consent)
        for kind in titles:
            final = {a.actor: a.allowed for a in lines
                     if a.document == kind and a.stage is DocumentStage.FINAL}
            if final[Actor.PUBLIC]:
                assert all(final.values()), (kind, consent, final)
            for a in lines:
                if a.allowed:
                    document = next(d for d in m_documents(outcome) if d.kind == a.document)
                    assert within_ceiling(document, a.actor, a.stage, consent)


def m_documents(outcome: Outcome):  # type: ignore[no-untyped-def]
    return (*WORKING, *OUTCOMES[outcome])


# 17. One table of rules: every @rule function of the package is in the catalogue.
def test_every_rule_function_is_in_the_catalogue() -> None:
    import importlib
    import pkgutil

    import tocreview
    from tocreview.rules.registry import Rule

    found = []
    for info in pkgutil.walk_packages(tocreview.__path__, "tocreview."):
        if info.name.startswith("tocreview.testing") or info.name == "tocreview.__main__":
            continue  # the test extra / running the command line; neither holds rules
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            record = getattr(value, "rule", None)
            if isinstance(record, Rule) and getattr(value, "__module__", "") == info.name:
                found.append(record.id)
    assert found and set(found) <= {r.id for r in RULES}, set(found) - {r.id for r in RULES}
    assert len(RULES) >= 29


def test_rule_ids_are_written_only_where_the_rule_is_defined() -> None:
    import re
    from pathlib import Path

    import tocreview

    pattern = re.compile(r"[\"'](?:untoc|variant|core)\.[a-z_]+\.[a-z_]+[\"']")
    found = []
    for path in Path(tocreview.__file__).parent.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and "RuleKind." not in line:
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, found


def test_pools_check_and_trace_read_one_list_of_pairing_rules() -> None:
    from tocreview.draw.problem import build_problem
    from tocreview.model.result import DrawRequest
    from tocreview.rules import selection as sel
    from tocreview.rules.parameters import Parameters
    from tocreview.rules.registry import rule_of

    params = Parameters(opt_out_clause=True, opted_out=frozenset({"FRA"}),
                        reio_members_excluded=True)
    listed = [rule_of(f).id for f in sel.pairing_rules(params)]
    options = [c.id for c in sel.options_in_force(params)]
    assert options == ["variant.selection.opted_out", "variant.selection.reio_members_excluded"]
    assert sel.options_in_force(Parameters()) == ()
    request = DrawRequest(group=1, states_under_review=("ARG",), seed="s", method="sequential",
                          as_of=ROSTER.as_of)
    problem = build_problem(ROSTER, params, request, sel.options_in_force(params))
    assert set(listed) | set(options) <= set(problem.static_rules)
    assert "FRA" not in {r for pool in problem.main_pool.values() for r in pool}
    # check names the same rule for the same fault, with or without a mechanism
    bad = [Pairing(under_review="ARG", reviewer="FRA", instrument=Instrument.CONVENTION)]
    assert "variant.selection.opted_out" in {v.rule for v in check(bad, ROSTER, params)}
    m = mech("opt-out-clause", opted_out=["FRA"])
    assert "variant.selection.opted_out" in {v.rule for v in m.check(bad)}
    assert "variant.selection.opted_out" in {c.id for c in m.constraints}
    # an override alone switches the option on, through the constraint its plugin registers
    alone = mech(opt_out_clause=True, opted_out=["FRA"])
    assert "variant.selection.opted_out" in {c.id for c in alone.constraints}
    assert "FRA" not in {p.reviewer for p in alone.draw(group=1, seed=1).pairings}


def test_built_in_options_register_through_the_public_hook() -> None:
    from tocreview.rules import selection as sel

    registered = BASE.plugins.constraints()
    for option in sel.OPTIONS:
        assert registered[option.id] is option
