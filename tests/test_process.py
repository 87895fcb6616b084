"""The review process: calendar, workplan, languages, access, costs."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tocreview import Mechanism, Roster, Scenario, hookimpl
from tocreview.errors import InputError, TocreviewError, UnknownNameError
from tocreview.model import Citation, Instrument, Status
from tocreview.rules.access import (
    AccessVerdict,
    Actor,
    Confidentiality,
    DocumentStage,
    combine,
    documents,
)
from tocreview.rules.costs import CostRates
from tocreview.rules.policy import CivilSociety, Outcome, SecretariatRole, Sequencing
from tocreview.rules.timeline import Stage, StageStatus, add_months
from tocreview.rules.workplan import Cluster, entry_for, phases

ROSTER = Roster.bundled(as_of="2020-10-16")
BASE = Mechanism(Scenario(), ROSTER, load_entry_points=False)
CITE = Citation(document="t", status=Status.ASSUMPTION)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2021, 8, 31), 6, date(2022, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2021, 3, 31), 1, date(2021, 4, 30)),
        (date(2021, 11, 30), 3, date(2022, 2, 28)),
        (date(2021, 12, 15), 1, date(2022, 1, 15)),
    ],
)
def test_add_months_at_month_ends_and_leap_years(start: date, months: int,
                                                 expected: date) -> None:
    assert add_months(start, months) == expected


def test_timeline_deadlines_and_status() -> None:
    line = BASE.timeline("2024-02-29", as_of="2024-09-01",
                         events={"focal_point": "2024-03-05", "experts": "2024-04-01",
                                 "self_assessment": "2024-08-15"})
    by = {s.stage: s for s in line.stages}
    assert by[Stage.FOCAL_POINT].due == date(2024, 3, 14)
    assert by[Stage.FOCAL_POINT].status is StageStatus.DONE
    assert by[Stage.EXPERTS].due == date(2024, 3, 28)
    assert by[Stage.EXPERTS].status is StageStatus.DONE_LATE
    assert by[Stage.SELF_ASSESSMENT].due == date(2024, 8, 29)
    # Feedback is due six months after the responses were actually received.
    assert by[Stage.FEEDBACK].due == date(2025, 2, 15)
    assert by[Stage.FEEDBACK].status is StageStatus.DUE
    late = BASE.timeline("2024-02-29", as_of="2024-09-01")
    assert {s.stage: s.status for s in late.stages}[Stage.SELF_ASSESSMENT] is StageStatus.OVERDUE
    assert {s.stage: s.due for s in late.stages}[Stage.FEEDBACK] == date(2025, 2, 28)
    assert all(s.citation.status for s in line.stages)


def test_timeline_bad_input() -> None:
    with pytest.raises(InputError, match="not before the end"):
        BASE.timeline("2024-01-01", end="2023-12-31")
    with pytest.raises(UnknownNameError, match="'focal_point'"):
        BASE.timeline("2024-01-01", events={"focal_piont": "2024-01-05"})
    with pytest.raises(InputError, match="before the review starts"):
        BASE.timeline("2024-01-01", events={"experts": "2023-12-01"})
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        BASE.timeline("1/1/2024")


def test_workplan_under_each_sequencing_option() -> None:
    clusters = phases(Sequencing.CLUSTERS, 1)
    assert [p.clusters for p in clusters] == [(c,) for c in Cluster]
    assert (clusters[0].starts, clusters[0].ends) == (date(2020, 11, 1), date(2022, 11, 1))
    assert clusters[-1].ends == date(2028, 11, 1)
    assert phases(Sequencing.CLUSTERS, 3)[-1].ends == date(2030, 11, 1)
    assert all(p.instruments == tuple(Instrument) for p in clusters)
    at_once = phases(Sequencing.ALL_AT_ONCE, 2)
    assert len(at_once) == 1 and at_once[0].clusters == tuple(Cluster)
    in_turn = phases(Sequencing.ONE_INSTRUMENT_AT_A_TIME, 1,
                     (Instrument.CONVENTION, Instrument.FIREARMS))
    assert [p.instruments for p in in_turn] == [(Instrument.CONVENTION,), (Instrument.FIREARMS,)]
    assert BASE.workplan(2)[0].starts == date(2021, 11, 1)  # group 2 started 1 November 2021


def test_late_joiner_enters_the_next_group_or_phase() -> None:
    assert entry_for(date(2021, 3, 1)) == (2, date(2021, 11, 1))
    assert entry_for(date(2023, 2, 1)) == (3, date(2024, 11, 1))
    assert entry_for(date(2031, 1, 1)) == (3, None)  # every phase began: the next cycle


def test_working_language() -> None:
    shared = BASE.working_language("ARG", ["ESP", "MEX"],
                                   {"ARG": ["es"], "ESP": ["es", "en"], "MEX": ["spanish"]})
    assert [x.value for x in shared.working_languages] == ["es"] and not shared.translations
    apart = BASE.working_language("ARG", ["USA", "FRA"],
                                  {"ARG": ["es"], "USA": ["en"], "FRA": ["fr"]})
    assert [x.value for x in apart.working_languages] == ["es"]
    assert len(apart.translations) == 2 and "no language shared" in apart.answer
    unrecorded = Roster.build(
        [p.model_copy(update={"languages": None, "languages_source": None})
         if p.id in ("USA", "FRA") else p for p in ROSTER.parties],
        as_of=ROSTER.as_of, data_valid_for=ROSTER.data_valid_for)
    unknown = BASE.on(unrecorded).working_language("ARG", ["USA", "FRA"], {"ARG": ["es"]})
    assert unknown.working_languages == () and unknown.unknown == ("FRA", "USA")
    assert "not known" in unknown.answer
    # The bundled roster records every party's languages, each with its source.
    recorded = BASE.working_language("ARG", ["USA", "FRA"])
    assert recorded.unknown == () and len(recorded.translations) == 2
    with pytest.raises(UnknownNameError, match="official UN language"):
        BASE.working_language("ARG", ["USA"], {"ARG": ["klingon"]})


# ----- access --------------------------------------------------------------------------------

OUTSIDE = {Actor.CIVIL_SOCIETY, Actor.PUBLIC, Actor.KNOWLEDGE_PORTAL}
CORE = {Actor.STATE_UNDER_REVIEW, Actor.REVIEWERS, Actor.SECRETARIAT}


class OpenEverything:
    """A hostile plugin: allows everyone everything, at the most specific level."""

    @hookimpl
    def access_verdicts(self) -> list[AccessVerdict]:
        return [AccessVerdict(allow=True, level=99, reason="open", citation=CITE)]


def _policies() -> list[dict[str, Any]]:
    return [{"civil_society": c, "outcome": o, "secretariat": s}
            for c, o, s in itertools.product(CivilSociety, Outcome, SecretariatRole)]


@pytest.mark.parametrize("policy", _policies())
@pytest.mark.parametrize("hostile", [False, True])
def test_no_option_leaks_confidential_material(policy: dict[str, Any], hostile: bool) -> None:
    m = Mechanism(Scenario(overrides=policy), ROSTER, load_entry_points=False,
                  plugins=[OpenEverything()] if hostile else [])
    kinds = {d.kind: d for d in documents(m.policy.outcome)}
    for consent in (False, True):
        for line in m.access(consent=consent):
            if not line.allowed:
                continue
            doc = kinds[line.document]
            published = doc.confidentiality is Confidentiality.PUBLIC or consent
            if line.stage is DocumentStage.DRAFT:
                assert line.actor in CORE, line
            elif not published:
                assert line.actor not in OUTSIDE, line
                if doc.confidentiality is Confidentiality.CONFIDENTIAL:
                    assert line.actor in CORE, line


def test_access_options_change_who_sees_what() -> None:
    def allowed(m: Mechanism, consent: bool = False) -> set[tuple[str, str, str]]:
        return {(a.document, a.actor.value, a.stage.value) for a in m.access(consent=consent)
                if a.allowed}

    base = allowed(BASE)
    assert ("summary", "conference", "final") in base
    assert ("list_of_observations", "public", "final") not in base
    assert ("list_of_observations", "public", "final") in allowed(BASE, consent=True)
    uncac = Mechanism(Scenario(variants=("country-report",)), ROSTER, load_entry_points=False)
    assert ("executive_summary", "public", "final") in allowed(uncac)
    assert ("country_report", "other_states", "final") not in allowed(uncac)
    none = Mechanism(Scenario(variants=("no-secretariat-role",)), ROSTER,
                     load_entry_points=False)
    assert ("self_assessment", "secretariat", "final") not in allowed(none)
    quiet = Mechanism(Scenario(variants=("no-civil-society",)), ROSTER, load_entry_points=False)
    assert ("summary", "civil_society", "final") not in allowed(quiet)
    # What is published is public, civil society included, whatever its participation.
    assert ("summary", "civil_society", "final") in allowed(quiet, consent=True)
    assert ("summary", "civil_society", "final") in allowed(BASE, consent=True)


def test_combination_is_default_deny_and_order_free() -> None:
    allow = AccessVerdict(allow=True, level=0, reason="a", citation=CITE)
    deny = AccessVerdict(allow=False, level=0, reason="d", citation=CITE)
    specific = AccessVerdict(allow=True, level=1, reason="s", citation=CITE)
    assert combine([]) == (False, "no rule allows it (default deny)")
    for order in itertools.permutations([allow, deny]):
        assert combine(order)[0] is False
    for order in itertools.permutations([allow, deny, specific]):
        assert combine(order) == (True, "s")


# ----- costs ---------------------------------------------------------------------------------

def test_one_rate_changes_the_total_by_exactly_its_share() -> None:
    base = BASE.costs()
    phases_count = sum(base.reviews_per_year.values())
    dearer = BASE.costs(CostRates(staff_cost_per_hour=120))
    assert dearer.cycle_total - base.cycle_total == pytest.approx(20 * 250 * phases_count,
                                                                  abs=1e-6)
    words = BASE.costs(CostRates(translation_per_word=0.3))
    # LoO option: working documents 60+20+15 pages once; summary 4 pages into 5 languages.
    # Translation grows with what the phases review (units of one cluster of all four
    # instruments), not with the number of phases.
    units = sum(base.volume_per_year.values())
    translated_words = (95 * 1 + 4 * 5) * 330 * units
    assert words.cycle_total - base.cycle_total == pytest.approx(0.1 * translated_words,
                                                                 abs=1e-6)
    meetings = BASE.costs(CostRates(meeting_days_per_year=11))
    assert meetings.cycle_total - base.cycle_total == pytest.approx(
        25_000 * len(base.per_year), abs=1e-6)


def test_funding_options_split_the_same_total_differently() -> None:
    totals = {}
    splits = {}
    for variant in ("regular-budget", "voluntary-contributions", "mixed-funding"):
        m = Mechanism(Scenario(variants=(variant,)), ROSTER, load_entry_points=False)
        c = m.costs()
        totals[variant] = c.cycle_total
        splits[variant] = c.cycle_by_source
    assert len(set(totals.values())) == 1
    assert splits["regular-budget"] == {"regular budget": totals["regular-budget"]}
    assert splits["voluntary-contributions"] == {"voluntary contributions":
                                                 totals["voluntary-contributions"]}
    assert set(splits["mixed-funding"]) == {"regular budget", "voluntary contributions"}


def test_costs_follow_the_sequencing_and_outcome_options() -> None:
    at_once = Mechanism(Scenario(variants=("all-instruments-at-once",)), ROSTER,
                        load_entry_points=False)
    assert sum(at_once.costs().reviews_per_year.values()) * 4 == sum(
        BASE.costs().reviews_per_year.values())
    report = Mechanism(Scenario(variants=("country-report",)), ROSTER, load_entry_points=False)
    assert report.costs().cycle_total > BASE.costs().cycle_total


@given(st.floats(min_value=-1e6, max_value=-1e-9))
def test_negative_rates_are_refused(value: float) -> None:
    with pytest.raises((ValueError, TocreviewError)):
        CostRates(translation_per_word=value)
    with pytest.raises(ValueError, match="cannot be negative"):
        CostRates(pages={"summary": value})
