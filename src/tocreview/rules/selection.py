"""The rules for selecting reviewing States (drawing of lots), one function per rule.

Each function answers one question for one candidate; the draw engine builds its pools from
them and records their ids in the trace. Paragraph numbers of the procedures and rules are
unknown for these provisions, so the citations say so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date

from tocreview.errors import PluginError, RuleConflict, describe
from tocreview.model.citation import (
    LIBRARY,
    MEETING_REPORT_2017,
    PROCEDURES_AND_RULES,
    UNCAC_TOR,
    UNODC_OVERVIEW,
    Citation,
    Status,
    assumption,
)
from tocreview.model.instrument import Instrument
from tocreview.model.party import GroupStatus, Party, PartyKind, RegionalGroup
from tocreview.rules.parameters import Composition, Parameters
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


@dataclass(frozen=True)
class PairingContext:
    """What the pairing rules read besides the reviewer and the State under review: the
    parameters, the date, the instrument (the Convention for a main reviewer's pool), and the
    States excluded from serving or deferring in this draw."""

    parameters: Parameters
    as_of: date | None
    instrument: Instrument = Instrument.CONVENTION
    excluded: frozenset[str] = frozenset()
    deferring: frozenset[str] = frozenset()


PairingRule = Callable[[Party, Party, PairingContext], bool]
"""A rule on one pairing: (reviewer, State under review, context) -> allowed."""


@dataclass(frozen=True)
class PairingConstraint:
    """An extra hard constraint on who may review whom, registered by a plugin (the built-in
    options among them) through the ``register_constraints`` hook.

    ``allows(reviewing_state, state_under_review, parameters)`` is True when the pairing is
    allowed. Constraints only remove candidates, so combining several never depends on the
    order they come in. A constraint is in force where a scenario's variant names it, or,
    if it has ``in_force``, whenever ``in_force(parameters)`` is true (how an option that a
    parameter switches on registers: the built-in opt-out clause, for one).
    """

    id: str
    citation: Citation
    allows: Callable[[Party, Party, Parameters], bool]
    source: str = "built-in"
    in_force: Callable[[Parameters], bool] | None = None
    bars: Callable[[Party, Parameters], Iterable[str] | None] | None = None
    """Optional: for a State under review, the ids of every reviewer ``allows`` refuses, when
    they are few and can be listed without asking about each pairing (None for a State where
    they cannot). Building the pools then leaves them out of the list shared by class, so
    the draw stays linear in the number of parties; without it each place's pool is built by
    asking ``allows`` about every candidate. ``check`` always asks ``allows``, and the two
    must agree (tests/test_pools.py holds the built-in ones to it)."""

    def permits(self, reviewer: Party, state_under_review: Party,
                parameters: Parameters) -> bool:
        """``allows``, held to its contract: it must answer True or False (a string such as
        "no" is not an answer), and if it raises, the error names the constraint and plugin."""
        try:
            answer = self.allows(reviewer, state_under_review, parameters)
        except (KeyboardInterrupt, PluginError):
            raise
        except BaseException as exc:
            raise PluginError(self.source, f"constraint {self.id}", describe(exc)) from None
        if not isinstance(answer, bool):
            raise PluginError(self.source, f"constraint {self.id}",
                              f"returned {answer!r:.40}, not True or False")
        return answer

    def barred(self, state_under_review: Party, parameters: Parameters
               ) -> frozenset[str] | None:
        """``bars``, held to its contract (party ids, or None); None also when the
        constraint has no ``bars``: then every pairing is asked about."""
        if self.bars is None:
            return None
        try:
            answer = self.bars(state_under_review, parameters)
            if answer is None:
                return None
            listed = frozenset(answer)
        except (KeyboardInterrupt, PluginError):
            raise
        except BaseException as exc:
            raise PluginError(self.source, f"constraint {self.id} (bars)",
                              describe(exc)) from None
        if not all(isinstance(i, str) for i in listed):
            raise PluginError(self.source, f"constraint {self.id} (bars)",
                              "returned something other than party ids")
        return listed


@rule(
    "untoc.selection.party_to_instrument", RuleKind.HARD_CONSTRAINT,
    "A State under review may not be reviewed for an instrument by a State not party to it.",
    _constraint("b", "Reviewers are party to the instrument as of the draw date."),
)
def reviewer_is_party(reviewer: Party, state_under_review: Party,
                      context: PairingContext) -> bool:
    return reviewer.is_party_to(context.instrument, context.as_of) is True


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
def not_self(reviewer: Party, state_under_review: Party, context: PairingContext) -> bool:
    return reviewer.id != state_under_review.id


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
    "A party counts in its UN regional group (an observer of a group only where the parameters "
    "say so); a party in no group counts in the group the parameters map it to.",
    Citation(document="reference data on UN regional groups", status=Status.SECONDARY),
    parameters=("no_group_mapping", "dual_group_counts_as_same", "observers_in_group",
                "reio_groups_from_members"),
)
def counting_group(party: Party, parameters: Parameters) -> RegionalGroup | None:
    mapped = parameters.no_group_mapping.get(party.id)
    observer = party.group_status is GroupStatus.OBSERVER
    if party.regional_group is not None and not (observer and not parameters.observers_in_group):
        if mapped is not None and mapped is not party.regional_group:
            # Two sources answer the same question differently: never pick one silently.
            raise RuleConflict(
                f"{party.id} is in the {party.regional_group.value} group in the roster but "
                f"no_group_mapping puts it in {mapped.value}; the mapping is only for parties "
                "in no group: change the roster (Roster.with_regional_groups) or drop the entry"
            )
        return party.regional_group
    return mapped


def reviewer_groups(party: Party, parameters: Parameters) -> frozenset[RegionalGroup]:
    """The groups a party counts in as reviewer (its group; with the dual-group switch, also
    the groups it participates in)."""
    counted = counting_group(party, parameters)
    if counted is None:
        return frozenset()
    extra = party.also_participates_in if parameters.dual_group_counts_as_same else ()
    return frozenset([counted, *extra])


def groups_under_review(party: Party, member_groups: Callable[[str], frozenset[RegionalGroup]],
                        parameters: Parameters) -> frozenset[RegionalGroup]:
    """The groups a State under review counts in; a reviewed REIO may count in its members'."""
    if party.members and parameters.reio_groups_from_members:
        return frozenset().union(*(member_groups(m) for m in party.members))
    return reviewer_groups(party, parameters)


@rule(
    "untoc.selection.same_group_reviewer", RuleKind.HARD_CONSTRAINT,
    "For each instrument, one reviewing State is from the regional group of the State under "
    "review.",
    _OVERVIEW,
    parameters=("composition",),
)
def in_same_group(
    reviewer_groups: Set[RegionalGroup], state_under_review_groups: Set[RegionalGroup]
) -> bool:
    return bool(reviewer_groups & state_under_review_groups)


@rule(
    "untoc.selection.other_group_reviewer", RuleKind.HARD_CONSTRAINT,
    "For each instrument, the other reviewing State is from another regional group.",
    _OVERVIEW,
    parameters=("composition",),
)
def in_other_group(
    reviewer_groups: Set[RegionalGroup], state_under_review_groups: Set[RegionalGroup]
) -> bool:
    return not reviewer_groups & state_under_review_groups


@rule(
    "variant.selection.any_reviewer", RuleKind.HARD_CONSTRAINT,
    "Under the UNCAC composition the second reviewing State, and under 'any two States' both, "
    "may come from any regional group.",
    Citation(document=UNCAC_TOR, status=Status.SECONDARY, provision="para. 19",
             note="UNCAC: one of the two from the same region; the other is not constrained"),
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="'any two States' is a comparison point, not proposed in the 2017 meeting"),
    parameters=("composition",),
)
def any_group(
    reviewer_groups: Set[RegionalGroup], state_under_review_groups: Set[RegionalGroup]
) -> bool:
    return True


@rule(
    "variant.selection.similar_legal_system", RuleKind.PREFERENCE,
    "Under the UNCAC composition the same-region reviewer should, if possible, have a similar "
    "legal system: where the parameters give legal systems and some same-region candidates "
    "share the State's, the pool is narrowed to them.",
    Citation(document=UNCAC_TOR, status=Status.SECONDARY, provision="para. 19",
             note="paragraph number from a numbered UN sentence matched to the ToR"),
    parameters=("legal_systems",),
)
def similar_legal_system(
    candidates: list[str], state_under_review: str, legal_systems: Mapping[str, str]
) -> list[str]:
    system = legal_systems.get(state_under_review)
    if system is None:
        return candidates
    similar = [c for c in candidates if legal_systems.get(c) == system]
    return similar or candidates


@rule(
    "untoc.selection.two_distinct_reviewers", RuleKind.HARD_CONSTRAINT,
    "The two reviewing States of a State under review are two different States.",
    _OVERVIEW,
    parameters=("reviewers_per_state",),
)
def not_already_reviewing(
    reviewing_state: str, state_under_review: str, pairs: Set[tuple[str, str]]
) -> bool:
    return (state_under_review, reviewing_state) not in pairs


@rule(
    "variant.selection.reio_members_excluded", RuleKind.HARD_CONSTRAINT,
    "Where a regional economic integration organization is reviewed and the parameters say "
    "so, its own member States do not review it.",
    assumption("a modelling of an open question: the 2017 meeting report (paras. 19-20) only "
               "says the REIO questions still needed to be addressed"),
    parameters=("reio_members_excluded", "reio_groups_from_members"),
)
def not_own_member(reviewer: Party, state_under_review: Party,
                   context: PairingContext) -> bool:
    excluded = context.parameters.reio_members_excluded
    return not (excluded and reviewer.id in state_under_review.members)


@rule(
    "variant.selection.opted_out", RuleKind.HARD_CONSTRAINT,
    "Under a general opt-out clause, a State that opted out is neither reviewed nor a reviewer.",
    Citation(document=MEETING_REPORT_2017, status=Status.PROPOSAL, provision="para. 17"),
    parameters=("opt_out_clause", "opted_out"),
)
def not_opted_out(reviewer: Party, state_under_review: Party,
                  context: PairingContext) -> bool:
    parameters = context.parameters
    return not (opted_out(reviewer.id, parameters) or opted_out(state_under_review.id,
                                                                 parameters))


def opted_out(party_id: str, parameters: Parameters) -> bool:
    """Whether a State opted out: the one place the opt-out clause is given its meaning (the
    pairing rule above, who is reviewed, and coverage all ask this)."""
    return parameters.opt_out_clause and party_id in parameters.opted_out


def side_rule(composition: Composition, same_side: bool) -> Callable[
        [Set[RegionalGroup], Set[RegionalGroup]], bool]:
    """The rule function that bounds one place's pool under a composition."""
    if composition is Composition.SAME_AND_OTHER:
        return in_same_group if same_side else in_other_group
    if composition is Composition.SAME_REGION_LEGAL_SYSTEM:
        return in_same_group if same_side else any_group
    return any_group


@rule(
    "untoc.selection.supplementary_draw", RuleKind.DERIVATION,
    "If a drawn reviewer is not party to every instrument the State under review is party to, "
    "an additional reviewer is drawn, for the missing instruments only.",
    _constraint("b", ""),
    parameters=("supplementary_draw",),
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
    parameters=("max_reviewers", "cap_waived_by"),
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
    parameters=("max_reviews_per_reviewer",),
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
    parameters=("may_defer_reviewing_in_own_year",),
)
def is_available(reviewer: Party, state_under_review: Party, context: PairingContext) -> bool:
    if reviewer.id in context.excluded:
        return False
    return not (context.parameters.may_defer_reviewing_in_own_year
                and reviewer.id in context.deferring)


@rule(
    "untoc.selection.reio_as_reviewer", RuleKind.HARD_CONSTRAINT,
    "A regional economic integration organization serves as reviewer only where the "
    "parameters say so.",
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="no source on the European Union as reviewer (2017 meeting report paras. 19-20 "
             "raise the question)"),
    parameters=("reio_may_review",),
)
def may_serve_as_reviewer(reviewer: Party, state_under_review: Party,
                          context: PairingContext) -> bool:
    return reviewer.kind is PartyKind.STATE or context.parameters.reio_may_review


@rule(
    "untoc.selection.redraw_limit", RuleKind.HARD_CONSTRAINT,
    "The State under review may ask for a drawn reviewer to be replaced a limited number of "
    "times; beyond that only in exceptional circumstances.",
    Citation(document=UNCAC_TOR, status=Status.UNCONFIRMED,
             note="the UNCAC rule; believed to have been carried into the UNTOC procedures"),
    parameters=("redraw_limit", "exceptional_redraws"),
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


def pairing_rules(parameters: Parameters) -> tuple[PairingRule, ...]:
    """The rules on one pairing, in one list that building the pools, ``check`` and the trace
    all read. The options (opt-out, REIO members) are not here: they are constraints that
    their plugins register through the same hook a third party uses (:data:`OPTIONS`)."""
    del parameters  # every adopted pairing rule is always in force
    return (reviewer_is_party, not_self, is_available, may_serve_as_reviewer)


REVIEWER_ONLY: frozenset[PairingRule] = frozenset(
    {reviewer_is_party, is_available, may_serve_as_reviewer})
"""The pairing rules that look at the reviewer and the context alone (not at the State under
review): building the pools applies them once per reviewer instead of once per pairing."""


def _as_constraint(function: PairingRule, switch: Callable[[Parameters], bool],
                   bars: Callable[[Party, Parameters], Iterable[str] | None]
                   ) -> PairingConstraint:
    record = function.rule  # type: ignore[attr-defined]
    return PairingConstraint(
        id=record.id, citation=record.citations[0], source="built-in",
        allows=lambda r, s, p: function(r, s, PairingContext(p, None)),
        in_force=switch, bars=bars)


def _opted_out_bars(state_under_review: Party, parameters: Parameters) -> Iterable[str] | None:
    """Who not_opted_out refuses: every State that opted out (everyone, if the State under
    review did: then it is asked pairing by pairing)."""
    if opted_out(state_under_review.id, parameters):
        return None
    return [i for i in parameters.opted_out if opted_out(i, parameters)]


def _own_members_bars(state_under_review: Party, parameters: Parameters) -> Iterable[str]:
    """Who not_own_member refuses: the members of the organization under review."""
    return state_under_review.members if parameters.reio_members_excluded else ()


OPT_OUT = _as_constraint(not_opted_out, lambda p: p.opt_out_clause, _opted_out_bars)
REIO_MEMBERS_EXCLUDED = _as_constraint(not_own_member, lambda p: p.reio_members_excluded,
                                       _own_members_bars)
OPTIONS: tuple[PairingConstraint, ...] = (OPT_OUT, REIO_MEMBERS_EXCLUDED)
"""The selection options that are pairing constraints, as their plugins register them."""


def options_in_force(parameters: Parameters) -> tuple[PairingConstraint, ...]:
    """The built-in option constraints the parameters switch on: what the engine applies
    when it is called without a mechanism's list of constraints."""
    return tuple(c for c in OPTIONS if c.in_force is not None and c.in_force(parameters))
