"""The exported strategies generate valid inputs by construction, special cases included."""

from __future__ import annotations

from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from tocreview import Mechanism, Roster
from tocreview.draw.check import check
from tocreview.draw.engine import draw
from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.methods import SamplingExhausted
from tocreview.model.result import StartGroups
from tocreview.rules import Parameters
from tocreview.rules.principles import Principle
from tocreview.testing import strategies as tst
from tocreview.testing.principles import Verdict, check_principles

ROSTER = Roster.bundled(as_of="2020-10-16")


@settings(max_examples=examples(40))
@given(st.data())
def test_draw_requests_on_special_rosters_draw_valid_or_say_why(data: st.DataObject) -> None:
    roster = data.draw(tst.draw_rosters(no_group=data.draw(st.booleans()),
                                        reio=data.draw(st.booleans())))
    request = data.draw(tst.draw_requests(roster))
    try:
        result = draw(roster, Parameters(), group=1, seed=request.seed, method=request.method,
                      history=request.history,
                      groups=StartGroups(groups=(request.states_under_review,), trace=()))
    except (InfeasibleDraw, SamplingExhausted) as exc:
        assert str(exc)
        return
    assert check(result.pairings, roster, history=request.history) == []
    reviewers = {p.reviewer for p in result.pairings}
    assert "EUU" not in reviewers  # a REIO does not review by default


@settings(max_examples=examples(8), deadline=None)
@given(tst.scenarios())
def test_every_generated_scenario_builds_and_keeps_the_principles(scenario: object) -> None:
    m = Mechanism(scenario, ROSTER, load_entry_points=False)  # type: ignore[arg-type]
    report = check_principles(m)
    assert report.violations() == []
    if "opt-out-clause" in m.scenario.variants or "no-civil-society" in m.scenario.variants:
        assert report.verdict(Principle.INCLUSIVE) is Verdict.TRADED


@settings(max_examples=examples(40))
@given(st.data())
def test_rosters_with_a_no_group_state_are_drawable(data: st.DataObject) -> None:
    roster = data.draw(tst.draw_rosters(no_group=True))
    result = draw(roster, Parameters(), group=1, seed="x",
                  groups=StartGroups(groups=(("NIU",),), trace=()))
    assert check(result.pairings, roster) == []
    assert {len(v) for v in result.reviewers_of("NIU").values()} == {2}

