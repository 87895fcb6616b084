"""What a simulated review cycle is measured by: each measure named, defined and sectioned.

A measure is a number per simulated cycle. Counts over States are aggregates (by regional
group or by development status), never a figure per named State: the comparison shows no
ranking of States. docs/simulate.md defines each measure in words; :data:`MEASURES` is where
the definitions live.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from tocreview.model.development import DevelopmentCategory
from tocreview.model.party import RegionalGroup
from tocreview.model.result import Pairing, Role, StartGroups
from tocreview.model.roster import Roster
from tocreview.rules.costs import Costs
from tocreview.rules.parameters import Parameters

SECTIONS = ("coverage and principles", "burden", "draw", "process", "costs")
COST_DRIVERS = ("funding", "outcome", "secretariat", "sequencing", "civil_society",
                "experts_listed_before_draw", "questionnaire_diverse_sources")
OTHERS = "others"
"""States in no development category: what the categories are compared with."""


@dataclass(frozen=True)
class Measure:
    """One figure per simulated cycle."""

    name: str
    section: str
    definition: str
    drivers: tuple[str, ...] = ()
    """Parameters and policy options whose values in force drive it (their citations are
    what a comparison cites for a difference)."""
    unit: str = "count"
    assumed: bool = False
    """Whether it rests on assumed rates (costs, page lengths, working days) as well: then
    it is never surer than an assumption."""


def _burden(category: str, title: str) -> list[Measure]:
    drivers = ("max_reviewers", "max_reviews_per_reviewer", "sequencing")
    return [
        Measure(f"burden.reviews_served.{category}", "burden",
                f"reviews served per State ({title}): States it reviews, summed over the "
                "cycle's draws, averaged over the States of the category", drivers, "mean"),
        Measure(f"burden.reviewer_years.{category}", "burden",
                f"reviewer-years per State ({title}): start-group years in which it reviews "
                "at least one State", drivers, "mean"),
        Measure(f"burden.phases_hosted.{category}", "burden",
                f"review phases hosted per State ({title}): phases of its own review under "
                "the sequencing option, for the instruments it is party to", ("sequencing",),
                "mean"),
        Measure(f"burden.days.{category}", "burden",
                f"working days per State ({title}): reviews served x reviewer days per review "
                "+ phases hosted x days per phase hosted (assumed rates)",
                drivers, "mean", assumed=True),
        Measure(f"burden.own_cost.{category}", "burden",
                f"cost a State bears itself ({title}, USD): its working days x the cost of an "
                "expert's working day (assumed); the same under every funding option, which "
                "decides who pays the mechanism's meetings, translation and secretariat, not a "
                "State's own experts (and no scale of assessments is bundled to split the "
                "regular budget by State)", drivers, "USD", assumed=True),
    ]


def _all_measures() -> tuple[Measure, ...]:
    out = [
        Measure("coverage.reviewed", "coverage and principles",
                "States parties under review in the cycle", ("opted_out", "reio_under_review")),
        Measure("coverage.not_reviewed", "coverage and principles",
                "States parties to the Convention not reviewed (opt-out, REIO option)",
                ("opted_out", "reio_under_review")),
        Measure("draw.failed", "draw",
                "start-group draws that could not be made (no valid draw, or a method's limit)",
                ("max_reviewers", "max_reviews_per_reviewer")),
        Measure("draw.supplementary", "draw",
                "supplementary reviewers: (State under review, supplementary reviewer) pairs",
                ("supplementary_draw",)),
        Measure("draw.cap_reached", "draw",
                "States under review whose distinct reviewers reach the cap on reviewers",
                ("max_reviewers",)),
        Measure("draw.redraw_requests", "draw", "redraw requests made (at the simulated rate)",
                ("redraw_limit",)),
        Measure("draw.redraws_refused", "draw",
                "redraw requests that could not be honoured (limit reached, no one left)",
                ("redraw_limit",)),
    ]
    for k in (1, 2, 3):
        out.append(Measure(f"participation.group_{k}", "draw",
                           f"distinct States taking part in start group {k}'s draw (under "
                           "review or reviewing)", ("start_groups",)))
    for category in DevelopmentCategory:
        out += _burden(category.value, category.full_title)
    out += _burden(OTHERS, "States in none of those categories")
    for group in RegionalGroup:
        out.append(Measure(f"burden.reviews_served.group_{group.value}", "burden",
                           f"reviews served per State of the {group.full_title}",
                           ("max_reviewers",), "mean"))
    out += [
        Measure("process.phases", "process", "review phases in the cycle", ("sequencing",)),
        Measure("process.volume", "process",
                "what the phases review, in units of one cluster of all four instruments",
                ("sequencing",), "units"),
        Measure("process.pages", "process",
                "pages of review documents over the cycle (assumed lengths, by what each phase "
                "reviews)", ("outcome", "sequencing"), "pages", assumed=True),
        Measure("process.translated_words", "process",
                "words translated over the cycle: working documents and outcome documents into "
                "the other official languages (assumed lengths)", ("outcome", "sequencing"),
                "words", assumed=True),
        Measure("process.meeting_days", "process",
                "working-group and civil-society meeting days over the cycle (assumed rates)",
                ("civil_society",), "days", assumed=True),
        Measure("process.civil_society_documents", "process",
                "documents civil society may see, counted by stage (draft and final), "
                "without the consent of the State under review", ("civil_society", "outcome")),
        Measure("process.weeks_to_experts", "process",
                "weeks from the start of a review until its governmental experts are due",
                ("experts_listed_before_draw",), "weeks"),
        Measure("costs.total", "costs", "cost of the cycle, all sources (USD, assumed rates)",
                COST_DRIVERS, "USD", assumed=True),
        Measure("costs.per_year", "costs", "cost per year of the cycle, all sources: the "
                "cycle's cost over its years (USD, assumed rates)", COST_DRIVERS, "USD",
                assumed=True),
        Measure("costs.peak_year", "costs", "cost of the cycle's dearest year, all sources "
                "(USD, assumed rates)", COST_DRIVERS, "USD", assumed=True),
    ]
    return tuple(out)


MEASURES: tuple[Measure, ...] = _all_measures()
BY_NAME: dict[str, Measure] = {m.name: m for m in MEASURES}


def measure_named(name: str) -> Measure:
    """The measure of this name: one of :data:`MEASURES`, or the cost paid from a source."""
    found = BY_NAME.get(name)
    if found is not None:
        return found
    source = name.removeprefix("costs.")
    per_year = source.startswith("per_year.")
    return cost_measure(source.removeprefix("per_year.").replace("_", " "), per_year=per_year)


def cost_measure(source: str, *, per_year: bool = False) -> Measure:
    """The cost paid from one funding source: the cycle's, or (``per_year``) a year's."""
    slug = source.replace(" ", "_")
    if per_year:
        return Measure(f"costs.per_year.{slug}", "costs",
                       f"cost per year paid from {source}: the cycle's over its years (USD, "
                       "assumed rates)", ("funding",), "USD", assumed=True)
    return Measure(f"costs.{slug}", "costs",
                   f"cost of the cycle paid from {source} (USD, assumed rates)",
                   ("funding",), "USD", assumed=True)


@dataclass
class CycleFacts:
    """What one simulated cycle produced, for the measures to read."""

    groups: StartGroups
    pairings: dict[int, tuple[Pairing, ...]]
    failed: int = 0
    redraw_requests: int = 0
    redraws_refused: int = 0
    not_reviewed: int = 0
    costs: Costs | None = None
    phases_of: dict[str, int] = field(default_factory=dict)
    """Review phases each State under review hosts."""
    civil_society_documents: int = 0
    """(Document, stage) cells civil society may see without consent."""
    pages_per_unit: float = 0.0
    """Pages of documents per unit of review (one cluster of all four instruments)."""
    words_per_unit: float = 0.0
    """Words translated per unit of review."""
    weeks_to_experts: float = 0.0
    """Weeks from the start of a review until its governmental experts are due."""


@dataclass(frozen=True)
class Categories:
    """Who is in which development category, and the burden rates (assumed)."""

    of: Mapping[str, frozenset[str]]
    groups: Mapping[str, frozenset[str]]
    days_per_review_served: float
    days_per_phase_hosted: float
    cost_per_expert_day: float = 0.0

    @classmethod
    def of_roster(cls, roster: Roster, as_of: date | None, days_per_review_served: float,
                  days_per_phase_hosted: float, cost_per_expert_day: float = 0.0
                  ) -> Categories:
        members: dict[str, set[str]] = {c.value: set() for c in DevelopmentCategory}
        members[OTHERS] = set()
        for p in roster.parties:
            found = p.development_status(as_of)
            for c in found:
                members[c.value].add(p.id)
            if not found:
                members[OTHERS].add(p.id)
        groups = {g.value: frozenset(p.id for p in roster.parties if p.regional_group is g)
                  for g in RegionalGroup}
        return cls({k: frozenset(v) for k, v in members.items()}, groups,
                   days_per_review_served, days_per_phase_hosted, cost_per_expert_day)


def measure(facts: CycleFacts, parameters: Parameters, categories: Categories,
            reviewed: Iterable[str]) -> dict[str, float]:
    """Every measure of one cycle (costs by source as well)."""
    reviewed = tuple(reviewed)
    out: dict[str, float] = {
        "coverage.reviewed": float(len(reviewed)),
        "coverage.not_reviewed": float(facts.not_reviewed),
        "draw.failed": float(facts.failed),
        "draw.redraw_requests": float(facts.redraw_requests),
        "draw.redraws_refused": float(facts.redraws_refused),
    }
    served: Counter[str] = Counter()
    years: Counter[str] = Counter()
    supplementary = 0
    cap_reached = 0
    cap = parameters.max_reviewers
    for number in (1, 2, 3):
        found = facts.pairings.get(number, ())
        pairs = {(p.under_review, p.reviewer) for p in found}
        supplementary += len({(p.under_review, p.reviewer) for p in found
                              if p.role is Role.SUPPLEMENTARY})
        per_state = Counter(sur for sur, _ in pairs)
        if cap is not None:
            cap_reached += sum(1 for sur, n in per_state.items()
                               if n >= cap and sur not in parameters.cap_waived_by)
        reviewers = Counter(r for _, r in pairs)
        served.update(reviewers)
        years.update(reviewers.keys())
        members = set(facts.groups.groups[number - 1]) if number <= len(facts.groups.groups) \
            else set()
        out[f"participation.group_{number}"] = float(len(members | set(reviewers)))
    out["draw.supplementary"] = float(supplementary)
    out["draw.cap_reached"] = float(cap_reached)
    for category, states in categories.of.items():
        size = len(states) or 1
        serve = sum(served[s] for s in states)
        hosted = sum(facts.phases_of.get(s, 0) for s in states)
        out[f"burden.reviews_served.{category}"] = serve / size
        out[f"burden.reviewer_years.{category}"] = sum(years[s] for s in states) / size
        out[f"burden.phases_hosted.{category}"] = hosted / size
        days = (serve * categories.days_per_review_served
                + hosted * categories.days_per_phase_hosted) / size
        out[f"burden.days.{category}"] = days
        out[f"burden.own_cost.{category}"] = days * categories.cost_per_expert_day
    out["process.civil_society_documents"] = float(facts.civil_society_documents)
    for group, states in categories.groups.items():
        out[f"burden.reviews_served.group_{group}"] = \
            sum(served[s] for s in states) / (len(states) or 1)
    if facts.costs is not None:
        rates = facts.costs.rates
        out["process.meeting_days"] = ((rates.meeting_days_per_year
                                        + rates.civil_society_days_per_year)
                                       * len(facts.costs.per_year))
        out["process.weeks_to_experts"] = facts.weeks_to_experts
        out["process.phases"] = float(sum(facts.costs.reviews_per_year.values()))
        out["process.volume"] = sum(facts.costs.volume_per_year.values())
        out["process.pages"] = out["process.volume"] * facts.pages_per_unit
        out["process.translated_words"] = out["process.volume"] * facts.words_per_unit
        out["costs.total"] = facts.costs.cycle_total
        cycle_years = len(facts.costs.per_year) or 1
        out["costs.per_year"] = facts.costs.cycle_total / cycle_years
        out["costs.peak_year"] = max((sum(row.values()) for row in
                                      facts.costs.per_year.values()), default=0.0)
        for source, amount in facts.costs.cycle_by_source.items():
            out[cost_measure(source).name] = amount
            out[cost_measure(source, per_year=True).name] = amount / cycle_years
    return out
