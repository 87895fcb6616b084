"""Matchings under a cap on reviews per reviewer: maximum, and never wrong about "no"."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from budget import examples
from drawkit import capped_problems, groups_of, party, roster, valid_outcomes
from hypothesis import given, settings
from hypothesis import strategies as st

from tocreview import Instrument, RegionalGroup
from tocreview.draw.completion import Asking
from tocreview.draw.engine import draw
from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.matching import (
    allowed_after,
    allowed_reviewers,
    hall_violated,
    max_matching,
)
from tocreview.draw.problem import Fill, build_problem
from tocreview.draw.search import SearchLimit, candidate_choices, complete
from tocreview.model.result import DrawRequest, Pairing, Role, Side
from tocreview.rules import Parameters
from tocreview.rules.parameters import SupplementaryDraw
from tocreview.testing.strategies import draw_rosters


def _largest(places: list[str], edges: dict[str, list[str]], capacity: dict[str, int]) -> int:
    best = 0
    for combo in itertools.product(*[[*edges[p], None] for p in places]):
        used = Counter(x for x in combo if x)
        if all(used[r] <= capacity.get(r, 0) for r in used):
            best = max(best, sum(1 for x in combo if x))
    return best


@settings(max_examples=examples(300), deadline=None)
@given(st.data())
def test_max_matching_is_maximum_and_within_capacity(data: st.DataObject) -> None:
    places = [f"P{i}" for i in range(data.draw(st.integers(1, 5)))]
    reviewers = [f"R{j}" for j in range(data.draw(st.integers(1, 4)))]
    edges = {p: data.draw(st.lists(st.sampled_from(reviewers), unique=True)) for p in places}
    capacity = {r: data.draw(st.integers(0, 2)) for r in reviewers}
    found = max_matching(places, edges, capacity)
    used = Counter(found.values())
    assert all(used[r] <= capacity[r] for r in used)
    assert all(found[p] in edges[p] for p in found)
    assert len(found) == _largest(places, edges, capacity)


@settings(max_examples=examples(20), deadline=None)
@given(st.data())
def test_a_tight_cap_never_turns_a_feasible_draw_into_an_infeasible_one(
        data: st.DataObject) -> None:
    # The matching checks may only ever prove "no" where brute force finds no valid draw.
    roster = data.draw(draw_rosters(min_parties=3, max_parties=4))
    members = [p.id for p in roster.parties]
    surs = data.draw(st.lists(st.sampled_from(members), min_size=1, max_size=2, unique=True))
    params = Parameters(max_reviews_per_reviewer=data.draw(st.integers(1, 2)),
                        max_reviewers=data.draw(st.sampled_from([None, 2, 3, 4])),
                        supplementary_draw=data.draw(st.sampled_from(list(SupplementaryDraw))))
    valid = valid_outcomes(roster, surs, params)
    try:
        result = draw(roster, params, group=1, seed="m", groups=groups_of(surs))
    except InfeasibleDraw:
        assert not valid
        return
    except SearchLimit:  # pragma: no cover - a tiny instance is always decided
        pytest.fail("undecided")
    assert valid
    assert frozenset((p.under_review, p.reviewer, p.instrument.value)
                     for p in result.pairings) in valid


def test_hall_counts_a_scarce_protocol_once_across_the_places_that_need_it() -> None:
    """X and Y need the Smuggling Protocol, whose only free holders are A and B; Z needs
    only Trafficking, but reviewed D before, so A and B are its only holders left. Each
    instrument alone can be matched (Smuggling: X-A, Y-B; Trafficking: X-D, Y-A, Z-B), and
    each place has main reviewers; together they cannot: three places, two reviewers."""
    c, t, s = Instrument.CONVENTION, Instrument.TIP, Instrument.SOM
    af, we = RegionalGroup.AFRICAN, RegionalGroup.WEOG
    small = roster(party("XXX", af, (c, s, t)), party("YYY", af, (c, s, t)),
                   party("ZZZ", af, (c, t)), party("AAA", af, (c, s, t)),
                   party("BBB", af, (c, s, t)), party("DDD", af, (c, t)),
                   party("UUU", we, (c, s, t)))
    history = (Pairing(under_review="DDD", reviewer="ZZZ", instrument=c, side=Side.SAME_GROUP,
                       role=Role.MAIN),)
    request = DrawRequest(group=1, states_under_review=("XXX", "YYY", "ZZZ"), seed="h",
                          method="sequential", as_of=small.as_of, history=history,
                          excluded=frozenset({"XXX", "YYY", "ZZZ"}))
    problem = build_problem(small, Parameters(max_reviews_per_reviewer=1), request)
    same = [(sur, Side.SAME_GROUP) for sur in ("XXX", "YYY", "ZZZ")]
    assert all(problem.open_mains(p) for p in same)
    assert complete(problem, Fill(problem), same) is None  # the exact search agrees
    assert hall_violated(problem, Fill(problem), same)


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_allowed_after_a_choice_is_what_asking_again_gives(data: st.DataObject) -> None:
    """What the search's scan reads after trying a choice (only the answers the choice can
    change asked again) equals every answer asked again, on partial draws of all kinds."""
    capped = data.draw(capped_problems(max_parties=6, min_surs=2, max_surs=4))
    problem = capped.problem
    fill = Fill(problem)
    order = data.draw(st.permutations(problem.places))
    for place in order[:data.draw(st.integers(0, len(order) - 1))]:
        options = list(itertools.islice(candidate_choices(problem, fill, place), 6))
        if options:
            fill.put(place, data.draw(st.sampled_from(options)))
    left = [p for p in problem.places if p not in fill.choices]
    place = data.draw(st.sampled_from(left))
    options = list(itertools.islice(candidate_choices(problem, fill, place), 8))
    if not options:
        return
    others = [p for p in left if p != place]
    before = allowed_reviewers(problem, fill, others)
    fill.put(place, data.draw(st.sampled_from(options)))
    assert allowed_after(problem, fill, before, place, fill.choices[place]) == \
        allowed_reviewers(problem, fill, others)


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_asking_in_turn_answers_as_asking_anew(data: st.DataObject) -> None:
    """Questions that differ only in one place's choice (what sequential asks of each
    candidate) get the answer, and the completion, that asking anew gives; including after
    another place is decided, when what was listed once must be listed again."""
    capped = data.draw(capped_problems(max_parties=6, min_surs=2, max_surs=4))
    problem = capped.problem
    asking = Asking(problem)
    fill = Fill(problem)
    place = data.draw(st.sampled_from(problem.places))
    for _ in range(3):
        options = list(itertools.islice(candidate_choices(problem, fill, place), 5))
        for choice in options:
            fill.put(place, choice)
            try:
                fresh = complete(problem, fill)
            except SearchLimit:  # pragma: no cover - a tiny instance is always decided
                pytest.fail("undecided")
            left = [p for p in problem.places if p not in fill.choices]
            assert asking.allowed(fill, place) == allowed_reviewers(problem, fill, left)
            answer = asking.complete(fill, place)
            assert (answer is None) == (fresh is None)
            assert answer is None or fresh is None or answer.choices == fresh.choices
            fill.take(place)
        # Another place is decided, and the same place is asked about again.
        others = [p for p in problem.places if p not in fill.choices and p != place]
        if not others:
            break
        other = data.draw(st.sampled_from(others))
        found = list(itertools.islice(candidate_choices(problem, fill, other), 5))
        if not found:
            break
        fill.put(other, data.draw(st.sampled_from(found)))


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_the_matching_shortcut_agrees_with_the_flow(data: st.DataObject) -> None:
    """The feasibility check asks a matching first and builds the flow network only when
    some place cannot be filled: both must say the same on every capped draw."""
    import networkx as nx

    from tocreview.draw.feasibility import _flow_witness

    capped = data.draw(capped_problems(max_parties=6, min_surs=1, max_surs=4))
    problem = capped.problem
    cap = data.draw(st.integers(1, 2))
    graph: nx.DiGraph[object] = nx.DiGraph()
    for place in problem.places:
        graph.add_edge("source", place, capacity=1)
        for r in problem.main_pool[place]:
            if problem.choices_count(place, r):
                graph.add_edge(place, ("reviewer", r), capacity=1)
                graph.add_edge(("reviewer", r), "sink", capacity=cap)
    graph.add_nodes_from(("source", "sink"))
    value = nx.maximum_flow_value(graph, "source", "sink")
    assert (_flow_witness(problem, cap) is None) == (value >= len(problem.places))
