"""Built-in option plugins for the selection of reviewers: composition, treatment of a
regional economic integration organization, opt-out; and the built-in draw metric."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from tocreview.model.citation import (
    LIBRARY,
    UNCAC_TOR,
    Citation,
    Status,
    assumption,
    proposal,
)
from tocreview.model.result import Draw
from tocreview.plugins.hookspecs import hookimpl
from tocreview.plugins.model import Effect, Metric, Variant
from tocreview.rules import selection as sel
from tocreview.rules.parameters import PARAMETER_CITATIONS, Composition, Parameters
from tocreview.rules.selection import PairingConstraint


class CompositionPlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="same-and-other-group", option="composition",
                         title="One reviewer from the same regional group, one from another",
                         citation=PARAMETER_CITATIONS["composition"],
                         parameters={"composition": Composition.SAME_AND_OTHER}))
        register(Variant(key="uncac-composition", option="composition",
                         title="One from the same region, similar legal system if possible; "
                         "the other from anywhere (UNCAC)",
                         citation=Citation(document=UNCAC_TOR, status=Status.SECONDARY,
                                           provision="para. 19"),
                         parameters={"composition": Composition.SAME_REGION_LEGAL_SYSTEM}))
        register(Variant(key="any-two-states", option="composition",
                         title="Any two States parties",
                         citation=Citation(document=LIBRARY, status=Status.ASSUMPTION,
                                           note="a comparison point, not proposed in 2017"),
                         parameters={"composition": Composition.ANY_TWO}))

    @hookimpl
    def policy_effects(self, parameters: Parameters,
                       in_force: Mapping[str, Citation]) -> list[Effect]:
        text = {
            Composition.SAME_AND_OTHER: "one from the same regional group, one from another",
            Composition.SAME_REGION_LEGAL_SYSTEM: "one from the same regional group (similar "
            "legal system preferred where known), the other from any group",
            Composition.ANY_TWO: "any two States parties",
        }[parameters.composition]
        return [Effect(option="composition", item="reviewing States per instrument",
                       value=text, citation=in_force["composition"])]


_REIO_OPEN = assumption(
    "a modelling of an open question: the 2017 meeting report (paras. 19-20) only says that the "
    "REIO questions (regional group membership, geographical scope) still needed to be addressed"
)


class ReioPlugin:
    @hookimpl
    def register_constraints(self, register: Callable[[PairingConstraint], None]) -> None:
        register(sel.REIO_MEMBERS_EXCLUDED)

    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="reio-not-reviewed", option="reio_review",
                         title="The European Union is not reviewed",
                         citation=PARAMETER_CITATIONS["reio_under_review"],
                         parameters={"reio_under_review": False}))
        register(Variant(key="reio-reviewed", option="reio_review",
                         title="The European Union is reviewed, with reviewers from its "
                         "members' regional groups",
                         citation=_REIO_OPEN,
                         parameters={"reio_under_review": True,
                                     "reio_groups_from_members": True}))
        register(Variant(key="reio-reviewed-not-by-members", option="reio_review",
                         title="The European Union is reviewed; its member States may not "
                         "review it", citation=_REIO_OPEN,
                         parameters={"reio_under_review": True, "reio_groups_from_members": True,
                                     "reio_members_excluded": True}))
        register(Variant(key="reio-may-review", option="reio_reviewer",
                         title="The European Union may serve as reviewer",
                         citation=_REIO_OPEN,
                         parameters={"reio_may_review": True}))

    @hookimpl
    def policy_effects(self, parameters: Parameters,
                       in_force: Mapping[str, Citation]) -> list[Effect]:
        reviewed = "yes" if parameters.reio_under_review else "no"
        groups = ("the regional groups of its member States" if parameters.reio_groups_from_members
                  else "none (needs no_group_mapping to be reviewed)")
        return [
            Effect(option="reio", item="reviewed", value=reviewed,
                   citation=in_force["reio_under_review"]),
            Effect(option="reio", item="counts in", value=groups,
                   citation=in_force["reio_groups_from_members"]),
            Effect(option="reio", item="its member States may review it",
                   value="no" if parameters.reio_members_excluded else "yes",
                   citation=in_force["reio_members_excluded"]),
            Effect(option="reio", item="may serve as reviewer",
                   value="yes" if parameters.reio_may_review else "no",
                   citation=in_force["reio_may_review"]),
        ]


class OptOutPlugin:
    @hookimpl
    def register_constraints(self, register: Callable[[PairingConstraint], None]) -> None:
        register(sel.OPT_OUT)

    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="opt-out-clause", option="opt_out",
                         title="A general clause lets a State opt out of the Mechanism",
                         citation=proposal("para. 17"), parameters={"opt_out_clause": True},
                         principles_traded=("inclusive", "non-selective")))

    @hookimpl
    def policy_effects(self, parameters: Parameters,
                       in_force: Mapping[str, Citation]) -> list[Effect]:
        cite = in_force["opt_out_clause"]
        if not parameters.opt_out_clause:
            return [Effect(option="opt_out", item="clause", value="none", citation=cite)]
        out = ", ".join(sorted(parameters.opted_out)) or "none so far"
        return [
            Effect(option="opt_out", item="clause", value="a State may opt out", citation=cite),
            Effect(option="opt_out", item="States opted out (not reviewed, not reviewing)",
                   value=out, citation=in_force["opted_out"]),
            Effect(option="opt_out", item="principle traded",
                   value="inclusive: not every State party is reviewed", citation=cite),
        ]


def _reviews_per_reviewer(draw: Draw) -> dict[str, int]:
    """How many reviewers review 1, 2, 3... States: a distribution, not a ranking."""
    load = Counter(r for _, r in {(p.under_review, p.reviewer) for p in draw.pairings})
    spread = Counter(load.values())
    return {f"reviewers with {k} review(s)": v for k, v in sorted(spread.items())}


class MetricsPlugin:
    @hookimpl
    def register_metrics(self, register: Callable[[Metric], None]) -> None:
        register(Metric(name="reviews-per-reviewer",
                        description="how many reviewing States review 1, 2, 3... States",
                        compute=_reviews_per_reviewer))


PLUGINS: list[tuple[str, object]] = [
    ("composition", CompositionPlugin()),
    ("reio", ReioPlugin()),
    ("opt_out", OptOutPlugin()),
    ("metrics", MetricsPlugin()),
]
