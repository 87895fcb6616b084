"""Built-in option plugins for the conduct of a review: the list of governmental experts and
the sources of information for the questionnaire (2017 meeting report, para. 13). Each
registers its variants and says what the option in force changes, in the costs and the
timeline where the model counts it, and says so where it does not."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tocreview.model.citation import Citation, assumption
from tocreview.plugins.hookspecs import hookimpl
from tocreview.plugins.model import Effect, RateChange, Variant
from tocreview.rules.policy import Policy

_QUESTION = "the 2017 meeting report (para. 13) raises this as a question for further " \
    "consideration"
EXPERT_LIST_HOURS = 120.0
"""Secretariat hours a year keeping a list of experts compiled before the draw (assumed)."""
DIVERSE_SOURCES_HOURS = 40.0
"""Secretariat hours per phase gathering other sources for the questionnaire (assumed)."""
HOURS_CITATION = assumption("secretariat hours for the list of experts (120 a year) and for "
                            "gathering other sources (40 per phase) are this library's orders "
                            "of magnitude; no source gives them")


class ExpertsPlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="experts-include-academia", option="experts_field",
                         title="The list of governmental experts may include academia",
                         citation=assumption(_QUESTION),
                         policy={"experts_include_academia": True}))
        register(Variant(key="experts-listed-before-draw", option="experts_timing",
                         title="The list of experts is compiled before the drawing of lots",
                         citation=assumption(_QUESTION),
                         policy={"experts_listed_before_draw": True}))

    @hookimpl
    def policy_effects(self, policy: Policy, in_force: Mapping[str, Citation]) -> list[Effect]:
        before = policy.experts_listed_before_draw
        return [
            Effect(option="experts", item="experts from other fields (e.g. academia)",
                   value=("allowed (changes nothing modelled: experts are not counted by "
                          "field)") if policy.experts_include_academia else "not provided for",
                   citation=in_force["experts_include_academia"]),
            Effect(option="experts", item="order of steps",
                   value="list of experts compiled, then drawing of lots; experts due when "
                   "the review starts (timeline), the list kept by the secretariat (costs)"
                   if before else "drawing of lots, then experts appointed (within 4 weeks)",
                   citation=in_force["experts_listed_before_draw"]),
        ]

    @hookimpl
    def cost_rates(self, policy: Policy) -> list[RateChange]:
        if not policy.experts_listed_before_draw:
            return []
        return [RateChange(name="expert_list_hours_per_year", value=EXPERT_LIST_HOURS,
                           citation=HOURS_CITATION)]


class InformationSourcesPlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="questionnaire-diverse-sources", option="information_sources",
                         title="Diverse sources of information for the questionnaire",
                         citation=assumption(_QUESTION + "; para. 15 argues for using "
                                             "information from other review procedures"),
                         policy={"questionnaire_diverse_sources": True}))

    @hookimpl
    def policy_effects(self, policy: Policy, in_force: Mapping[str, Citation]) -> list[Effect]:
        diverse = policy.questionnaire_diverse_sources
        return [Effect(
            option="information_sources", item="sources for the questionnaire",
            value="diverse sources, including other review procedures; the secretariat "
            f"gathers them ({DIVERSE_SOURCES_HOURS:g} hours per phase in the costs)"
            if diverse else "the responses of the State under review",
            citation=in_force["questionnaire_diverse_sources"])]

    @hookimpl
    def cost_rates(self, policy: Policy) -> list[RateChange]:
        if not policy.questionnaire_diverse_sources:
            return []
        return [RateChange(name="diverse_sources_hours_per_phase", value=DIVERSE_SOURCES_HOURS,
                           citation=HOURS_CITATION)]


PLUGINS: list[tuple[str, object]] = [
    ("experts", ExpertsPlugin()),
    ("information_sources", InformationSourcesPlugin()),
]
