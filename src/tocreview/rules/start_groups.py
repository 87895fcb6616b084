"""Rules for dividing the States parties into start groups."""

from __future__ import annotations

from datetime import date

from tocreview.model.citation import LIBRARY, UNODC_OVERVIEW, Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import Party, PartyKind
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import RuleKind, rule
from tocreview.rules.selection import opted_out


@rule(
    "untoc.start_groups.who_is_reviewed", RuleKind.DERIVATION,
    "Every State party to the Convention is reviewed; a regional economic integration "
    "organization only where the parameters say so.",
    Citation(document=UNODC_OVERVIEW, status=Status.SECONDARY),
    Citation(document="UNODC news, third group of country reviews (1 Nov 2022)",
             status=Status.INFERRED, note="189 reviews for 190 parties: the EU not reviewed"),
    parameters=("reio_under_review", "opt_out_clause", "opted_out"),
)
def is_reviewed(party: Party, parameters: Parameters, as_of: date | None) -> bool:
    if party.is_party_to(Instrument.CONVENTION, as_of) is not True:
        return False
    if opted_out(party.id, parameters):
        return False
    return party.kind is PartyKind.STATE or parameters.reio_under_review


@rule(
    "untoc.start_groups.by_lot", RuleKind.DERIVATION,
    "The States parties are divided by drawing of lots into three groups, which start their "
    "reviews in consecutive years; the groups are equal in size to within one.",
    Citation(document=UNODC_OVERVIEW, status=Status.SECONDARY),
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="sizes equal to within one: no source gives the sizes of the UNTOC groups"),
    parameters=("start_groups",),
)
def group_sizes(total: int, groups: int) -> list[int]:
    """Sizes as equal as possible: the first ``total % groups`` groups get one more."""
    return [total // groups + (1 if g < total % groups else 0) for g in range(groups)]


@rule(
    "untoc.start_groups.regional_balance", RuleKind.DERIVATION,
    "Each start group gets its proportional share of every regional group; the remainders are "
    "placed by lot in the groups that are smallest so far.",
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="regional proportionality of the UNTOC groups is not confirmed; UNCAC's yearly "
             "quotas are proportional to the regional groups (res. 3/1; pairings page)"),
)
def regional_share(members: int, groups: int) -> tuple[int, int]:
    """(seats every group gets, remainder to place by lot)."""
    return members // groups, members % groups
