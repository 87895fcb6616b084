"""Built-in option plugins for the process: civil society, funding, outcome documents,
sequencing, the secretariat. Each registers its variants (with their citations) and says
what the option in force changes (the experts and the questionnaire: builtin_review)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tocreview.model.citation import Citation, Status, assumption, proposal
from tocreview.plugins.hookspecs import hookimpl
from tocreview.plugins.model import Effect, RateChange, Variant
from tocreview.rules.access import (
    OUTCOMES,
    AccessVerdict,
    Actor,
    Confidentiality,
    Document,
    DocumentStage,
)
from tocreview.rules.parameters import Parameters
from tocreview.rules.policy import (
    POLICY_CITATIONS,
    CivilSociety,
    Funding,
    Outcome,
    Policy,
    SecretariatRole,
    Sequencing,
)
from tocreview.rules.workplan import phases


def _effects(option: str, items: dict[str, str], citation: Citation) -> list[Effect]:
    return [Effect(option=option, item=k, value=v, citation=citation) for k, v in items.items()]


class CivilSocietyPlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="constructive-dialogues", option="civil_society",
                         title="Constructive dialogues after the working-group sessions",
                         citation=POLICY_CITATIONS["civil_society"],
                         policy={"civil_society": CivilSociety.CONSTRUCTIVE_DIALOGUES}))
        register(Variant(key="marrakech", option="civil_society",
                         title="Marrakech model: briefings on the margins", citation=proposal(
                             "para. 14", "some recalled the Marrakech model of UNCAC CoSP "
                             "resolution 4/6: NGO briefings on the margins of the meetings"),
                         policy={"civil_society": CivilSociety.MARRAKECH}))
        register(Variant(key="working-group-participation", option="civil_society",
                         title="Civil society takes part in the working groups",
                         citation=proposal("para. 14", "proposed as a cost-effective way"),
                         policy={"civil_society": CivilSociety.WORKING_GROUPS}))
        register(Variant(key="no-civil-society", option="civil_society",
                         title="No civil-society participation", citation=Citation(
                             document="tocreview modelling choice", status=Status.ASSUMPTION,
                             note="a comparison point"),
                         policy={"civil_society": CivilSociety.NONE},
                         principles_traded=("inclusive",)))
        register(Variant(key="ngos-only", option="stakeholders",
                         title="Only non-governmental organizations, not private sector or "
                         "academia", citation=proposal("para. 21"),
                         policy={"private_sector_and_academia": False}))

    @hookimpl
    def policy_effects(self, policy: Policy, in_force: Mapping[str, Citation]) -> list[Effect]:
        meetings = {
            CivilSociety.CONSTRUCTIVE_DIALOGUES:
                "constructive dialogues held after the working-group sessions",
            CivilSociety.MARRAKECH:
                "briefings on the margins of the intergovernmental review meetings",
            CivilSociety.WORKING_GROUPS:
                "the working-group sessions themselves",
            CivilSociety.NONE: "none",
        }[policy.civil_society]
        who = ("NGOs, private sector and academia" if policy.private_sector_and_academia
               else "NGOs only")
        # The documents stakeholders reach are derived from the access table by the core.
        return [
            *_effects("civil_society", {
                "meetings stakeholders attend": meetings,
                "civil-society meeting days a year (in the costs)":
                    f"{CIVIL_SOCIETY_DAYS[policy.civil_society]:g}",
                "country situations discussed with stakeholders": "no",
            }, in_force["civil_society"]),
            *([Effect(option="civil_society", item="documents the working groups receive",
                      value="not passed on to stakeholders: the access ceiling "
                      "(core.access.ceiling) keeps unpublished material from civil society "
                      "whatever the option, so access is unchanged; meetings and costs change",
                      citation=in_force["civil_society"])]
              if policy.civil_society is CivilSociety.WORKING_GROUPS else []),
            Effect(option="civil_society", item="who may take part",
                   value="nobody" if policy.civil_society is CivilSociety.NONE else who,
                   citation=in_force["private_sector_and_academia"]
                   if policy.civil_society is not CivilSociety.NONE
                   else in_force["civil_society"]),
        ]

    @hookimpl
    def access_verdicts(self, document: Document, actor: Actor, stage: DocumentStage,
                        policy: Policy, consent: bool) -> list[AccessVerdict]:
        published = stage is DocumentStage.FINAL and (
            consent or document.confidentiality is Confidentiality.PUBLIC)
        return _civil_society_verdicts(policy, document, actor, published)

    @hookimpl
    def cost_rates(self, policy: Policy) -> list[RateChange]:
        days = CIVIL_SOCIETY_DAYS[policy.civil_society]
        return [RateChange(name="civil_society_days_per_year", value=days,
                           citation=CIVIL_SOCIETY_DAYS_CITATION)] if days else []


CIVIL_SOCIETY_DAYS = {
    CivilSociety.CONSTRUCTIVE_DIALOGUES: 1.0,  # a dialogue after the yearly session
    CivilSociety.MARRAKECH: 0.5,  # a briefing on the margins
    CivilSociety.WORKING_GROUPS: 2.0,  # stakeholder segments of the sessions themselves
    CivilSociety.NONE: 0.0,
}
"""Interpreted meeting days a year that each civil-society model adds."""
CIVIL_SOCIETY_DAYS_CITATION = assumption(
    "days of civil-society meetings a year under each model are this library's orders of "
    "magnitude (1 for constructive dialogues, 0.5 for Marrakech briefings, 2 for working-"
    "group participation); no source gives them")


def _civil_society_verdicts(policy: Policy, document: Document, actor: Actor,
                            published: bool) -> list[AccessVerdict]:
    if actor is not Actor.CIVIL_SOCIETY or published:
        return []  # what is published is for everyone, civil society included
    cite = POLICY_CITATIONS["civil_society"]
    if policy.civil_society is CivilSociety.NONE:
        return [AccessVerdict(allow=False, level=1, reason="no civil-society participation",
                        citation=cite)]
    if policy.civil_society is CivilSociety.WORKING_GROUPS and (
            document.confidentiality is Confidentiality.RESTRICTED):
        return [AccessVerdict(allow=True, level=1, reason="civil society takes part in the working "
                        "groups, which receive this document", citation=cite)]
    return []


class FundingPlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        for key, value, title, citation in (
            ("regular-budget", Funding.REGULAR_BUDGET, "Everything from the regular budget",
             assumption("an end point for comparison: in the 2017 meeting report (para. 12) "
                        "many speakers wanted the core activities, not everything, funded from "
                        "the regular budget")),
            ("voluntary-contributions", Funding.VOLUNTARY,
             "Everything from voluntary contributions",
             assumption("an end point for comparison: the 2017 meeting report (para. 12) "
                        "records an objection to raising the regular budget, not a proposal "
                        "to fund everything voluntarily")),
            ("mixed-funding", Funding.MIXED,
             "Core from the regular budget, the rest from voluntary contributions",
             POLICY_CITATIONS["funding"]),
        ):
            register(Variant(key=key, option="funding", title=title, policy={"funding": value},
                             citation=citation))

    @hookimpl
    def policy_effects(self, policy: Policy, in_force: Mapping[str, Citation]) -> list[Effect]:
        core, reviews = {
            Funding.REGULAR_BUDGET: ("regular budget", "regular budget"),
            Funding.VOLUNTARY: ("voluntary contributions", "voluntary contributions"),
            Funding.MIXED: ("regular budget", "voluntary contributions"),
        }[policy.funding]
        return _effects("funding", {
            "intergovernmental meetings and their documents paid from": core,
            "secretariat support to country reviews paid from": reviews,
            "translation of outcome documents paid from": core,
        }, in_force["funding"])


class OutcomePlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="list-of-observations", option="outcome",
                         title="List of observations and its summary",
                         citation=POLICY_CITATIONS["outcome"],
                         policy={"outcome": Outcome.LIST_OF_OBSERVATIONS}))
        register(Variant(key="country-report", option="outcome",
                         title="Confidential country report, public executive summary (UNCAC)",
                         citation=proposal("para. 15", "many supported country reports with "
                                          "executive summaries, as under UNCAC"),
                         policy={"outcome": Outcome.COUNTRY_REPORT}))
        register(Variant(key="short-public-report", option="outcome",
                         title="One short public report focused on recommendations",
                         citation=proposal("para. 15"),
                         policy={"outcome": Outcome.SHORT_PUBLIC_REPORT}))

    @hookimpl
    def policy_effects(self, policy: Policy, in_force: Mapping[str, Citation]) -> list[Effect]:
        # Who sees which document is derived from the access table by the core; this names
        # the documents only, so the two cannot disagree.
        documents = "; ".join(
            d.title + (" (in the six languages)" if d.six_languages else "")
            for d in OUTCOMES[policy.outcome])
        return _effects("outcome", {"documents": documents}, in_force["outcome"])

    @hookimpl
    def access_verdicts(self, document: Document, actor: Actor, stage: DocumentStage,
                        consent: bool) -> list[AccessVerdict]:
        """Who a document is meant for, under the outcome option it belongs to. A final document
        that is public, or published with the State's consent, is for everyone."""
        inner = {Actor.STATE_UNDER_REVIEW, Actor.REVIEWERS, Actor.SECRETARIAT}
        states = inner | {Actor.OTHER_STATES, Actor.CONFERENCE}
        audience = {Confidentiality.CONFIDENTIAL: inner, Confidentiality.RESTRICTED: states,
                    Confidentiality.PUBLIC: set(Actor)}[document.confidentiality]
        if stage is DocumentStage.DRAFT:
            audience = inner
        elif consent:
            return [AccessVerdict(allow=True, reason="published with the consent of the State "
                                  "under review", citation=document.publication)]
        if actor in audience:
            return [AccessVerdict(allow=True,
                                  reason=f"{document.title}: {document.confidentiality}",
                                  citation=document.citation)]
        return []


def workplan(sequencing: Sequencing, groups: int = 3) -> str:
    """The phases of each start group under a sequencing option, as text."""
    parts = []
    for g in range(1, groups + 1):
        listed = "; ".join(
            f"{p.starts.year}-{p.ends.year}: "
            + ("all clusters" if len(p.clusters) == 4 else f"cluster {p.clusters[0].value}")
            + ", " + ("all instruments" if len(p.instruments) == 4 else
                      " and ".join(i.value for i in p.instruments))
            for p in phases(sequencing, g))
        parts.append(f"group {g}: {listed}")
    return " | ".join(parts)


class SequencingPlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="thematic-clusters", option="sequencing",
                         title="Four thematic clusters, two years each",
                         citation=POLICY_CITATIONS["sequencing"],
                         policy={"sequencing": Sequencing.CLUSTERS}))
        register(Variant(key="all-instruments-at-once", option="sequencing",
                         title="All four instruments reviewed at once",
                         citation=proposal("para. 15", "the alternative to reviewing in turn"),
                         policy={"sequencing": Sequencing.ALL_AT_ONCE}))
        register(Variant(key="one-instrument-at-a-time", option="sequencing",
                         title="Each instrument in turn",
                         citation=proposal("para. 15", "to manage workload and costs"),
                         policy={"sequencing": Sequencing.ONE_INSTRUMENT_AT_A_TIME}))

    @hookimpl
    def policy_effects(self, policy: Policy, parameters: Parameters,
                       in_force: Mapping[str, Citation]) -> list[Effect]:
        return _effects("sequencing", {
            "workplan": workplan(policy.sequencing, groups=parameters.start_groups),
        }, in_force["sequencing"])


class SecretariatPlugin:
    @hookimpl
    def register_variants(self, register: Callable[[Variant], None]) -> None:
        register(Variant(key="secretariat-supporting", option="secretariat",
                         title="Supporting and facilitating secretariat",
                         citation=POLICY_CITATIONS["secretariat"],
                         policy={"secretariat": SecretariatRole.SUPPORTING}))
        register(Variant(key="no-secretariat-role", option="secretariat",
                         title="No secretariat role in the conduct of reviews",
                         citation=proposal("para. 16"),
                         policy={"secretariat": SecretariatRole.NONE}))
        register(Variant(key="secretariat-as-uncac", option="secretariat",
                         title="Secretariat assistance as under UNCAC",
                         citation=proposal("para. 16"),
                         policy={"secretariat": SecretariatRole.AS_UNDER_UNCAC}))

    @hookimpl
    def policy_effects(self, policy: Policy, in_force: Mapping[str, Citation]) -> list[Effect]:
        tasks = {
            SecretariatRole.SUPPORTING: "secure review module; advice on the questionnaires; "
            "facilitating consultations; supporting the drafting of the outputs; servicing "
            "the meetings; supporting stakeholder participation",
            SecretariatRole.NONE: "servicing the intergovernmental meetings only",
            SecretariatRole.AS_UNDER_UNCAC: "as under UNCAC: also organizing country visits or "
            "joint meetings, translation, and drafting the country report with the experts",
        }[policy.secretariat]
        return _effects("secretariat", {"tasks": tasks}, in_force["secretariat"])

    @hookimpl
    def access_verdicts(self, document: Document, actor: Actor, stage: DocumentStage,
                        policy: Policy, consent: bool) -> list[AccessVerdict]:
        if stage is DocumentStage.FINAL and consent:
            return []  # published: for everyone, the secretariat included
        if actor is Actor.SECRETARIAT and policy.secretariat is SecretariatRole.NONE and (
                document.confidentiality is Confidentiality.CONFIDENTIAL):
            return [AccessVerdict(allow=False, level=1, reason="the secretariat has no role in the "
                            "conduct of the review", citation=POLICY_CITATIONS["secretariat"])]
        return []


PLUGINS: list[tuple[str, object]] = [
    ("civil_society", CivilSocietyPlugin()),
    ("funding", FundingPlugin()),
    ("outcome", OutcomePlugin()),
    ("sequencing", SequencingPlugin()),
    ("secretariat", SecretariatPlugin()),
]
