"""Test helpers for the draw: small instances, an exact enumerator of a method's outcomes, and
a brute-force oracle of the valid assignments that uses only ``check`` (not the engine)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st

from tocreview import Instrument, RegionalGroup, Roster
from tocreview.draw.check import check
from tocreview.draw.problem import Problem
from tocreview.model import Citation, Consent, Party, Status
from tocreview.model.result import Pairing, StartGroups
from tocreview.rules import Parameters
from tocreview.rules.parameters import Composition, SupplementaryDraw

SOURCE = Citation(document="test", status=Status.ASSUMPTION)
D = date(2010, 1, 1)


def party(ident: str, group: RegionalGroup | None, instruments: Sequence[Instrument]) -> Party:
    return Party(
        id=ident, name=f"State {ident}", regional_group=group,
        group_status="member" if group else "none", group_source=SOURCE,
        consents=tuple(Consent(instrument=i, deposited=D, source=SOURCE) for i in instruments),
    )


def roster(*parties: Party) -> Roster:
    return Roster.build(list(parties))


def groups_of(members: Sequence[str]) -> StartGroups:
    return StartGroups(groups=(tuple(sorted(members)),), trace=())


# The exact enumerator ships with the package (tocreview.testing.exact).
from tocreview.testing.exact import REJECTED, Outcome, enumerate_distribution, outcome  # noqa: E402, F401

# ----- brute-force oracle --------------------------------------------------------------------

Option = tuple[str, tuple[str, ...]]  # (main, reviewer of each missing instrument, in order)


def place_options(r: Roster, sur: str, per_instrument: bool) -> list[Option]:
    """Every (main, supplementary) choice per place, from any party, unfiltered but well
    formed: one supplementary reviewer for all the missing instruments, or (per instrument)
    any party for each of them. Also choices with a needless extra reviewer, so that the
    checker must reject those."""
    ids = r.ids()
    wanted = r.get(sur).instruments()
    out: list[Option] = []
    for m in ids:
        missing = [i for i in Instrument if i in wanted and i not in r.get(m).instruments()]
        out.append((m, ()))
        if per_instrument and missing:
            out += [(m, supps) for supps in itertools.product(ids, repeat=len(missing))]
        else:
            out += [(m, (s,) * max(len(missing), 1)) for s in ids if s != m]
    return list(dict.fromkeys(out))


def pairings_for(r: Roster, sur: str, choice: Option) -> list[Pairing]:
    main, supps = choice
    wanted = r.get(sur).instruments()
    missing = [i for i in Instrument if i in wanted and i not in r.get(main).instruments()]
    covering = dict(zip(missing, supps, strict=False))
    out = []
    for inst in Instrument:
        if inst not in wanted:
            continue
        if inst in r.get(main).instruments():
            out.append(Pairing(under_review=sur, reviewer=main, instrument=inst))
        elif inst in covering:
            out.append(Pairing(under_review=sur, reviewer=covering[inst], instrument=inst))
    for extra in supps[len(missing):]:  # a needless supplementary reviewer
        out.append(Pairing(under_review=sur, reviewer=extra, instrument=Instrument.CONVENTION))
    return out


def valid_outcomes(r: Roster, surs: Sequence[str], params: Parameters,
                   history: Sequence[Pairing] = ()) -> set[Outcome]:
    """Every complete assignment that ``check`` finds no fault with (brute force)."""
    per_sur: dict[str, list[list[Pairing]]] = {}
    for sur in surs:
        options = []
        per_instrument = params.supplementary_draw is SupplementaryDraw.PER_INSTRUMENT
        pairs = place_options(r, sur, per_instrument)
        for a, b in itertools.product(pairs, pairs):
            rows = pairings_for(r, sur, a) + pairings_for(r, sur, b)
            if not check(rows, r, params, history=history):
                options.append(rows)
        per_sur[sur] = options
    found = set()
    for combo in itertools.product(*(per_sur[s] for s in surs)):
        rows = [p for part in combo for p in part]
        if not check(rows, r, params, history=history):
            found.add(frozenset((p.under_review, p.reviewer, p.instrument.value) for p in rows))
    return found


# ----- hypothesis strategy for small draw instances ------------------------------------------

@dataclass(frozen=True)
class Instance:
    roster: Roster
    surs: tuple[str, ...]
    params: Parameters
    history: tuple[Pairing, ...]


@st.composite
def instances(draw: st.DrawFn, max_parties: int = 6, max_surs: int = 2) -> Instance:
    # Per instrument, the brute-force oracle tries every party for every missing instrument:
    # kept to small instances so that it stays quick.
    mode = draw(st.sampled_from(list(SupplementaryDraw)))
    if mode is SupplementaryDraw.PER_INSTRUMENT:
        max_parties, max_surs = min(max_parties, 4), 1
    count = draw(st.integers(3, max_parties))
    ids = [f"P{chr(65 + i)}{chr(65 + i)}" for i in range(count)]
    two = [RegionalGroup.AFRICAN, RegionalGroup.WEOG]
    parties = []
    for ident in ids:
        protocols = draw(st.lists(st.sampled_from([Instrument.TIP, Instrument.FIREARMS]),
                                  unique=True))
        parties.append(party(ident, draw(st.sampled_from(two)),
                             [Instrument.CONVENTION, *protocols]))
    r = roster(*parties)
    surs = tuple(sorted(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=max_surs,
                                      unique=True))))
    # A history is earlier draws' pairings, which kept the rules: no self-review and no
    # mutual review within it (the engine refuses such a history).
    pairs: list[tuple[str, str]] = []
    for a, b in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)),
                              max_size=2)):
        if a != b and (b, a) not in pairs and (a, b) not in pairs:
            pairs.append((a, b))
    history = tuple(Pairing(under_review=a, reviewer=b, instrument=Instrument.CONVENTION)
                    for a, b in pairs)
    params = Parameters(
        max_reviews_per_reviewer=draw(st.sampled_from([None, 1, 2])),
        max_reviewers=draw(st.sampled_from([4, 3, 2])),
        supplementary_draw=mode,
    )
    return Instance(r, surs, params, history)


# ----- small draws under tight caps, for the completion deciders -----------------------------

@dataclass(frozen=True)
class Capped:
    roster: Roster
    states_under_review: tuple[str, ...]
    parameters: Parameters
    problem: Problem


@st.composite
def capped_problems(draw: st.DrawFn, *, max_parties: int, min_surs: int, max_surs: int,
                    compositions: Sequence[Composition] = (Composition.SAME_AND_OTHER,)
                    ) -> Capped:
    """A small draw under a cap on reviews per reviewer (or none), a cap on reviewers (or
    none) and either way of drawing supplementary reviewers: what the deciders of whether a
    draw can be completed (repair, the solver) are held to the exact answers on."""
    from tocreview.draw.problem import build_problem
    from tocreview.model.result import DrawRequest
    from tocreview.testing.strategies import draw_rosters

    roster = draw(draw_rosters(min_parties=3, max_parties=max_parties))
    members = [p.id for p in roster.parties]
    surs = tuple(sorted(draw(st.lists(st.sampled_from(members), min_size=min_surs,
                                      max_size=max_surs, unique=True))))
    parameters = Parameters(
        max_reviews_per_reviewer=draw(st.sampled_from([None, 1, 2])),
        max_reviewers=draw(st.sampled_from([None, 2, 3, 4])),
        supplementary_draw=draw(st.sampled_from(list(SupplementaryDraw))),
        composition=draw(st.sampled_from(list(compositions))))
    request = DrawRequest(group=1, states_under_review=surs, seed="s", method="sequential",
                          as_of=roster.as_of)
    return Capped(roster, surs, parameters, build_problem(roster, parameters, request))
