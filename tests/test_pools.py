"""Shared pools read exactly like the lists they stand for, so every lot lands where it would.

The draw builds a place's pool as its class's list less a few States (itself, the States it
reviewed before) when not_self is the only rule on a pairing; a pairing constraint makes it
build each pool one by one. Both must give the same pools, member for member, in order.
"""

from __future__ import annotations

import itertools
from bisect import insort
from datetime import date

import pytest
from budget import examples
from drawkit import party, roster
from hypothesis import given, settings
from hypothesis import strategies as st

from tocreview import Instrument, RegionalGroup, Roster
from tocreview.draw.kernel import Kernel
from tocreview.draw.methods import pick
from tocreview.draw.pools import Pool, nth_remaining
from tocreview.draw.problem import BasePools, Choice, Fill, Problem, build_problem
from tocreview.draw.search import candidate_choices
from tocreview.draw.uniform_local import SideCounts, partitions
from tocreview.model.citation import Citation, Status
from tocreview.model.result import DrawRequest, Pairing, Role, Side
from tocreview.rules import Parameters
from tocreview.rules.selection import PairingConstraint
from tocreview.testing.strategies import draw_rosters

BUNDLED = Roster.bundled(as_of="2020-10-16")
CITE = Citation(document="test", status=Status.ASSUMPTION)
EVERYONE = PairingConstraint(id="test.everyone", citation=CITE, source="test",
                             allows=lambda r, s, p: True)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from("ABCDEFGHIJ"), unique=True),
       st.lists(st.integers(0, 12)), st.data())
def test_a_pool_reads_like_the_list_it_stands_for(members: list[str], removed: list[int],
                                                 data: st.DataObject) -> None:
    base = tuple(members)
    where = {m: i for i, m in enumerate(base)}
    gone = {i for i in removed if i < len(base)}
    pool = Pool(base, where, gone)
    plain = [m for i, m in enumerate(base) if i not in gone]
    assert list(pool) == plain and len(pool) == len(plain)
    assert pool == plain and pool == tuple(plain) and hash(pool) == hash(tuple(plain))
    for i in range(-len(plain), len(plain)):
        assert pool[i] == plain[i]
    for out in (len(plain), -len(plain) - 1):
        with pytest.raises(IndexError):
            pool[out]
    for name in "ABCDEFGHIJZ":
        assert (name in pool) is (name in plain)
    assert 3 not in pool  # not a name at all
    assert pool[1:3] == tuple(plain[1:3])
    assert tuple(pool.indexed) == tuple(plain) and pool.indexed is pool.indexed  # made once
    dropped = data.draw(st.sets(st.sampled_from("ABCDEFGHIJZ")))
    assert list(Pool.less(base, where, dropped)) == [m for m in base if m not in dropped]


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(1, 30), st.data())
def test_drawing_without_replacement_matches_popping_from_a_copy(size: int,
                                                                data: st.DataObject) -> None:
    remaining = list(range(size))
    taken: list[int] = []
    while remaining:
        index = data.draw(st.integers(0, len(remaining) - 1))
        position = nth_remaining(size, taken, index)
        assert position == taken_next(taken, size, index) == remaining.pop(index)
        insort(taken, position)
    with pytest.raises(IndexError):
        nth_remaining(size, taken, 0)


def taken_next(taken: list[int], size: int, index: int) -> int:
    """The position the index names, found the slow way: the free positions, listed."""
    free = [p for p in range(size) if p not in taken]
    return free[index]


class Scripted:
    """Lots read from a list, to hold ``pick`` against popping from a copy of the pool."""

    def __init__(self, values: list[int]) -> None:
        self.values = values

    def below(self, n: int) -> int:
        return self.values.pop(0) % n


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from("ABCDEFGH"), unique=True, min_size=1),
       st.sets(st.sampled_from("ABCDEFGH")), st.lists(st.integers(0, 99), min_size=8,
                                                     max_size=8))
def test_pick_draws_as_popping_from_a_copy(members: list[str], good: set[str],
                                           values: list[int]) -> None:
    pool = Pool.of(members)
    expected_aside: list[str] = []
    remaining = list(members)
    expected: str | None = None
    lots = list(values)
    while remaining:
        candidate = remaining.pop(lots.pop(0) % len(remaining))
        if candidate in good:
            expected = candidate
            break
        expected_aside.append(candidate)
    if expected is None:
        with pytest.raises(LookupError):
            pick(pool, Scripted(list(values)), good.__contains__)
        return
    assert pick(pool, Scripted(list(values)), good.__contains__) == (expected, expected_aside)


def _both(parameters: Parameters, group: int, history: tuple[Pairing, ...],
          seed: int = 0) -> tuple[Problem, Problem]:
    groups = Kernel(BUNDLED, parameters).start_groups(seed)
    request = DrawRequest(group=group, states_under_review=tuple(sorted(groups.group(group))),
                          seed=str(seed), method="sequential", as_of=BUNDLED.as_of,
                          history=history)
    shared = build_problem(BUNDLED, parameters, request, (),
                           BasePools.of(BUNDLED, parameters, BUNDLED.as_of))
    one_by_one = build_problem(BUNDLED, parameters, request, (EVERYONE,))
    return shared, one_by_one


@pytest.mark.parametrize("parameters", [Parameters(), Parameters(max_reviewers=3),
                                        Parameters(supplementary_draw="one_for_all_missing")],
                         ids=["adopted", "cap 3", "one for all"])
def test_shared_pools_equal_pools_built_one_by_one(parameters: Parameters) -> None:
    kernel = Kernel(BUNDLED, parameters)
    groups = kernel.start_groups(0)
    history = kernel.pairings(group=1, seed=0, groups=groups)
    shared, one_by_one = _both(parameters, 2, history)
    assert shared.shape[shared.places[0]][0][0] == "class"  # the shared path was taken
    assert one_by_one.shape[one_by_one.places[0]][0][0] == "place"
    assert shared.places == one_by_one.places
    some = shared.main_pool[shared.places[0]]
    with pytest.raises(TypeError):  # shared by every place of the class: read-only
        some.where[some[0]] = 0  # type: ignore[index]
    empty = Fill(shared), Fill(one_by_one)
    for place in shared.places:
        assert list(shared.main_pool[place]) == list(one_by_one.main_pool[place]), place
        assert list(shared.open_mains(place)) == list(one_by_one.open_mains(place)), place
        for main in shared.open_mains(place):
            assert [list(p) for p in shared.slot_pools(place, main)] == \
                [list(p) for p in one_by_one.slot_pools(place, main)], (place, main)
        first = [next(candidate_choices(p, f, place), None) for p, f in
                 zip((shared, one_by_one), empty, strict=True)]
        assert first[0] == first[1], place


def test_a_place_that_leaves_out_every_holder_of_an_instrument_shuts_that_gap() -> None:
    """The shared list has holders of the Firearms Protocol, but the place leaves out the
    only one: its mains who lack Firearms must close, as in the pool built one by one."""
    every = (Instrument.CONVENTION, Instrument.TIP, Instrument.SOM, Instrument.FIREARMS)
    africa, weog = RegionalGroup.AFRICAN, RegionalGroup.WEOG
    small = roster(party("AAA", africa, every), party("BBB", africa, every[:3]),
                   party("CCC", africa, every[:1]), party("DDD", africa, every),
                   party("EEE", weog, every[:1]), party("FFF", weog, every))
    parameters = Parameters()
    history = (Pairing(under_review="DDD", reviewer="AAA", instrument=Instrument.CONVENTION,
                       side=Side.SAME_GROUP, role=Role.MAIN),)
    request = DrawRequest(group=1, states_under_review=("AAA", "BBB"), seed="0",
                          method="sequential", as_of=date(2020, 10, 16), history=history)
    shared = build_problem(small, parameters, request)
    one_by_one = build_problem(small, parameters, request, (EVERYONE,))
    for place in shared.places:
        assert list(shared.open_mains(place)) == list(one_by_one.open_mains(place)), place
    # AAA reviewed DDD, so DDD is out of AAA's pool and no one left there holds the
    # Firearms Protocol: BBB and CCC, who lack it, cannot be main reviewers; nor can anyone.
    assert list(shared.main_pool[(AAA := "AAA", Side.SAME_GROUP)]) == ["BBB", "CCC"]
    assert list(shared.open_mains((AAA, Side.SAME_GROUP))) == []
    # BBB's pool keeps DDD, who holds everything: every main is open.
    assert list(shared.open_mains(("BBB", Side.SAME_GROUP))) == ["AAA", "CCC", "DDD"]


def _ways_by_listing(sets: list[list[str]]) -> list[tuple[str, ...]]:
    """Every way to give each set a member, all different, in lexicographic order."""
    return [way for way in itertools.product(*sets) if len(set(way)) == len(way)]


@settings(max_examples=examples(60), deadline=None)
@given(st.data())
def test_uniform_counts_and_decodes_every_choice_as_a_listing_does(data: st.DataObject) -> None:
    """The uniform method counts one place's choices by size and decodes an index into one
    by ranks and bisection; listing the choices in the same fixed order must agree."""
    small = data.draw(draw_rosters(min_parties=4, max_parties=9))
    parameters = data.draw(st.sampled_from(
        [Parameters(), Parameters(supplementary_draw="one_for_all_missing")]))
    members = tuple(p.id for p in small.parties)
    reviewed = data.draw(st.lists(st.tuples(st.sampled_from(members),
                                            st.sampled_from(members)), max_size=4))
    history = tuple(Pairing(under_review=a, reviewer=b, instrument=Instrument.CONVENTION,
                            side=Side.SAME_GROUP, role=Role.MAIN)
                    for a, b in reviewed if a != b)
    request = DrawRequest(group=1, states_under_review=members, seed="0",
                          method="uniform", as_of=small.as_of, history=history)
    _agrees_with_listing(build_problem(small, parameters, request))


def test_uniform_decoding_over_three_slots_of_mixed_holders() -> None:
    """A State party to all four instruments, reviewed by a main party to the Convention
    alone: three slots, whose candidates hold every mix of the Protocols."""
    tip, som, arms = Instrument.TIP, Instrument.SOM, Instrument.FIREARMS
    mixes = [(tip,), (som,), (arms,), (tip, som), (tip, arms), (som, arms), (tip, som, arms),
             (tip,), (som, arms), (tip, som, arms)]
    africa = RegionalGroup.AFRICAN
    parties = [party("AAA", africa, (Instrument.CONVENTION, tip, som, arms)),
               party("BBB", africa, (Instrument.CONVENTION,))]
    parties += [party(f"C{chr(65 + i)}C", africa, (Instrument.CONVENTION, *mix))
                for i, mix in enumerate(mixes)]
    parties.append(party("WWW", RegionalGroup.WEOG, (Instrument.CONVENTION,)))
    small = roster(*parties)
    request = DrawRequest(group=1, states_under_review=("AAA",), seed="0", method="uniform",
                          as_of=small.as_of)
    for parameters in (Parameters(max_reviewers=None), Parameters()):
        _agrees_with_listing(build_problem(small, parameters, request))


def _agrees_with_listing(problem: Problem) -> None:
    for place in problem.places:
        counts = SideCounts(problem, place)
        listed: dict[int, list[Choice]] = {}
        by_gap: dict[frozenset[Instrument], list[str]] = {}
        for main in problem.open_mains(place):
            by_gap.setdefault(problem.missing(place, main), []).append(main)
        for gap, mains in sorted(by_gap.items(), key=lambda kv: sorted(kv[0])):
            slots = problem.slots_for(gap)
            pools = [set(problem.supplementary_pool(place, slot)) for slot in slots]
            for partition in partitions(len(slots)):
                sets = [sorted(set.intersection(*(pools[i] for i in group)))
                        for group in partition]
                ways = _ways_by_listing(sets)
                for main in mains:
                    for way in ways:
                        supps = [""] * len(slots)
                        for group, reviewer in zip(partition, way, strict=True):
                            for slot in group:
                                supps[slot] = reviewer
                        listed.setdefault(len(partition) + 1, []).append((main, tuple(supps)))
        for size in range(1, 5):
            expected = listed.get(size, [])
            assert counts.count(size) == len(expected), (place, size)
            assert [counts.choice_at(size, i) for i in range(len(expected))] == expected


def test_a_large_pool_is_drawn_from_in_place_not_copied() -> None:
    # Copying each place's pool would make a draw grow with places x candidates.
    from tocreview.draw.pools import COPIED_UP_TO
    base = tuple(f"S{i:04d}" for i in range(COPIED_UP_TO + 1))
    where = {m: i for i, m in enumerate(base)}
    large, small = Pool(base, where, {0, 7}), Pool(base[:50], where, {7})
    assert large.indexed is large and list(large.indexed) == [*base[1:7], *base[8:]]
    assert isinstance(small.indexed, tuple) and small.indexed == (*base[:7], *base[8:50])
    assert Pool(base, where).indexed is base  # nothing removed: the list itself


def test_constraints_that_list_whom_they_bar_give_the_pools_asking_each_pairing_gives(
) -> None:
    # The opt-out clause and the REIO option bar a few reviewers per State under review:
    # leaving those out of the class's list must give exactly the pools that asking the
    # constraint about every pairing gives. Group 2 of seed 0 holds the European Union,
    # whose members may not review it; France and Brazil opted out.
    from dataclasses import replace

    from tocreview.rules import selection as sel

    parameters = Parameters(opt_out_clause=True, opted_out=["FRA", "BRA"],
                            reio_members_excluded=True, reio_under_review=True,
                            reio_groups_from_members=True)
    constraints = sel.options_in_force(parameters)
    assert len(constraints) == 2 and all(c.bars is not None for c in constraints)
    asking = tuple(replace(c, bars=None) for c in constraints)  # every pairing asked
    kernel = Kernel(BUNDLED, parameters)
    groups = kernel.start_groups(0)
    assert "EUU" in groups.group(2)
    history = kernel.pairings(group=1, seed=0, groups=groups)
    request = DrawRequest(group=2, states_under_review=tuple(sorted(groups.group(2))),
                          seed="0", method="sequential", as_of=BUNDLED.as_of, history=history)
    listed = build_problem(BUNDLED, parameters, request, constraints,
                           BasePools.of(BUNDLED, parameters, BUNDLED.as_of, constraints=constraints))
    asked = build_problem(BUNDLED, parameters, request, asking)
    assert {listed.shape[p][0][0] for p in listed.places} == {"class"}
    assert {asked.shape[p][0][0] for p in asked.places} == {"place"}
    eu = BUNDLED.get("EUU")
    for place in listed.places:
        assert list(listed.main_pool[place]) == list(asked.main_pool[place]), place
        assert list(listed.open_mains(place)) == list(asked.open_mains(place)), place
        assert not {"FRA", "BRA"} & set(listed.main_pool[place])
        if place[0] == "EUU":
            assert not set(eu.members) & set(listed.main_pool[place])
    # A constraint whose list is not a list of party ids is named, not trusted.
    from tocreview.errors import PluginError
    broken = replace(constraints[0], bars=lambda s, p: [1, 2])
    with pytest.raises(PluginError, match="bars"):
        build_problem(BUNDLED, parameters, request, (broken,))
