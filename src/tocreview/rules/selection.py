"""The rules for selecting reviewing States (drawing of lots), one function per rule.

Each function answers one question for one candidate; the draw engine builds its pools from
them and records their ids in the trace. Paragraph numbers of the procedures and rules are
unknown for these provisions, so the citations say so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Collection, Set
from datetime import date

from tocreview.model.citation import (
    LIBRARY,
    PROCEDURES_AND_RULES,
    UNCAC_TOR,
    UNODC_OVERVIEW,
    Citation,
    Status,
)
from tocreview.model.instrument import Instrument
from tocreview.model.party import Party, PartyKind, RegionalGroup
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import RuleKind, rule


def _constraint(letter: str, note: str) -> Citation:
    return Citation(
        document=PROCEDURES_AND_RULES, status=Status.SECONDARY,
        provision=None,
        note=f"constraint ({letter}) on the drawing of lots, as quoted by the team that automated "
        f"the draw; paragraph number unknown. {note}",
    )


_OVERVIEW = Citation(
    document=UNODC_OVERVIEW, status=Status.SECONDARY,
    note="each State party is reviewed by two States parties, one from its own regional group "
    "and one from another, selected by drawing of lots",
)


@rule(
    "untoc.selection.party_to_instrument", RuleKind.HARD_CONSTRAINT,
    "A State under review may not be reviewed for an instrument by a State not party to it.",
    _constraint("b", "Reviewers are party to the instrument as of the draw date."),
)
def reviewer_is_party(reviewer: Party, instrument: Instrument, as_of: date | None) -> bool:
    return reviewer.is_party_to(instrument, as_of) is True


@rule(
    "untoc.selection.reviewed_for_own_instruments", RuleKind.DERIVATION,
    "Each State is reviewed for the Convention and for each Protocol it is party to.",
    Citation(document=UNODC_OVERVIEW, status=Status.SECONDARY),
)
def instruments_under_review(
    state_under_review: Party, as_of: date | None
) -> frozenset[Instrument]:
    return state_under_review.instruments(as_of)


@rule(
    "untoc.selection.no_self_review", RuleKind.HARD_CONSTRAINT,
    "A State does not review itself.",
    Citation(document=LIBRARY, status=Status.INFERRED,
             note="implied by 'reviewed by two other States parties'"),
)
def not_self(reviewing_state: str, state_under_review: str) -> bool:
    return reviewing_state != state_under_review


@rule(
    "untoc.selection.no_mutual_review", RuleKind.HARD_CONSTRAINT,
    "States shall not undertake mutual reviews: if A reviews B, B may not review A, counting "
    "the pairs of earlier draws.",
    _constraint("a", ""),
)
def not_mutual(
    reviewing_state: str, state_under_review: str, pairs: Set[tuple[str, str]]
) -> bool:
    """``pairs`` holds (state_under_review, reviewing_state) of this draw and earlier ones."""
    return (reviewing_state, state_under_review) not in pairs


@rule(
    "untoc.selection.regional_group_of", RuleKind.DERIVATION,
    "A party counts in its UN regional group; a party in no group counts in the group the "
    "parameters map it to.",
    Citation(document="reference data on UN regional groups", status=Status.SECONDARY),
)
def counting_group(party: Party, parameters: Parameters) -> RegionalGroup | None:
    if party.regional_group is not None:
        return party.regional_group
    return parameters.no_group_mapping.get(party.id)


@rule(
    "untoc.selection.same_group_reviewer", RuleKind.HARD_CONSTRAINT,
    "For each instrument, one reviewing State is from the regional group of the State under "
    "review.",
    _OVERVIEW,
)
def in_same_group(
    reviewer_groups: Collection[RegionalGroup], state_under_review_group: RegionalGroup
) -> bool:
    return state_under_review_group in reviewer_groups


@rule(
    "untoc.selection.other_group_reviewer", RuleKind.HARD_CONSTRAINT,
    "For each instrument, the other reviewing State is from another regional group.",
    _OVERVIEW,
)
def in_other_group(
    reviewer_groups: Collection[RegionalGroup], state_under_review_group: RegionalGroup
) -> bool:
    return state_under_review_group not in reviewer_groups


@rule(
    "untoc.selection.supplementary_draw", RuleKind.DERIVATION,
    "If a drawn reviewer is not party to every instrument the State under review is party to, "
    "an additional reviewer is drawn, for the missing instruments only.",
    _constraint("b", ""),
)
def missing_instruments(
    under_review_for: frozenset[Instrument], reviewer_instruments: frozenset[Instrument]
) -> frozenset[Instrument]:
    return under_review_for - reviewer_instruments


@rule(
    "untoc.selection.max_reviewers", RuleKind.HARD_CONSTRAINT,
    "At most four reviewing States across all instruments, unless the State under review "
    "decides otherwise.",
    _constraint("c", ""),
)
def within_reviewer_cap(distinct_reviewers: int, state_under_review: str,
                        parameters: Parameters) -> bool:
    cap = parameters.max_reviewers
    waived = state_under_review in parameters.cap_waived_by
    return cap is None or waived or distinct_reviewers <= cap


@rule(
    "untoc.selection.reviews_per_reviewer", RuleKind.HARD_CONSTRAINT,
    "A State reviews at most the set number of States in one draw (no cap by default).",
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="optional; UNCAC practice excluded States that had done two reviews"),
)
def within_reviewer_load(reviews_so_far: int, parameters: Parameters) -> bool:
    cap = parameters.max_reviews_per_reviewer
    return cap is None or reviews_so_far < cap


@rule(
    "untoc.selection.available", RuleKind.HARD_CONSTRAINT,
    "A State excluded from the draw, or deferring its reviewer role in the year it is itself "
    "reviewed (where the parameters allow it), is not drawn as reviewer.",
    Citation(document=UNCAC_TOR, status=Status.UNCONFIRMED,
             note="deferral: UNCAC ToR para. 20 or 21 (number unconfirmed); no UNTOC rule seen"),
)
def is_available(reviewing_state: str, excluded: Set[str], deferring: Set[str],
                 parameters: Parameters) -> bool:
    if reviewing_state in excluded:
        return False
    return not (parameters.may_defer_reviewing_in_own_year and reviewing_state in deferring)


@rule(
    "untoc.selection.reio_as_reviewer", RuleKind.HARD_CONSTRAINT,
    "A regional economic integration organization serves as reviewer only where the "
    "parameters say so.",
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="no source on the European Union as reviewer (2017 meeting report paras. 19-20 "
             "raise the question)"),
)
def may_serve_as_reviewer(party: Party, parameters: Parameters) -> bool:
    return party.kind is PartyKind.STATE or parameters.reio_may_review


@rule(
    "untoc.selection.redraw_limit", RuleKind.HARD_CONSTRAINT,
    "The State under review may ask for a drawn reviewer to be replaced a limited number of "
    "times; beyond that only in exceptional circumstances.",
    Citation(document=UNCAC_TOR, status=Status.UNCONFIRMED,
             note="the UNCAC rule; believed to have been carried into the UNTOC procedures"),
)
def redraw_allowed(requests_so_far: int, exceptional: bool, parameters: Parameters) -> bool:
    limit = parameters.redraw_limit
    if limit is None or requests_so_far < limit:
        return True
    return exceptional and parameters.exceptional_redraws


@rule(
    "untoc.draw.order_by_lot", RuleKind.DERIVATION,
    "In the sequential method the States under review are taken in an order drawn by lot, and "
    "each reviewer is drawn by lot from the pool the other rules leave.",
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="the adopted draw was automated as a random choice among valid assignments "
             "(answer set programming); the sequential procedure is this library's model of a "
             "draw by hand. The 'uniform' method follows the automated draw"),
)
def order_by_lot(states_under_review: list[str]) -> list[str]:
    """The order is drawn by the engine; this rule only fixes that the order is by lot."""
    return sorted(states_under_review)
