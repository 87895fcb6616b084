"""Checking pairings made elsewhere (e.g. a published list) against the rules."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from tocreview.draw.problem import PairingConstraint
from tocreview.model.instrument import Instrument
from tocreview.model.party import RegionalGroup
from tocreview.model.result import Pairing, Role, Side, Violation
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules.parameters import Composition, Parameters, SupplementaryDraw
from tocreview.rules.registry import rule_of


def _violation(function: object, parties: Iterable[str], message: str,
               instrument: Instrument | None = None) -> Violation:
    record = rule_of(function)  # type: ignore[arg-type]
    return Violation(rule=record.id, citations=record.citations, parties=tuple(parties),
                     instrument=instrument, message=message)


def check(
    pairings: Iterable[Pairing],
    roster: Roster,
    parameters: Parameters | None = None,
    *,
    history: Iterable[Pairing] = (),
    as_of: date | None = None,
    constraints: Sequence[PairingConstraint] | None = None,
    excluded: Iterable[str] = (),
    deferring: Iterable[str] = (),
) -> list[Violation]:
    """Every violation of the selection rules in ``pairings`` (an empty list if none).

    ``history`` holds earlier draws' pairings, which count for the no-mutual-review rule;
    ``constraints`` are extra pairing constraints (from plugins or variants); ``excluded`` and
    ``deferring`` are the States that may not serve in this draw.
    Party ids not in the roster raise :class:`~tocreview.errors.UnknownPartyError`.
    """
    params = parameters or Parameters()
    if constraints is None:  # as in draw(): the built-in options the parameters switch on
        constraints = sel.options_in_force(params)
    when = roster.as_of if as_of is None else as_of
    rows = list(dict.fromkeys(pairings))  # drop exact duplicates, keep order
    history = tuple(history)
    for p in (*rows, *history):
        roster.get(p.under_review)
        roster.get(p.reviewer)
    out: list[Violation] = []
    away = (frozenset(excluded), frozenset(deferring))
    for p in rows:
        out.extend(_pairing_violations(p, roster, params, when, constraints, away))
    out.extend(_mutual_violations(rows, history))
    by_sur: dict[str, dict[Instrument, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows_of: dict[str, list[Pairing]] = defaultdict(list)  # one pass: rows x States is n^2
    for p in rows:
        by_sur[p.under_review][p.instrument].append(p.reviewer)
        rows_of[p.under_review].append(p)
    for sur_id in sorted(by_sur):
        out.extend(_composition_violations(sur_id, by_sur[sur_id], roster, params, when))
        out.extend(_label_violations(sur_id, rows_of[sur_id], roster, params))
        distinct = {r for rs in by_sur[sur_id].values() for r in rs}
        if not sel.within_reviewer_cap(len(distinct), sur_id, params):
            out.append(_violation(sel.within_reviewer_cap, [sur_id, *sorted(distinct)],
                                  f"{sur_id} has {len(distinct)} reviewing States; the cap is "
                                  f"{params.max_reviewers}"))
    load = Counter(r for _, r in {(p.under_review, p.reviewer) for p in rows})
    for reviewer_id, count in sorted(load.items()):
        if not sel.within_reviewer_load(count - 1, params):
            out.append(_violation(sel.within_reviewer_load, [reviewer_id],
                                  f"{reviewer_id} reviews {count} States; the cap is "
                                  f"{params.max_reviews_per_reviewer}"))
    return out


_WHAT: dict[object, str] = {
    sel.not_self: "{sur} reviews itself for the {inst}",
    sel.reviewer_is_party: "{rev} reviews {sur} for the {inst} but is not party to it",
    sel.is_available: "{rev} is excluded from serving as reviewer",
    sel.may_serve_as_reviewer: "{rev} may not serve as reviewer",
}


def _pairing_violations(p: Pairing, roster: Roster, params: Parameters, when: date | None,
                        constraints: Sequence[PairingConstraint],
                        away: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
                        ) -> list[Violation]:
    """The pairing rules in force, from the same list the draw builds its pools from, then
    whether the State is reviewed for that instrument, then the plugins' constraints."""
    sur, reviewer = roster.get(p.under_review), roster.get(p.reviewer)
    inst = p.instrument
    context = sel.PairingContext(params, when, inst, *away)
    out = []
    for rule in sel.pairing_rules(params):
        if not rule(reviewer, sur, context):
            message = _WHAT[rule].format(rev=p.reviewer, sur=p.under_review, inst=inst.value)
            parties = [p.under_review] if rule is sel.not_self else [p.reviewer, p.under_review]
            out.append(_violation(rule, parties, message, inst))
    if inst not in sel.instruments_under_review(sur, when):
        out.append(_violation(sel.instruments_under_review, [p.under_review],
                              f"{p.under_review} is not party to the {inst.value} and is not "
                              "reviewed for it", inst))
    for c in constraints:
        if not c.permits(reviewer, sur, params):
            out.append(Violation(rule=c.id, citations=(c.citation,),
                                 parties=(p.reviewer, p.under_review), instrument=inst,
                                 message=f"{p.reviewer} may not review {p.under_review} "
                                 f"({c.id}, from {c.source})"))
    return out


def _mutual_violations(rows: list[Pairing], history: tuple[Pairing, ...]) -> list[Violation]:
    pairs = {(p.under_review, p.reviewer) for p in rows}
    earlier = {(p.under_review, p.reviewer) for p in history}
    out = []
    for sur_id, reviewer_id in sorted(pairs):
        mirror = (reviewer_id, sur_id)
        if mirror in earlier or (mirror in pairs and sur_id < reviewer_id):
            when_text = "in an earlier draw" if mirror in earlier else "in the same list"
            out.append(_violation(sel.not_mutual, [sur_id, reviewer_id],
                                  f"{reviewer_id} reviews {sur_id} and {sur_id} reviews "
                                  f"{reviewer_id} {when_text}"))
    return out


def _composition_violations(sur_id: str, by_instrument: dict[Instrument, list[str]],
                            roster: Roster, params: Parameters,
                            when: date | None) -> list[Violation]:
    sur = roster.get(sur_id)

    def groups(party_id: str) -> frozenset[RegionalGroup]:
        return sel.reviewer_groups(roster.get(party_id), params)

    home = sel.groups_under_review(sur, groups, params)
    out: list[Violation] = []
    if not home:
        return out
    composition = params.composition
    for inst in sorted(sel.instruments_under_review(sur, when), key=list(Instrument).index):
        reviewers = by_instrument.get(inst, [])
        same = [r for r in reviewers if sel.in_same_group(groups(r), home)]
        other = [r for r in reviewers if sel.in_other_group(groups(r), home)]
        if composition is Composition.SAME_AND_OTHER:
            for found, function, word in ((same, sel.in_same_group, "same-group"),
                                          (other, sel.in_other_group, "other-group")):
                if len(found) != 1:
                    out.append(_violation(function, [sur_id, *found],
                                          f"{sur_id} has {len(found)} {word} reviewers for the "
                                          f"{inst.value} ({', '.join(found) or 'none'}); "
                                          "needs 1", inst))
            continue
        if len(set(reviewers)) != 2 or len(reviewers) != 2:
            out.append(_violation(sel.not_already_reviewing, [sur_id, *reviewers],
                                  f"{sur_id} has {len(reviewers)} reviewers for the "
                                  f"{inst.value}; needs 2 different States", inst))
        if composition is Composition.SAME_REGION_LEGAL_SYSTEM and not same:
            out.append(_violation(sel.in_same_group, [sur_id, *reviewers],
                                  f"{sur_id} has no same-region reviewer for the {inst.value}",
                                  inst))
    out.extend(_check_supplementary(roster, sur_id, by_instrument, when))
    one_for_all = params.supplementary_draw is SupplementaryDraw.ONE_FOR_ALL_MISSING
    if composition is Composition.SAME_AND_OTHER and one_for_all:
        # Only under 'one for all missing' is a second supplementary reviewer on one side a
        # breach; per instrument, each missing instrument may have its own.
        convention = set(by_instrument.get(Instrument.CONVENTION, []))
        for same_side in (True, False):
            extra = sorted({
                r for rs in by_instrument.values() for r in rs
                if r not in convention and sel.in_same_group(groups(r), home) == same_side
            })
            if len(extra) > 1:
                out.append(_violation(sel.missing_instruments, [sur_id, *extra],
                                      f"{sur_id} has {len(extra)} supplementary reviewers on "
                                      f"one side ({', '.join(extra)}); one supplementary draw "
                                      "covers all the missing instruments"))
    return out


def _label_violations(sur_id: str, rows: list[Pairing], roster: Roster,
                      params: Parameters) -> list[Violation]:
    """Side and role labels, where a list gives them, must agree with the roster: a reviewer
    labelled same_group is in the State's group, a main reviewer is the one reviewing the
    Convention on that side, a supplementary one is not."""
    sur = roster.get(sur_id)

    def groups(party_id: str) -> frozenset[RegionalGroup]:
        return sel.reviewer_groups(roster.get(party_id), params)

    home = sel.groups_under_review(sur, groups, params)
    out: list[Violation] = []
    mains = {p.side: p.reviewer for p in rows
             if p.instrument is Instrument.CONVENTION and p.side is not None}
    by_side = params.composition is Composition.SAME_AND_OTHER  # else a side is only a slot
    for p in rows:
        if not by_side:
            pass
        elif p.side is Side.SAME_GROUP and home and not sel.in_same_group(groups(p.reviewer),
                                                                           home):
            out.append(_violation(sel.in_same_group, [sur_id, p.reviewer],
                                  f"{p.reviewer} is labelled same_group for {sur_id} but is in "
                                  "another regional group", p.instrument))
        elif p.side is Side.OTHER_GROUP and home and not sel.in_other_group(
                groups(p.reviewer), home):
            out.append(_violation(sel.in_other_group, [sur_id, p.reviewer],
                                  f"{p.reviewer} is labelled other_group for {sur_id} but is "
                                  "in its regional group", p.instrument))
        main = mains.get(p.side) if p.side is not None else None
        if p.role is Role.MAIN and main is not None and p.reviewer != main:
            out.append(_violation(sel.missing_instruments, [sur_id, p.reviewer],
                                  f"{p.reviewer} is labelled main for {sur_id} "
                                  f"({p.instrument.value}) but {main} reviews it for the "
                                  "Convention on that side", p.instrument))
        if p.role is Role.SUPPLEMENTARY and main is not None and p.reviewer == main:
            out.append(_violation(sel.missing_instruments, [sur_id, p.reviewer],
                                  f"{p.reviewer} is labelled supplementary for {sur_id} "
                                  f"({p.instrument.value}) but is its main reviewer",
                                  p.instrument))
    return out


def _check_supplementary(roster: Roster, sur_id: str, by_instrument: dict[Instrument, list[str]],
                         when: date | None) -> list[Violation]:
    """A reviewer of the Convention reviews every instrument of the State it is party to: a
    supplementary reviewer covers only what the main reviewer cannot."""
    sur = roster.get(sur_id)
    wanted = sel.instruments_under_review(sur, when)
    out = []
    for main in by_instrument.get(Instrument.CONVENTION, []):
        could = wanted & roster.get(main).instruments(when)
        skipped = sorted(i.value for i in could if main not in by_instrument.get(i, []))
        if skipped:
            out.append(_violation(sel.missing_instruments, [sur_id, main],
                                  f"{main} reviews {sur_id} for the Convention and is party to "
                                  f"{', '.join(skipped)} but does not review it for them"))
    return out
