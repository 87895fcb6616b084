"""Checking pairings made elsewhere (e.g. a published list) against the rules."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from tocreview.draw.model import Pairing
from tocreview.model.citation import Citation
from tocreview.model.instrument import Instrument
from tocreview.model.party import Party, RegionalGroup
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import rule_of


class Violation(BaseModel):
    """One breach of one rule, with the rule's id and citation and the parties involved."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    citation: Citation
    parties: tuple[str, ...]
    instrument: Instrument | None = None
    message: str


def _violation(function: object, parties: Iterable[str], message: str,
               instrument: Instrument | None = None) -> Violation:
    record = rule_of(function)  # type: ignore[arg-type]
    return Violation(rule=record.id, citation=record.citations[0], parties=tuple(parties),
                     instrument=instrument, message=message)


def check(
    pairings: Iterable[Pairing],
    roster: Roster,
    parameters: Parameters | None = None,
    *,
    history: Iterable[Pairing] = (),
    as_of: date | None = None,
) -> list[Violation]:
    """Every violation of the selection rules in ``pairings`` (an empty list if none).

    ``history`` holds earlier draws' pairings, which count for the no-mutual-review rule.
    Party ids not in the roster raise :class:`~tocreview.errors.UnknownPartyError`.
    """
    params = parameters or Parameters()
    when = roster.as_of if as_of is None else as_of
    rows = list(dict.fromkeys(pairings))  # drop exact duplicates, keep order
    for p in (*rows, *history):
        roster.get(p.under_review)
        roster.get(p.reviewer)
    out: list[Violation] = []

    def group_of(party: Party) -> frozenset[RegionalGroup]:
        g = sel.counting_group(party, params)
        extra = party.also_participates_in if params.dual_group_counts_as_same else ()
        return frozenset([g, *extra]) if g is not None else frozenset()

    for p in rows:
        sur, reviewer = roster.get(p.under_review), roster.get(p.reviewer)
        if not sel.not_self(p.reviewer, p.under_review):
            out.append(_violation(sel.not_self, [p.under_review], f"{p.under_review} reviews "
                                  f"itself for the {p.instrument.value}", p.instrument))
        if not sel.reviewer_is_party(reviewer, p.instrument, when):
            out.append(_violation(sel.reviewer_is_party, [p.reviewer, p.under_review],
                                  f"{p.reviewer} reviews {p.under_review} for the "
                                  f"{p.instrument.value} but is not party to it", p.instrument))
        if p.instrument not in sel.instruments_under_review(sur, when):
            out.append(_violation(sel.instruments_under_review, [p.under_review],
                                  f"{p.under_review} is not party to the {p.instrument.value} "
                                  "and is not reviewed for it", p.instrument))
        if not sel.may_serve_as_reviewer(reviewer, params):
            out.append(_violation(sel.may_serve_as_reviewer, [p.reviewer],
                                  f"{p.reviewer} may not serve as reviewer"))

    pairs = {(p.under_review, p.reviewer) for p in rows}
    earlier = {(p.under_review, p.reviewer) for p in history}
    for sur_id, reviewer_id in sorted(pairs):
        mirror = (reviewer_id, sur_id)
        if mirror in earlier or (mirror in pairs and sur_id < reviewer_id):
            when_text = "in an earlier draw" if mirror in earlier else "in the same list"
            out.append(_violation(sel.not_mutual, [sur_id, reviewer_id],
                                  f"{reviewer_id} reviews {sur_id} and {sur_id} reviews "
                                  f"{reviewer_id} {when_text}"))

    by_sur: dict[str, dict[Instrument, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in rows:
        by_sur[p.under_review][p.instrument].append(p.reviewer)
    for sur_id in sorted(by_sur):
        sur = roster.get(sur_id)
        home = sel.counting_group(sur, params)
        for inst in sorted(sel.instruments_under_review(sur, when), key=list(Instrument).index):
            reviewers = by_sur[sur_id].get(inst, [])
            if home is None:
                continue
            same = [r for r in reviewers if sel.in_same_group(group_of(roster.get(r)), home)]
            other = [r for r in reviewers if sel.in_other_group(group_of(roster.get(r)), home)]
            if len(same) != 1:
                out.append(_violation(sel.in_same_group, [sur_id, *same],
                                      f"{sur_id} has {len(same)} same-group reviewers for the "
                                      f"{inst.value} ({', '.join(same) or 'none'}); needs 1", inst))
            if len(other) != 1:
                out.append(_violation(sel.in_other_group, [sur_id, *other],
                                      f"{sur_id} has {len(other)} other-group reviewers for the "
                                      f"{inst.value} ({', '.join(other) or 'none'}); needs 1",
                                      inst))
        _check_supplementary(roster, sur_id, by_sur[sur_id], when, out)
        if home is not None:
            convention = set(by_sur[sur_id].get(Instrument.CONVENTION, []))
            for same_side in (True, False):
                extra = sorted({
                    r for rs in by_sur[sur_id].values() for r in rs
                    if r not in convention
                    and sel.in_same_group(group_of(roster.get(r)), home) == same_side
                })
                if len(extra) > 1:
                    out.append(_violation(sel.missing_instruments, [sur_id, *extra],
                                          f"{sur_id} has {len(extra)} supplementary reviewers "
                                          f"on one side ({', '.join(extra)}); one supplementary "
                                          "draw covers all the missing instruments"))
        distinct = {r for rs in by_sur[sur_id].values() for r in rs}
        if not sel.within_reviewer_cap(len(distinct), sur_id, params):
            out.append(_violation(sel.within_reviewer_cap, [sur_id, *sorted(distinct)],
                                  f"{sur_id} has {len(distinct)} reviewing States; the cap is "
                                  f"{params.max_reviewers}"))
    load = Counter(r for _, r in pairs)
    for reviewer_id, count in sorted(load.items()):
        if not sel.within_reviewer_load(count - 1, params):
            out.append(_violation(sel.within_reviewer_load, [reviewer_id],
                                  f"{reviewer_id} reviews {count} States; the cap is "
                                  f"{params.max_reviews_per_reviewer}"))
    return out


def _check_supplementary(roster: Roster, sur_id: str, by_instrument: dict[Instrument, list[str]],
                         when: date | None, out: list[Violation]) -> None:
    """A reviewer of the Convention reviews every instrument of the State it is party to: a
    supplementary reviewer covers only what the main reviewer cannot."""
    sur = roster.get(sur_id)
    wanted = sel.instruments_under_review(sur, when)
    for main in by_instrument.get(Instrument.CONVENTION, []):
        could = wanted & roster.get(main).instruments(when)
        skipped = sorted(i.value for i in could if main not in by_instrument.get(i, []))
        if skipped:
            out.append(_violation(sel.missing_instruments, [sur_id, main],
                                  f"{main} reviews {sur_id} for the Convention and is party to "
                                  f"{', '.join(skipped)} but does not review it for them"))
