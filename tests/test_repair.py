"""Completion by repair: it answers yes only with a completion every rule holds on, and
under a cap of one review per reviewer it finds the completions of a whole start group that
the depth-first search could not."""

from __future__ import annotations

import pytest
from budget import examples
from drawkit import capped_problems, valid_outcomes
from hypothesis import given, settings
from hypothesis import strategies as st

from tocreview import Roster
from tocreview.draw.check import check
from tocreview.draw.engine import pairings_of
from tocreview.draw.kernel import Kernel
from tocreview.draw.problem import Fill, build_problem
from tocreview.draw.repair import repaired_completion
from tocreview.model.result import DrawRequest, Side
from tocreview.rules import Parameters


@settings(max_examples=examples(40), deadline=None)
@given(st.data())
def test_repair_answers_yes_only_with_a_valid_completion(data: st.DataObject) -> None:
    case = data.draw(capped_problems(max_parties=5, min_surs=1, max_surs=3))
    roster, surs, params, problem = (case.roster, case.states_under_review, case.parameters,
                                     case.problem)
    found = repaired_completion(problem, Fill(problem), problem.places, steps=300)
    valid = valid_outcomes(roster, list(surs), params)
    if found is None:
        return  # it may give up; it must never claim a completion that is not one
    assert set(found.choices) == set(problem.places)
    pairings = pairings_of(problem, found)
    assert not check(pairings, roster, params, as_of=roster.as_of)
    assert frozenset((p.under_review, p.reviewer, p.instrument.value) for p in pairings) \
        in valid


def test_repair_keeps_what_is_decided() -> None:
    roster = Roster.bundled(as_of="2020-10-16")
    params = Parameters(max_reviews_per_reviewer=1)
    groups = Kernel(roster, params).start_groups(0)
    request = DrawRequest(group=1, states_under_review=tuple(sorted(groups.group(1))),
                          seed="0", method="sequential", as_of=roster.as_of)
    problem = build_problem(roster, params, request)
    first = repaired_completion(problem, Fill(problem), problem.places)
    assert first is not None
    decided = Fill(problem)
    kept = sorted(first.choices)[:40]
    for place in kept:
        decided.put(place, first.choices[place])
    rest = [p for p in problem.places if p not in decided.choices]
    again = repaired_completion(problem, decided, rest)
    assert again is not None
    assert all(again.choices[p] == first.choices[p] for p in kept)
    assert not check(pairings_of(problem, again), roster, params, as_of=roster.as_of)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_cap_of_one_on_the_full_roster_completes_groups_two_and_three(seed: int) -> None:
    """With a cap of one review per reviewer and start group 1's pairings as history, the
    depth-first search gave up on groups 2 and 3 (SearchLimit); repair completes them."""
    roster = Roster.bundled(as_of="2020-10-16")
    params = Parameters(max_reviews_per_reviewer=1)
    kernel = Kernel(roster, params)
    groups = kernel.start_groups(seed)
    history = list(kernel.pairings(group=1, seed=seed, groups=groups))
    for group in (2, 3):
        request = DrawRequest(group=group, states_under_review=tuple(sorted(groups.group(group))),
                              seed=str(seed), method="sequential", as_of=roster.as_of,
                              history=tuple(history))
        problem = build_problem(roster, params, request)
        found = repaired_completion(problem, Fill(problem), problem.places)
        assert found is not None, group
        pairings = pairings_of(problem, found)
        assert not check(pairings, roster, params, history=history, as_of=roster.as_of)
        assert {p.under_review for p in pairings} == set(groups.group(group))
        assert {(p.under_review, p.side) for p in pairings} == {
            (s, side) for s in groups.group(group) for side in Side}
        history.extend(pairings)


def test_an_undecided_question_is_named_when_sequential_stops(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """When the search cannot tell whether a candidate keeps the draw completable, the
    error names the candidate, the place and how far the draw got: the witness of why not."""
    from tocreview.draw import completion
    from tocreview.draw.search import SearchLimit

    def undecided(*args: object, **kwargs: object) -> None:
        raise SearchLimit("the exact search stopped after 4000 steps without deciding")

    monkeypatch.setattr(completion.Keeper, "accepts", lambda self, place, choice: False)
    monkeypatch.setattr(completion.Keeper, "repaired", lambda self, place, choice: False)
    monkeypatch.setattr(completion.Asking, "complete", undecided)
    roster = Roster.bundled(as_of="2020-10-16")
    kernel = Kernel(roster, Parameters())
    with pytest.raises(SearchLimit, match=r"could not tell whether \w{3}.* reviewing \w{3} "
                       r"\((same|other)-group\) still lets the draw be completed \(0 places "
                       r"decided, \d+ left\).*stops rather than guess"):
        kernel.pairings(group=1, seed=0, groups=kernel.start_groups(0))
