"""The kernel is the traced draw with its trace switched off: the same pairings, always.

The suite checks a few seeds of every method and start group, with history; set
TOCREVIEW_KERNEL_SEEDS=1000 for the full check (docs/benchmarks.md gives its figures).
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from budget import examples
from drawkit import groups_of, party, roster
from hypothesis import given, settings
from hypothesis import strategies as st

from tocreview import Instrument, RegionalGroup, Roster
from tocreview.draw.engine import draw
from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.kernel import Kernel
from tocreview.draw.methods import METHODS, DrawMethod, SamplingExhausted
from tocreview.errors import PluginError
from tocreview.model.result import Pairing
from tocreview.rules import Parameters
from tocreview.testing.strategies import draw_rosters

SEEDS = int(os.environ.get("TOCREVIEW_KERNEL_SEEDS", "3"))
BUNDLED = Roster.bundled(as_of="2020-10-16")


@pytest.mark.parametrize("method", sorted(METHODS))
def test_the_kernel_gives_the_traced_pairings_on_the_bundled_roster(method: str) -> None:
    parameters = Parameters()
    kernel = Kernel(BUNDLED, parameters)
    for seed in range(SEEDS):
        groups = kernel.start_groups(seed)
        traced: list[Pairing] = []
        untraced: list[Pairing] = []
        for group in (1, 2, 3):
            one = draw(BUNDLED, parameters, group=group, seed=seed, method=method,
                       groups=groups, history=traced)
            two = kernel.pairings(group=group, seed=seed, method=method, groups=groups,
                                  history=untraced)
            assert two == one.pairings, (seed, group)
            traced.extend(one.pairings)
            untraced.extend(two)


@settings(max_examples=examples(40), deadline=None)
@given(st.data())
def test_the_kernel_gives_the_traced_pairings_on_any_roster(data: st.DataObject) -> None:
    small = data.draw(draw_rosters(min_parties=4, max_parties=9))
    # Few attempts: when every State of a small roster is under review, valid draws can be
    # a rare share of independent ones, and rejection then ends in SamplingExhausted; the
    # kernel must end the same way, and sooner is enough to show it.
    parameters = data.draw(st.sampled_from([
        Parameters(max_uniform_attempts=300),
        Parameters(max_reviewers=None, max_uniform_attempts=300),
        Parameters(max_reviews_per_reviewer=2, max_uniform_attempts=300)]))
    method = data.draw(st.sampled_from(sorted(METHODS)))
    seed = data.draw(st.integers(0, 10_000))
    members = [p.id for p in small.parties]
    groups = groups_of(members)
    try:
        expected = draw(small, parameters, group=1, seed=seed, method=method, groups=groups)
    except (InfeasibleDraw, SamplingExhausted) as failed:
        with pytest.raises(type(failed)):
            Kernel(small, parameters).pairings(group=1, seed=seed, method=method,
                                               groups=groups)
        return
    assert Kernel(small, parameters).pairings(group=1, seed=seed, method=method,
                                              groups=groups) == expected.pairings


@pytest.mark.parametrize("method", sorted(METHODS))
def test_a_compiled_draw_drawn_again_and_again_gives_the_traced_pairings(method: str) -> None:
    # One compiled start group serves many seeds, in any order: nothing one draw leaves in
    # it (caches, a valid filling it starts from) may change the next. Group 2 has history.
    parameters = Parameters()
    kernel = Kernel(BUNDLED, parameters)
    groups = kernel.start_groups(7)
    history = draw(BUNDLED, parameters, group=1, seed=7, groups=groups).pairings
    compiled = kernel.compile(group=2, groups=groups, history=history)
    seeds = [3, 11, 3, 0, 11]
    drawn = [compiled.pairings(seed, method) for seed in seeds]
    for seed, pairings in zip(seeds, drawn, strict=True):
        assert pairings == draw(BUNDLED, parameters, group=2, seed=seed, method=method,
                                groups=groups, history=history).pairings, seed
    assert drawn[0] == drawn[2] and drawn[1] == drawn[4] and drawn[0] != drawn[1]


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_admitting_a_choice_is_checking_it_then_putting_it(data: st.DataObject) -> None:
    from tocreview.draw.problem import Fill
    kernel = Kernel(BUNDLED, Parameters(max_reviews_per_reviewer=2))
    groups = kernel.start_groups(1)
    problem = kernel.compile(group=1, groups=groups).problem
    one, two = Fill(problem), Fill(problem)
    ids = sorted(BUNDLED.ids())
    for place in data.draw(st.lists(st.sampled_from(problem.places), max_size=30)):
        choice = (data.draw(st.sampled_from(ids)),
                  tuple(data.draw(st.lists(st.sampled_from(ids), max_size=2))))
        allowed = one.allows_choice(place, choice) and place not in one.choices
        if allowed:
            one.put(place, choice)
        if place not in two.choices:
            assert two.admit(place, choice) is allowed
        assert (one.choices, one.pairs, +one.load, +one.taken) == \
            (two.choices, two.pairs, +two.load, +two.taken)


def test_an_infeasible_draw_is_reported_as_such_by_every_method() -> None:
    lonely = roster(
        party("AAA", RegionalGroup.AFRICAN, [Instrument.CONVENTION]),
        party("BBB", RegionalGroup.WEOG, [Instrument.CONVENTION]),
    )
    for method in METHODS:
        with pytest.raises(InfeasibleDraw):
            Kernel(lonely).pairings(group=1, seed=1, method=method,
                                    groups=groups_of(["AAA", "BBB"]))


def test_a_plugin_method_is_checked_by_the_kernel_as_by_the_traced_draw() -> None:
    def selfish(problem, start, streams, tracer):  # type: ignore[no-untyped-def]
        for place in list(start.choices):
            start.take(place)
            start.put(place, (place[0], ()))  # every State reviews itself
        return start

    methods = {**METHODS, "selfish": DrawMethod("selfish", "none", selfish)}
    kernel = Kernel(BUNDLED, methods=methods)
    with pytest.raises(PluginError, match="selfish"):
        kernel.pairings(group=1, seed=1, method="selfish")
    compiled = kernel.compile(group=1, groups=kernel.start_groups(1))
    for seed in (1, 2):  # a compiled draw checks a plugin's output on every draw
        with pytest.raises(PluginError, match="draw method selfish"):
            compiled.pairings(seed, "selfish")


def test_shared_pools_are_not_used_for_other_inputs() -> None:
    kernel = Kernel(BUNDLED, Parameters())
    other = Kernel(BUNDLED, Parameters(), excluded=["FRA"])
    groups = kernel.start_groups(5)
    kernel.pairings(group=1, seed=5, groups=groups)  # fills the shared pools
    excluded = other.pairings(group=1, seed=5, groups=groups)
    assert all(p.reviewer != "FRA" for p in excluded)
    assert excluded == draw(BUNDLED, group=1, seed=5, groups=groups, excluded=["FRA"]).pairings


def test_development_status_is_dated() -> None:
    vanuatu = BUNDLED.get("VUT")
    assert "ldc" in vanuatu.development_status(date(2020, 10, 16))
    assert "ldc" not in vanuatu.development_status(date(2021, 1, 1))


@pytest.mark.parametrize("side,role", [(None, None), ("same_group", "main"),
                                       ("other_group", "supplementary")])
def test_a_trusted_pairing_is_the_record_model_construct_makes(side: str | None,
                                                                role: str | None) -> None:
    import pickle

    from tocreview.model.result import Role, Side

    parts = dict(under_review="ARG", reviewer="BLZ", instrument=Instrument.TIP,
                 side=Side(side) if side else None, role=Role(role) if role else None)
    fast = Pairing.trusted(**parts)  # type: ignore[arg-type]
    made = Pairing.model_construct(**parts)  # type: ignore[arg-type]
    checked = Pairing.model_validate(parts)
    for other in (made, checked):
        assert fast == other and hash(fast) == hash(other) and repr(fast) == repr(other)
        assert fast.__dict__ == other.__dict__
        assert fast.model_fields_set == other.model_fields_set
        assert fast.__pydantic_extra__ == other.__pydantic_extra__
        assert fast.__pydantic_private__ == other.__pydantic_private__
        assert fast.model_dump_json() == other.model_dump_json()
    assert pickle.loads(pickle.dumps(fast)) == checked
    assert fast.model_copy(update={"reviewer": "DOM"}).reviewer == "DOM"
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="frozen"):  # frozen, as every pairing
        fast.reviewer = "DOM"  # type: ignore[misc]


def test_a_plugin_constraint_whose_list_lets_too_many_through_is_caught() -> None:
    # 'bars' must name everyone 'allows' refuses; one that names no one would let refused
    # reviewers into the pools, and the kernel checks such a constraint's draws as the
    # traced draw does.
    from tocreview.model.citation import Citation, Status
    from tocreview.rules.selection import PairingConstraint

    no_fra = PairingConstraint(
        id="plugin.no_fra", citation=Citation(document="test", status=Status.ASSUMPTION),
        allows=lambda r, s, p: r.id != "FRA", source="test plugin",
        bars=lambda s, p: ())  # wrong: FRA is refused but not listed
    kernel = Kernel(BUNDLED, Parameters(), constraints=(no_fra,))
    groups = kernel.start_groups(0)
    seeds = [s for s in range(40) if any(
        p.reviewer == "FRA" for p in Kernel(BUNDLED).pairings(group=1, seed=s, groups=groups))]
    assert seeds  # FRA reviews in some of these draws without the constraint
    with pytest.raises(PluginError, match="plugin.no_fra"):
        kernel.pairings(group=1, seed=seeds[0], groups=groups)
    with pytest.raises(PluginError, match="plugin.no_fra"):
        draw(BUNDLED, group=1, seed=seeds[0], groups=groups, constraints=(no_fra,))
