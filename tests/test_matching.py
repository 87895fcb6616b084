"""Matchings under a cap on reviews per reviewer: maximum, and never wrong about "no"."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from budget import examples
from drawkit import groups_of, valid_outcomes
from hypothesis import given, settings
from hypothesis import strategies as st

from tocreview.draw.engine import draw
from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.matching import max_matching
from tocreview.draw.search import SearchLimit
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
