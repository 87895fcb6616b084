"""Exact distribution checks on instances small enough to enumerate every outcome."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from drawkit import (
    REJECTED,
    enumerate_distribution,
    groups_of,
    party,
    roster,
    valid_outcomes,
)

from tocreview import Instrument, RegionalGroup
from tocreview.draw.engine import draw
from tocreview.rules import Parameters

C, T, F = Instrument.CONVENTION, Instrument.TIP, Instrument.FIREARMS
AF, WE = RegionalGroup.AFRICAN, RegionalGroup.WEOG


def small_roster():  # type: ignore[no-untyped-def]
    # Two African and three WEOG States; AAA is reviewed for the Trafficking Protocol, which
    # only some reviewers are party to, so supplementary draws happen.
    return roster(
        party("AAA", AF, [C, T]),
        party("BBB", AF, [C]),
        party("CCC", AF, [C, T]),
        party("WWW", WE, [C, T]),
        party("XXX", WE, [C]),
        party("YYY", WE, [C, T, F]),
    )


INSTANCES = {
    "one-state": (["AAA"], Parameters()),
    "two-states-mutual": (["AAA", "BBB"], Parameters()),
    "two-states-load-cap": (["AAA", "WWW"], Parameters(max_reviews_per_reviewer=2)),
    "reviewer-cap-3": (["AAA", "XXX"], Parameters(max_reviewers=3)),
}


def _run(method: str, surs: list[str], params: Parameters, r=None):  # type: ignore[no-untyped-def]
    r = r or small_roster()
    return lambda streams: draw(r, params, group=1, seed="x", method=method,
                                groups=groups_of(surs), streams=streams)


@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_uniform_is_exactly_uniform_over_valid_assignments(name: str) -> None:
    surs, params = INSTANCES[name]
    params = params.with_changes(max_uniform_attempts=1)  # one attempt: a rejection is an outcome
    dist = enumerate_distribution(_run("uniform", surs, params))
    accepted = {o: p for o, p in dist.items() if o != REJECTED}
    valid = valid_outcomes(small_roster(), surs, params)
    assert set(accepted) == valid
    # Conditioned on acceptance, every valid assignment has the same probability.
    assert len(set(accepted.values())) == 1
    assert sum(dist.values()) == 1


def _sequential_reference(surs: list[str], params: Parameters) -> dict[frozenset, Fraction]:  # type: ignore[type-arg]
    """The distribution the documentation of 'sequential' states, computed from the brute-force
    valid set alone: uniform order; then per State and side, the main reviewer uniform over the
    candidates that some valid assignment extends, then the supplementary one likewise."""
    r = small_roster()
    valid = valid_outcomes(r, surs, params)
    out: dict[frozenset, Fraction] = {}  # type: ignore[type-arg]

    def side_of(sur: str, reviewer: str) -> str:
        same = r.get(sur).regional_group == r.get(reviewer).regional_group
        return "same" if same else "other"

    def place(o: frozenset, sur: str, side: str) -> tuple[str, str | None]:  # type: ignore[type-arg]
        revs = {(rv, inst) for s, rv, inst in o if s == sur and side_of(sur, rv) == side}
        main = next(rv for rv, inst in revs if inst == "convention")
        supp = sorted({rv for rv, _ in revs if rv != main})
        return main, (supp[0] if supp else None)

    def walk(order: list[tuple[str, str]], pool: set, p: Fraction) -> None:  # type: ignore[type-arg]
        if not order:
            (only,) = pool
            out[only] = out.get(only, Fraction(0)) + p
            return
        sur, side = order[0]
        mains = sorted({place(o, sur, side)[0] for o in pool})
        for m in mains:
            sub = {o for o in pool if place(o, sur, side)[0] == m}
            supps = sorted({place(o, sur, side)[1] or "" for o in sub})
            for s in supps:
                walk(order[1:], {o for o in sub if (place(o, sur, side)[1] or "") == s},
                     p / len(mains) / len(supps))

    perms = list(itertools.permutations(sorted(surs)))
    for perm in perms:
        walk([(s, side) for s in perm for side in ("same", "other")], valid,
             Fraction(1, len(perms)))
    return out


@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_sequential_matches_its_documented_distribution(name: str) -> None:
    surs, params = INSTANCES[name]
    dist = enumerate_distribution(_run("sequential", surs, params))
    assert REJECTED not in dist
    assert dist == _sequential_reference(surs, params)


def test_the_two_methods_differ_where_they_should() -> None:
    # AAA's other-group place: WWW and YYY cover the Trafficking Protocol alone; XXX needs a
    # supplementary reviewer, which opens more pairs, so 'uniform' favours XXX as main reviewer
    # while 'sequential' gives each main reviewer the same chance.
    surs, params = INSTANCES["one-state"]
    seq = enumerate_distribution(_run("sequential", surs, params))
    uni = enumerate_distribution(_run("uniform", surs, params))

    def main_other(dist):  # type: ignore[no-untyped-def]
        share = {}
        for o, p in dist.items():
            for _s, rv, inst in o:
                if inst == "convention" and rv in ("WWW", "XXX", "YYY"):
                    share[rv] = share.get(rv, 0) + p
        return share

    assert main_other(seq) == {"WWW": Fraction(1, 3), "XXX": Fraction(1, 3), "YYY": Fraction(1, 3)}
    assert main_other(uni) == {"WWW": Fraction(1, 4), "XXX": Fraction(2, 4), "YYY": Fraction(1, 4)}


@pytest.mark.parametrize("method", ["sequential", "uniform", "lots"])
def test_relabelling_permutes_the_distribution_and_nothing_else(method: str) -> None:
    # Rename every party; the facts stay the same. Sorted order of ids changes, so the same
    # seed gives other draws, but the exact distribution must be the renamed one.
    base = small_roster()
    rename = {"AAA": "ZZA", "BBB": "MMB", "CCC": "BBC", "WWW": "QQW", "XXX": "AAX", "YYY": "KKY"}
    renamed = roster(*[p.model_copy(update={"id": rename[p.id], "name": "N" + rename[p.id]})
                       for p in base])
    surs, params = ["AAA", "BBB"], Parameters()
    params = params.with_changes(max_uniform_attempts=1)
    one = enumerate_distribution(_run(method, surs, params, base))
    two = enumerate_distribution(_run(method, [rename[s] for s in surs], params, renamed))
    back = {v: k for k, v in rename.items()}

    def restore(o):  # type: ignore[no-untyped-def]
        return o if o == REJECTED else frozenset((back[a], back[b], i) for a, b, i in o)

    assert {restore(o): p for o, p in two.items()} == one


def _lots_weight(outcome: frozenset, surs: list[str], r,  # type: ignore[no-untyped-def,type-arg]
                 per_instrument: bool = False) -> Fraction:
    """The product-measure weight of an outcome under 'lots', from the roster facts alone:
    per place, 1/(eligible main reviewers), times 1/(pool) for each supplementary lot (one
    for all the missing instruments, or one per missing instrument)."""
    held = {p.id: p.instruments(None) for p in r.parties}
    group = {p.id: p.regional_group for p in r.parties}
    weight = Fraction(1)
    for sur in surs:
        for same in (True, False):
            side = [x for x in held if x != sur and C in held[x]
                    and (group[x] == group[sur]) == same]

            def slots(missing):  # type: ignore[no-untyped-def]
                return [{i} for i in missing] if per_instrument else ([missing] if missing
                                                                      else [])

            def pool(slot, side=side):  # type: ignore[no-untyped-def]
                return [x for x in side if slot <= held[x]]

            eligible = [x for x in side
                        if all(pool(s) for s in slots(held[sur] - held[x]))]
            main = next(rv for s, rv, inst in outcome if s == sur and inst == "convention"
                        and rv in side)
            weight /= len(eligible)
            for slot in slots(held[sur] - held[main]):
                weight /= len(pool(slot))
    return weight


def per_instrument_roster():  # type: ignore[no-untyped-def]
    # YYY is party to all three: XXX lacks two Protocols, each with its own pool, so a place
    # can have two supplementary reviewers, or one State for both.
    return roster(
        party("AAA", AF, [C, T]),
        party("CCC", AF, [C, T, F]),
        party("DDD", AF, [C, F]),
        party("WWW", WE, [C, T]),
        party("XXX", WE, [C]),
        party("VVV", WE, [C, F]),
        party("YYY", WE, [C, T, F]),
    )


PER_INSTRUMENT = Parameters(max_uniform_attempts=1)  # the default: one lot per instrument


@pytest.mark.parametrize("cap", [4, 3])
def test_uniform_per_instrument_is_exactly_uniform(cap: int) -> None:
    params = PER_INSTRUMENT.with_changes(max_reviewers=cap)
    r = per_instrument_roster()
    dist = enumerate_distribution(_run("uniform", ["YYY"], params, r))
    accepted = {o: p for o, p in dist.items() if o != REJECTED}
    valid = valid_outcomes(r, ["YYY"], params)
    assert set(accepted) == valid
    assert any(len({rv for _s, rv, _i in o}) == 4 for o in valid) == (cap == 4)
    assert len(set(accepted.values())) == 1


def test_lots_per_instrument_matches_its_product_weights() -> None:
    r = per_instrument_roster()
    dist = enumerate_distribution(_run("lots", ["YYY"], PER_INSTRUMENT, r))
    accepted = {o: p for o, p in dist.items() if o != REJECTED}
    assert set(accepted) == valid_outcomes(r, ["YYY"], PER_INSTRUMENT)
    ratios = {p / _lots_weight(o, ["YYY"], r, per_instrument=True) for o, p in accepted.items()}
    assert len(ratios) == 1


@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_lots_is_independent_lots_conditioned_on_the_rules(name: str) -> None:
    surs, params = INSTANCES[name]
    params = params.with_changes(max_uniform_attempts=1)  # one attempt: a rejection is an outcome
    dist = enumerate_distribution(_run("lots", surs, params))
    accepted = {o: p for o, p in dist.items() if o != REJECTED}
    assert set(accepted) == valid_outcomes(small_roster(), surs, params)
    # Conditioned on acceptance, each valid assignment has its product weight, renormalised.
    ratios = {p / _lots_weight(o, surs, small_roster(), per_instrument=True)
              for o, p in accepted.items()}
    assert len(ratios) == 1
    assert sum(dist.values()) == 1


def test_lots_gives_each_main_reviewer_the_same_chance_unlike_uniform() -> None:
    surs, params = INSTANCES["one-state"]
    dist = enumerate_distribution(_run("lots", surs, params))
    share: dict[str, Fraction] = {}
    for o, p in dist.items():
        for _s, rv, inst in o:
            if inst == "convention" and rv in ("WWW", "XXX", "YYY"):
                share[rv] = share.get(rv, 0) + p
    assert share == {"WWW": Fraction(1, 3), "XXX": Fraction(1, 3), "YYY": Fraction(1, 3)}


def test_sequential_at_the_cap_on_reviewers_keeps_its_documented_distribution(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # ZZZ is reviewed for all four instruments; UUU, its only same-group reviewer, takes one
    # of the four reviewers the cap allows. Its other-group place may take BBB (party to the
    # Convention alone) with one supplementary reviewer per Protocol: AAA for Trafficking, then
    # CCC for Smuggling fill the cap, and the Firearms slot is drawn among those two only.
    # The enumerated distribution must still be the documented one: each reviewer uniform over
    # the candidates some valid assignment extends, slot after slot.
    from tocreview.draw import methods

    S = Instrument.SOM
    r = roster(
        party("AAA", AF, [C, T, S, F]), party("BBB", AF, [C]), party("CCC", AF, [C, S, F]),
        party("UUU", WE, [C, T, S, F]), party("ZZZ", WE, [C, T, S, F]),
    )
    narrowed: list[tuple[str, ...]] = []
    real = methods.at_cap

    def counted(pool, chosen):  # type: ignore[no-untyped-def]
        narrowed.append(real(pool, chosen))
        return narrowed[-1]

    monkeypatch.setattr(methods, "at_cap", counted)
    params = Parameters(max_reviewers=4)
    dist = enumerate_distribution(_run("sequential", ["ZZZ"], params, r))
    assert REJECTED not in dist
    assert ("AAA", "CCC") in narrowed  # the cap was reached with two candidates left
    order = [i.value for i in Instrument]

    def side_of(reviewer: str) -> str:
        return "same" if r.get(reviewer).regional_group == WE else "other"

    def place(o: frozenset, side: str) -> tuple[str, ...]:  # type: ignore[type-arg]
        by = {inst: rv for _s, rv, inst in o if side_of(rv) == side}
        main = by["convention"]
        held = {i.value for i in r.get(main).instruments()}
        return (main, *(by[i] for i in order if i not in held))

    expected: dict[frozenset, Fraction] = {}  # type: ignore[type-arg]

    def walk(sides: list[str], pool: set, p: Fraction) -> None:  # type: ignore[type-arg]
        if not sides:
            (only,) = pool
            expected[only] = expected.get(only, Fraction(0)) + p
            return

        def step(prefix: tuple[str, ...], sub: set, q: Fraction) -> None:  # type: ignore[type-arg]
            done = [o for o in sub if place(o, sides[0]) == prefix]
            if done and len(done) == len(sub):
                walk(sides[1:], sub, q)
                return
            nexts = sorted({place(o, sides[0])[len(prefix)] for o in sub})
            for n in nexts:
                step((*prefix, n), {o for o in sub if place(o, sides[0])[len(prefix)] == n},
                     q / len(nexts))

        step((), pool, p)

    walk(["same", "other"], valid_outcomes(r, ["ZZZ"], params), Fraction(1))
    assert dist == expected
