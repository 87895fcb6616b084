"""Hypothesis strategies for tocreview's models, valid by construction.

Needs the ``test`` extra (``pip install 'tocreview[test]'``). Every strategy builds its value
directly from the constraints (no ``filter``/``assume`` chains), so generation stays fast
and shrinking goes to small cases.
"""

from __future__ import annotations

import string
from datetime import date

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "tocreview.testing.strategies needs hypothesis: pip install 'tocreview[test]'"
    ) from exc

from tocreview.draw.methods import METHODS
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import PROTOCOLS, Instrument
from tocreview.model.party import (
    Consent,
    ConsentType,
    DatePrecision,
    GroupStatus,
    Language,
    Party,
    PartyKind,
    RegionalGroup,
    Unresolved,
)
from tocreview.model.result import DrawRequest, Pairing
from tocreview.model.roster import Roster
from tocreview.plugins.model import Variant
from tocreview.scenario import Scenario

__all__ = ["citations", "consents", "draw_requests", "draw_rosters", "histories", "parties",
           "party_ids", "rosters", "scenarios"]

_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " .,-'()", min_size=1, max_size=20)
_DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


def party_ids() -> st.SearchStrategy[str]:
    """Three upper-case letters."""
    return st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3)


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    """Any citation."""
    return Citation(
        document=draw(_TEXT),
        status=draw(st.sampled_from(list(Status))),
        symbol=draw(st.none() | _TEXT),
        provision=draw(st.none() | st.builds(lambda n: f"para. {n}", st.integers(1, 99))),
        url=draw(st.none() | st.just("https://example.org/doc")),
        note=draw(st.none() | _TEXT),
    )


@st.composite
def consents(draw: st.DrawFn, instrument: Instrument) -> Consent:
    """A consent to ``instrument`` with any of the three date precisions."""
    precision = draw(st.sampled_from(list(DatePrecision)))
    day = draw(_DATES)
    fields: dict[str, object] = {"precision": precision}
    if precision is DatePrecision.DAY:
        fields["deposited"] = day
    elif precision is DatePrecision.MONTH:
        fields["deposited"] = day.replace(day=1)
    else:
        fields["party_by"] = draw(st.none() | st.just(day))
    return Consent(
        instrument=instrument,
        consent_type=draw(st.none() | st.sampled_from(list(ConsentType))),
        # a signature precedes the deposit of the consent it leads to
        signed=draw(st.none() | st.dates(min_value=date(2000, 1, 1), max_value=day)),
        source=draw(citations()),
        **fields,
    )


@st.composite
def parties(
    draw: st.DrawFn,
    party_id: str | None = None,
    *,
    group: RegionalGroup | str | None = "any",
    simple: bool = False,
) -> Party:
    """A State party. ``group='any'`` picks a group (or none); ``simple`` keeps dates day-exact
    and citations short, which is what draw tests want."""
    ident = party_id if party_id is not None else draw(party_ids())
    chosen = draw(st.sampled_from([*RegionalGroup, None])) if group == "any" else group
    assert chosen is None or isinstance(chosen, RegionalGroup)
    status = (
        GroupStatus.NONE
        if chosen is None
        else draw(st.sampled_from([GroupStatus.MEMBER, GroupStatus.OBSERVER]))
    )
    source = Citation(document="generated", status=Status.ASSUMPTION)
    instruments = [Instrument.CONVENTION, *draw(st.lists(st.sampled_from(PROTOCOLS), unique=True))]
    consent_list = []
    unresolved = []
    for inst in instruments:
        if simple:
            consent_list.append(
                Consent(instrument=inst, deposited=draw(_DATES), source=source)
            )
        elif draw(st.integers(0, 9)) == 0:
            unresolved.append(Unresolved(instrument=inst, source=draw(citations())))
        else:
            consent_list.append(draw(consents(inst)))
    languages = draw(
        st.none() | st.lists(st.sampled_from(list(Language)), min_size=1, max_size=3, unique=True)
    )
    return Party(
        id=ident,
        name=f"State {ident}",
        other_names=() if simple else tuple(draw(st.lists(st.just(f"Former {ident}"), max_size=1))),
        kind=PartyKind.STATE,
        un_member=draw(st.booleans()),
        regional_group=chosen,
        group_status=status,
        group_source=source if simple else draw(citations()),
        consents=tuple(consent_list),
        unresolved=tuple(unresolved),
        languages=None if languages is None else tuple(languages),
        languages_source=None if languages is None else source,
    )


@st.composite
def rosters(
    draw: st.DrawFn,
    *,
    min_parties: int = 1,
    max_parties: int = 12,
    with_reio: bool | None = None,
    simple: bool = False,
) -> Roster:
    """A valid roster; ``with_reio`` adds (True), omits (False) or may add (None) a REIO whose
    members are States of the roster.

    For the roster model, not for draws: it may hold States in no group without a mapping and
    too few States per group, so a draw on it is often deliberately infeasible (the engine
    says why). Use :func:`draw_rosters` for rosters that draw."""
    count = draw(st.integers(min_parties, max_parties))
    ids = draw(st.lists(party_ids(), min_size=count, max_size=count, unique=True))
    members = [draw(parties(i, simple=simple)) for i in ids if i != "EUU"]
    add_reio = draw(st.booleans()) if with_reio is None else with_reio
    if add_reio and members:
        chosen = draw(st.lists(st.sampled_from([p.id for p in members]), min_size=1, unique=True))
        source = Citation(document="generated", status=Status.ASSUMPTION)
        members.append(
            Party(
                id="EUU",
                name="Union",
                kind=PartyKind.REIO,
                un_member=False,
                regional_group=None,
                group_status=GroupStatus.NONE,
                group_source=source,
                consents=tuple(Consent(instrument=i, deposited=date(2004, 5, 21), source=source)
                               for i in Instrument),
                members=tuple(sorted(chosen)),
                members_source=source,
            )
        )
    as_of = draw(st.none() | _DATES)
    valid = draw(st.dictionaries(st.sampled_from(list(Instrument)), _DATES, max_size=4))
    return Roster.build(members, as_of=as_of, data_valid_for=valid)


@st.composite
def draw_rosters(
    draw: st.DrawFn,
    *,
    min_parties: int = 3,
    max_parties: int = 7,
    groups: tuple[RegionalGroup, ...] = (RegionalGroup.AFRICAN, RegionalGroup.WEOG),
    no_group: bool = False,
    reio: bool = False,
) -> Roster:
    """A roster for draws: States in ``groups``, all party to the Convention, each to any
    Protocols (so some are party to few instruments). ``no_group`` adds a State in no regional
    group, with the id ``NIU`` so that the default ``no_group_mapping`` places it with the
    Asia-Pacific States (as the bundled roster's Niue), and an Asia-Pacific State party to
    every instrument to review it: the roster stays drawable under the default parameters.
    ``reio`` adds a REIO whose members are some of the States. Shrinks towards few parties,
    few Protocols."""
    count = draw(st.integers(min_parties, max_parties))
    source = Citation(document="generated", status=Status.ASSUMPTION)
    day = date(2010, 1, 1)
    parties = []
    for i in range(count):
        ident = f"S{chr(65 + i // 26)}{chr(65 + i % 26)}"
        protocols = draw(st.lists(st.sampled_from(PROTOCOLS), unique=True, max_size=3))
        parties.append(Party(
            id=ident, name=f"State {ident}", regional_group=draw(st.sampled_from(groups)),
            group_source=source,
            consents=tuple(Consent(instrument=i, deposited=day, source=source)
                           for i in (Instrument.CONVENTION, *protocols)),
        ))
    if no_group:
        parties.append(Party(id="NIU", name="State NIU", regional_group=None,
                             group_status=GroupStatus.NONE, group_source=source,
                             consents=(Consent(instrument=Instrument.CONVENTION, deposited=day,
                                               source=source),)))
        if RegionalGroup.ASIA_PACIFIC not in groups:
            parties.append(Party(id="SAP", name="State SAP",
                                 regional_group=RegionalGroup.ASIA_PACIFIC, group_source=source,
                                 consents=tuple(Consent(instrument=i, deposited=day,
                                                        source=source) for i in Instrument)))
    if reio:
        members = draw(st.lists(st.sampled_from([p.id for p in parties]), min_size=1,
                                unique=True))
        parties.append(Party(id="EUU", name="Union", kind=PartyKind.REIO, un_member=False,
                             regional_group=None, group_status=GroupStatus.NONE,
                             group_source=source, members=tuple(sorted(members)),
                             members_source=source,
                             consents=tuple(Consent(instrument=i, deposited=day, source=source)
                                            for i in Instrument)))
    return Roster.build(parties)


@st.composite
def histories(draw: st.DrawFn, roster: Roster, max_size: int = 3) -> tuple[Pairing, ...]:
    """Pairings of earlier draws between States of ``roster``, as valid earlier draws leave
    them: never a State with itself, never a mutual review."""
    ids = [p.id for p in roster.parties if p.kind is PartyKind.STATE]
    drawn = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)),
                          max_size=max_size, unique=True))
    pairs: list[tuple[str, str]] = []
    for a, b in drawn:
        if a != b and (b, a) not in pairs:
            pairs.append((a, b))
    return tuple(Pairing(under_review=a, reviewer=b, instrument=Instrument.CONVENTION)
                 for a, b in pairs)


@st.composite
def draw_requests(draw: st.DrawFn, roster: Roster, max_states: int = 2) -> DrawRequest:
    """A request to draw reviewers for some States of ``roster`` that are in a regional group,
    with a history of earlier pairings.

    Deliberately not always feasible: on a small roster a State may have too few possible
    reviewers once the history is counted. A draw on it either succeeds or raises
    ``InfeasibleDraw`` (or ``SamplingExhausted`` for the sampling methods) saying why; tests
    use it to check exactly that."""
    eligible = [p.id for p in roster.parties
                if p.kind is PartyKind.STATE and p.regional_group is not None]
    surs = draw(st.lists(st.sampled_from(eligible), min_size=1, max_size=max_states,
                         unique=True))
    return DrawRequest(group=1, states_under_review=tuple(sorted(surs)),
                       seed=draw(st.text(string.ascii_letters, min_size=1, max_size=8)),
                       method=draw(st.sampled_from(sorted(METHODS))),
                       history=draw(histories(roster)))


@st.composite
def scenarios(draw: st.DrawFn, variants: dict[str, Variant] | None = None,
              baselines: tuple[str, ...] = ("untoc-2018",)) -> Scenario:
    """A valid scenario: a baseline and at most one variant per option, so no two variants
    set the same thing. ``variants`` defaults to the built-in ones."""
    if variants is None:
        from tocreview.plugins.manager import PluginManager

        variants = PluginManager(load_entry_points=False).variants()
    by_option: dict[str, list[str]] = {}
    for key, variant in sorted(variants.items()):
        by_option.setdefault(variant.option, []).append(key)
    chosen = []
    for option in sorted(by_option):
        pick = draw(st.none() | st.sampled_from(by_option[option]))
        if pick is not None:
            chosen.append(pick)
    order = draw(st.permutations(chosen))
    return Scenario(baseline=draw(st.sampled_from(baselines)), variants=tuple(order))
