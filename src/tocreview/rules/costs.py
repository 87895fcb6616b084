"""A cost model of the review process. Every rate is a cited, overridable parameter.

No official cost figure for the UNTOC mechanism was found (the 2017 cost note and the 2018
statement of financial implications were not available), so every rate has status
``assumption``: change them with ``CostRates(...)`` or ``--rate NAME=VALUE``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tocreview.errors import ParameterError, UnknownNameError, first_error
from tocreview.model.citation import LIBRARY, Citation, Status, assumption
from tocreview.rules.access import documents
from tocreview.rules.policy import Funding, Policy, SecretariatRole
from tocreview.rules.registry import RuleKind, rule

_ASSUMED = Citation(document=LIBRARY, status=Status.ASSUMPTION,
                    note="no official figure found; an order of magnitude to be replaced")


class CostRates(BaseModel):
    """Rates in US dollars, pages and hours. All must be zero or more."""

    # Rates are finite and below a billion: nan, inf and 1e400 are refused, not computed with.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    pages: dict[str, float] = Field(default_factory=lambda: {
        "self_assessment": 60.0, "feedback": 20.0, "list_of_observations": 15.0,
        "summary": 4.0, "country_report": 80.0, "executive_summary": 6.0, "short_report": 10.0,
    })
    words_per_page: float = Field(default=330, ge=0)
    translation_per_word: float = Field(default=0.2, ge=0)
    working_translations_per_document: float = Field(
        default=1, ge=0, description="translations of a working document between the "
        "participants' languages, on average")
    meeting_days_per_year: float = Field(default=10, ge=0,
                                         description="working-group days on the review")
    interpretation_per_day: float = Field(default=25_000, ge=0,
                                          description="six-language interpretation")
    secretariat_hours: dict[SecretariatRole, float] = Field(default_factory=lambda: {
        SecretariatRole.SUPPORTING: 250.0, SecretariatRole.AS_UNDER_UNCAC: 500.0,
        SecretariatRole.NONE: 0.0,
    })
    staff_cost_per_hour: float = Field(default=100, ge=0)
    civil_society_days_per_year: float = Field(
        default=0, ge=0, description="days of civil-society meetings a year (dialogues, "
        "briefings, working-group segments), interpreted; the civil-society option sets it")
    expert_list_hours_per_year: float = Field(
        default=0, ge=0, description="secretariat hours a year keeping a list of experts "
        "compiled before the draw; the experts option sets it")
    diverse_sources_hours_per_phase: float = Field(
        default=0, ge=0, description="secretariat hours per phase gathering other sources "
        "for the questionnaire; the information-sources option sets it")

    @model_validator(mode="after")
    def _bounded(self) -> CostRates:
        values = {name: v for name, v in self.model_dump().items() if isinstance(v, float | int)}
        for group in ("pages", "secretariat_hours"):
            values |= {f"{group}.{k}": v for k, v in getattr(self, group).items()}
        big = sorted(name for name, v in values.items()
                     if not isinstance(v, bool) and (v != v or abs(v) > 1e9))
        if big:
            raise ValueError(f"rates must be finite and at most 1e9: {', '.join(big)}")
        return self

    def with_changes(self, changes: Mapping[str, float]) -> CostRates:
        """These rates with some changed, by name (``translation_per_word``) or, for pages and
        secretariat hours, ``pages.summary``; an unknown name is an error with close matches."""
        fields = list(type(self).model_fields)
        values = self.model_dump()
        for name, value in changes.items():
            if name in fields and name not in ("pages", "secretariat_hours"):
                values[name] = value
            elif "." in name and name.split(".", 1)[0] in ("pages", "secretariat_hours"):
                group, key = name.split(".", 1)
                if key not in values[group]:
                    raise ParameterError(str(UnknownNameError(f"{group} key", key,
                                                              list(values[group]))))
                values[group][key] = value
            else:
                raise ParameterError(str(UnknownNameError("rate", name, fields)))
        try:
            return type(self).model_validate(values)
        except ValidationError as exc:
            where, message = first_error(exc)
            raise ParameterError(f"rate {where}: {message}") from None

    def model_post_init(self, __context: object) -> None:
        bad = [f"pages[{k}]" for k, v in self.pages.items() if v < 0]
        bad += [f"secretariat_hours[{k}]" for k, v in self.secretariat_hours.items() if v < 0]
        if bad:
            raise ValueError(f"rates cannot be negative: {', '.join(bad)}")


RATE_CITATIONS = {name: _ASSUMED for name in CostRates.model_fields}


class CostLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str
    amount: float
    source: str


class Costs(BaseModel):
    """Per review phase (of one unit), per year and per cycle, by category and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    per_review: tuple[CostLine, ...]
    reviews_per_year: dict[int, int]
    volume_per_year: dict[int, float] = Field(
        default_factory=dict, description="what the phases starting each year review, in "
        "units of one cluster of all four instruments")
    per_year: dict[int, dict[str, float]]
    cycle_by_source: dict[str, float]
    cycle_total: float
    rates: CostRates
    citations: dict[str, Citation]


@rule(
    "core.costs.funding_sources", RuleKind.DERIVATION,
    "Under each funding option, each category of cost is paid from the regular budget or from "
    "voluntary contributions.",
    assumption("the split of each cost category between sources is this library's reading of "
               "the options; the 2017 meeting report (para. 12) gives no such split"),
)
def funding_source(funding: Funding, category: str) -> str:
    if funding is Funding.REGULAR_BUDGET:
        return "regular budget"
    if funding is Funding.VOLUNTARY:
        return "voluntary contributions"
    return "voluntary contributions" if category == "secretariat support" else "regular budget"


def document_volume(policy: Policy, rates: CostRates) -> tuple[float, float, float]:
    """Per unit of review: pages written, words translated for working documents, words
    translated for outcome documents (into the five other official languages)."""
    pages = working = outcome = 0.0
    for doc in documents(policy.outcome):
        length = rates.pages.get(doc.kind, 0)
        pages += length
        if doc.six_languages:
            outcome += length * rates.words_per_page * 5
        else:
            working += length * rates.words_per_page * rates.working_translations_per_document
    return pages, working, outcome


def review_costs(policy: Policy, rates: CostRates) -> list[CostLine]:
    """What one review phase costs, by category."""
    _, working_words, outcome_words = document_volume(policy, rates)
    working = working_words * rates.translation_per_word
    outcome = outcome_words * rates.translation_per_word
    hours = rates.secretariat_hours[policy.secretariat] + rates.diverse_sources_hours_per_phase
    staff = hours * rates.staff_cost_per_hour
    categories = {"translation of working documents": working,
                  "translation of outcome documents": outcome,
                  "secretariat support": staff}
    return [CostLine(category=k, amount=v, source=funding_source(policy.funding, k))
            for k, v in categories.items()]


PER_UNIT = ("translation of working documents", "translation of outcome documents")
"""Cost categories that grow with what a phase reviews (its documents); the others are paid
once per phase."""


@rule(
    "core.costs.review_volume", RuleKind.DERIVATION,
    "What a review phase costs in documents grows with what it reviews: one unit is one "
    "thematic cluster of all four instruments, so a phase covering c clusters of i "
    "instruments is c x i / 4 units; secretariat support is counted once per phase.",
    assumption("document length in proportion to the clusters and instruments reviewed is "
               "this library's model; no source gives page counts per cluster"),
)
def review_volume(clusters: int, instruments: int) -> float:
    return clusters * instruments / 4


def cycle_costs(policy: Policy, rates: CostRates, reviews_per_year: dict[int, int],
                volume_per_year: Mapping[int, float] | None = None) -> Costs:
    """Totals from the number of review phases starting each year and what they review
    (``volume_per_year``, in units of :func:`review_volume`; default one unit per phase)."""
    per_review = review_costs(policy, rates)
    volumes = volume_per_year or {y: float(c) for y, c in reviews_per_year.items()}
    meetings = (rates.meeting_days_per_year + rates.civil_society_days_per_year) \
        * rates.interpretation_per_day
    meeting_source = funding_source(policy.funding, "meetings and interpretation")
    expert_list = rates.expert_list_hours_per_year * rates.staff_cost_per_hour
    list_source = funding_source(policy.funding, "secretariat support")
    per_year: dict[int, dict[str, float]] = {}
    by_source: dict[str, float] = defaultdict(float)
    for year, count in sorted(reviews_per_year.items()):
        row: dict[str, float] = defaultdict(float)
        for line in per_review:
            row[line.source] += line.amount * (volumes.get(year, 0.0) if line.category in PER_UNIT
                                               else count)
        row[meeting_source] += meetings
        row[list_source] += expert_list
        per_year[year] = dict(row)
        for source, amount in row.items():
            by_source[source] += amount
    citations = {name: RATE_CITATIONS[name] for name in CostRates.model_fields}
    return Costs(per_review=tuple(per_review), reviews_per_year=dict(reviews_per_year),
                 volume_per_year=dict(sorted(volumes.items())),
                 per_year=per_year, cycle_by_source=dict(sorted(by_source.items())),
                 cycle_total=sum(by_source.values()), rates=rates, citations=citations)
