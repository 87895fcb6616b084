"""Each option against the baseline: the difference it is meant to make, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from tocreview import Roster
from tocreview.errors import TocreviewError
from tocreview.mechanism import Mechanism
from tocreview.model.result import StartGroups
from tocreview.scenario import Scenario, ScenarioError, VariantConflict

ROSTER = Roster.bundled(as_of="2020-10-16")
BASE = Mechanism(Scenario(), ROSTER, load_entry_points=False)


def mech(*variants: str, **overrides: object) -> Mechanism:
    return Mechanism(Scenario(variants=variants, overrides=overrides), ROSTER,
                     load_entry_points=False)


def effects(m: Mechanism) -> dict[tuple[str, str], str]:
    return {(e.option, e.item): e.value for e in m.effects()}


def changed(m: Mechanism) -> dict[tuple[str, str], tuple[str, str]]:
    one, two = effects(BASE), effects(m)
    return {k: (one.get(k, ""), two.get(k, "")) for k in one.keys() | two.keys()
            if one.get(k) != two.get(k)}


@pytest.mark.parametrize(
    ("variant", "option", "item", "words"),
    [
        ("marrakech", "civil_society", "meetings stakeholders attend", "margins"),
        ("working-group-participation", "civil_society", "meetings stakeholders attend",
         "working-group sessions themselves"),
        ("no-civil-society", "civil_society", "who may take part", "nobody"),
        ("ngos-only", "civil_society", "who may take part", "NGOs only"),
        ("regular-budget", "funding", "secretariat support to country reviews paid from",
         "regular budget"),
        ("voluntary-contributions", "funding",
         "intergovernmental meetings and their documents paid from", "voluntary"),
        ("country-report", "outcome", "documents", "executive summary"),
        ("short-public-report", "outcome", "documents", "short report"),
        ("all-instruments-at-once", "sequencing", "workplan", "all clusters, all instruments"),
        ("one-instrument-at-a-time", "sequencing", "workplan", "2026-2028: all clusters, firearms"),
        ("no-secretariat-role", "secretariat", "tasks", "servicing the intergovernmental"),
        ("secretariat-as-uncac", "secretariat", "tasks", "country visits"),
        ("experts-include-academia", "experts", "experts from other fields (e.g. academia)",
         "allowed"),
        ("experts-listed-before-draw", "experts", "order of steps", "compiled, then drawing"),
        ("opt-out-clause", "opt_out", "clause", "may opt out"),
        ("reio-reviewed", "reio", "reviewed", "yes"),
        ("reio-reviewed-not-by-members", "reio", "its member States may review it", "no"),
        ("reio-may-review", "reio", "may serve as reviewer", "yes"),
        ("uncac-composition", "composition", "reviewing States per instrument", "any group"),
        ("any-two-states", "composition", "reviewing States per instrument", "any two"),
    ],
)
def test_each_variant_changes_what_it_should(variant: str, option: str, item: str,
                                             words: str) -> None:
    diff = changed(mech(variant))
    assert (option, item) in diff
    assert words in diff[(option, item)][1]
    # and nothing of other options (who sees an outcome document is read off the access table)
    mine = {option, "access"} if option == "outcome" else {option}
    assert all(k[0] in mine for k in diff), diff


@pytest.mark.parametrize("variant", ["constructive-dialogues", "mixed-funding",
                                     "list-of-observations", "thematic-clusters",
                                     "secretariat-supporting", "same-and-other-group",
                                     "reio-not-reviewed"])
def test_baseline_variants_change_nothing(variant: str) -> None:
    m = mech(variant)
    assert m.parameters == BASE.parameters and m.policy == BASE.policy
    assert m.draw(group=1, seed="n").pairings == BASE.draw(group=1, seed="n").pairings


def test_neutral_override_changes_nothing() -> None:
    m = mech(redraw_limit=2, funding="mixed", composition="same_and_other")
    assert m.parameters == BASE.parameters and m.policy == BASE.policy
    assert effects(m) == effects(BASE)
    assert m.draw(group=2, seed="n").pairings == BASE.draw(group=2, seed="n").pairings
    assert m.key != BASE.key  # the key still says overrides were given


def test_composition_changes_the_draw() -> None:
    any_two = mech("any-two-states")
    result = any_two.draw(group=1, seed="c")
    assert any_two.check(result.pairings) == []
    groups = {p.id: p.regional_group for p in ROSTER.parties}
    same_same = sum(1 for p in result.pairings
                    if groups[p.reviewer] == groups[p.under_review] and p.side
                    and p.side.value == "other_group")
    assert same_same > 0  # the 'other' place may now come from the same group
    assert BASE.check(result.pairings) != []  # and the adopted rules flag that

    uncac = mech("uncac-composition", legal_systems={"ARG": "civil law", "BRA": "civil law",
                                                       "JAM": "common law"})
    one = uncac.draw(group=1, seed="c",
                     groups=StartGroups(groups=(("ARG", "JAM"),), trace=()))
    arg_same = {p.reviewer for p in one.pairings
                if p.under_review == "ARG" and p.side and p.side.value == "same_group"}
    assert arg_same == {"BRA"}  # the only same-group State with the same legal system
    baseline_same = {p.reviewer for g in range(6) for p in BASE.draw(
        group=1, seed=g, groups=StartGroups(groups=(("ARG", "JAM"),), trace=())).pairings
        if p.under_review == "ARG" and p.side and p.side.value == "same_group"}
    assert len(baseline_same) > 1


def test_opt_out_removes_states_and_reports_inclusiveness() -> None:
    m = mech("opt-out-clause", opted_out=["FRA", "BRA"])
    coverage = m.coverage()
    assert "FRA" in coverage.not_reviewed and "FRA" not in coverage.reviewed
    assert "inclusive" in coverage.principles_traded
    everyone = {p.reviewer for g in (1, 2, 3) for p in m.draw(group=g, seed="o").pairings}
    assert not everyone & {"FRA", "BRA"}
    assert len(coverage.reviewed) == len(BASE.coverage().reviewed) - 2
    assert BASE.coverage().principles_traded == ()
    with pytest.raises(ScenarioError, match="opt-out clause"):
        mech(opted_out=["FRA"])


def test_reio_reviewed_by_its_members_groups() -> None:
    m = mech("reio-reviewed-not-by-members")
    groups = m.start_groups(seed="e")
    number = next(i for i, g in enumerate(groups.groups, 1) if "EUU" in g)
    result = m.draw(group=number, seed="e")
    eu = ROSTER.get("EUU")
    reviewers = {p.reviewer for p in result.pairings if p.under_review == "EUU"}
    assert reviewers and not reviewers & set(eu.members)
    assert "EUU" not in BASE.coverage().reviewed and "EUU" in m.coverage().reviewed


def test_uncac_baseline() -> None:
    m = Mechanism(Scenario(baseline="uncac-irm"), ROSTER, load_entry_points=False)
    assert m.parameters.composition.value == "same_region_legal_system"
    assert len(m.start_groups(seed="u").groups) == 4
    assert effects(m)[("civil_society", "meetings stakeholders attend")].startswith("briefings")


def test_scenario_keys_and_conflicts() -> None:
    assert mech("marrakech", "regular-budget").key == "untoc-2018+marrakech+regular-budget"
    with pytest.raises(VariantConflict, match="'marrakech' and 'no-civil-society' both set "
                                              "policy.civil_society"):
        mech("marrakech", "no-civil-society")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("a.toml", 'variants = ["marakech"]\n', ["a.toml", "key 'variants'", "'marrakech'"]),
        ("b.toml", 'baseline = "untoc-2081"\n', ["b.toml", "key 'baseline'", "'untoc-2018'"]),
        ("c.toml", 'variants = ["marrakech", "working-group-participation"]\n',
         ["c.toml", "both set policy.civil_society"]),
        ("d.toml", '[overrides]\nredraw_limit = "two"\n',
         ["d.toml", "overrides.redraw_limit", "'two'"]),
        ("e.toml", '[overrides]\nredraw_limt = 2\n', ["e.toml", "redraw_limit"]),
        ("f.toml", 'varients = ["marrakech"]\n', ["f.toml", "'variants'"]),
        ("g.toml", 'variants = "marrakech"\n', ["g.toml", "variants"]),
        ("h.json", '{"variants": [1]}', ["h.json", "variants"]),
        ("i.toml", 'variants = [\n', ["i.toml", "not valid TOML"]),
    ],
)
def test_bad_scenario_files(tmp_path: Path, name: str, text: str, words: list[str]) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(TocreviewError) as info:
        Mechanism(Scenario.from_file(path), ROSTER, load_entry_points=False)
    for word in words:
        assert word in str(info.value)


def test_json_scenario_file(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", '{"baseline": "uncac-irm", "variants": ["regular-budget"],'
                 ' "overrides": {"redraw_limit": 1}}')
    m = Mechanism.from_file(path, ROSTER)
    assert m.key.startswith("uncac-irm+regular-budget+overrides-")
    assert m.parameters.redraw_limit == 1 and m.policy.funding.value == "regular_budget"


def test_scenario_file_round_trip(tmp_path: Path) -> None:
    path = write(tmp_path, "s.toml", 'baseline = "untoc-2018"\nvariants = ["marrakech", '
                 '"regular-budget"]\n[overrides]\nredraw_limit = 3\n')
    m = Mechanism.from_file(path, ROSTER)
    assert m.parameters.redraw_limit == 3
    assert m.key.startswith("untoc-2018+marrakech+regular-budget+overrides-")
    assert m.draw(group=1, seed=1).receipt.scenario == m.key


def test_every_option_and_variant_is_cited() -> None:
    from tocreview.rules.policy import POLICY_CITATIONS, Policy

    assert set(POLICY_CITATIONS) == set(Policy.model_fields)
    for variant in BASE.variants().values():
        assert variant.citation.document and variant.citation.status
        if variant.citation.status.value == "proposal":
            assert variant.citation.provision  # "2017 meeting report, para. N"


def test_a_mechanism_pickles_and_draws_the_same_in_another_process() -> None:
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from tocreview import Mechanism, Roster

    m = Mechanism(Scenario(variants=("opt-out-clause",), overrides={"opted_out": ["FRA"]}),
                  Roster.bundled(as_of="2020-10-16"), load_entry_points=False)
    again = pickle.loads(pickle.dumps(m))
    assert again.key == m.key and again.parameters == m.parameters
    expected = m.draw(group=1, seed=5).receipt.result_hash
    with ProcessPoolExecutor(max_workers=1) as pool:
        got = pool.submit(_draw_hash, m).result()
    assert got == expected


def _draw_hash(m: object) -> str:
    return m.draw(group=1, seed=5).receipt.result_hash  # type: ignore[attr-defined,no-any-return]
