"""Outcome documents, who may see them, and the core's default-deny combination of verdicts.

Plugins (the built-in options among them) give verdicts on "may this actor see this document
at this stage?". The core combines them: the most specific level wins; at the same level a
deny beats an allow; no verdict is a deny. Then the core applies its own ceiling, which no
verdict can lift: material that is not public reaches only the actors its confidentiality
allows unless the State under review consented to publication, and nothing unpublished
reaches civil society, the public or the knowledge portal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

from tocreview.model.citation import LIBRARY, MEETING_REPORT_2017, Citation, Status, assumption
from tocreview.rules.policy import Outcome
from tocreview.rules.registry import RuleKind, rule


class Actor(StrEnum):
    STATE_UNDER_REVIEW = "state_under_review"
    REVIEWERS = "reviewers"
    SECRETARIAT = "secretariat"
    OTHER_STATES = "other_states"
    CONFERENCE = "conference"
    """The Conference of the Parties and its working groups."""
    CIVIL_SOCIETY = "civil_society"
    PUBLIC = "public"
    KNOWLEDGE_PORTAL = "knowledge_portal"
    """SHERLOC, the knowledge management portal (2017 meeting report para. 20)."""


class Confidentiality(StrEnum):
    CONFIDENTIAL = "confidential"
    """The State under review, its reviewers and the secretariat."""
    RESTRICTED = "restricted"
    """Also the other States parties and the Conference and its working groups."""
    PUBLIC = "public"


class DocumentStage(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Document(BaseModel):
    """One document of a review: who it is meant for, and where that and its publication rule
    come from (two citations, because the two are known with different certainty)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    title: str
    confidentiality: Confidentiality
    six_languages: bool
    citation: Citation
    publication: Citation


_OVERVIEW = Citation(document="UNODC, UNTOC Review Mechanism: overview page",
                     status=Status.SECONDARY)
_UNCAC = Citation(document="UNCAC guidelines and terms of reference", status=Status.UNCONFIRMED,
                  note="full report confidential unless the State agrees; executive summary "
                  "issued in the six languages")
_SHORT = Citation(document=MEETING_REPORT_2017, status=Status.PROPOSAL, provision="para. 15")
PUBLICATION_ON_CONSENT = assumption(
    "the UNTOC publication rule is not known (not seen in the procedures and rules; the 2017 "
    "meeting report, para. 20, lists confidentiality and the availability of information as "
    "open questions): modelled as published only with the consent of the State under review"
)

WORKING = (
    Document(kind="self_assessment", title="responses to the self-assessment questionnaire",
             confidentiality=Confidentiality.CONFIDENTIAL, six_languages=False,
             citation=_OVERVIEW, publication=PUBLICATION_ON_CONSENT),
    Document(kind="feedback", title="written feedback of the reviewing States",
             confidentiality=Confidentiality.CONFIDENTIAL, six_languages=False,
             citation=_OVERVIEW, publication=PUBLICATION_ON_CONSENT),
)
OUTCOMES: dict[Outcome, tuple[Document, ...]] = {
    Outcome.LIST_OF_OBSERVATIONS: (
        Document(kind="list_of_observations", title="list of observations",
                 confidentiality=Confidentiality.RESTRICTED, six_languages=False,
                 citation=_OVERVIEW.model_copy(update={"note": "shared with the working "
                                               "groups of the Conference"}),
                 publication=PUBLICATION_ON_CONSENT),
        Document(kind="summary", title="summary of the list of observations",
                 confidentiality=Confidentiality.RESTRICTED, six_languages=True,
                 citation=Citation(document="UNODC training material on the procedures and "
                                   "rules", status=Status.UNCONFIRMED,
                                   note="translated into the six languages and made available "
                                   "to the Conference and its working groups: from a quiz "
                                   "whose answer key was not seen (moderate confidence)"),
                 publication=PUBLICATION_ON_CONSENT),
    ),
    Outcome.COUNTRY_REPORT: (
        Document(kind="country_report", title="country review report",
                 confidentiality=Confidentiality.CONFIDENTIAL, six_languages=False,
                 citation=_UNCAC, publication=_UNCAC),
        Document(kind="executive_summary", title="executive summary",
                 confidentiality=Confidentiality.PUBLIC, six_languages=True, citation=_UNCAC,
                 publication=_UNCAC),
    ),
    Outcome.SHORT_PUBLIC_REPORT: (
        Document(kind="short_report", title="short report focused on recommendations",
                 confidentiality=Confidentiality.PUBLIC, six_languages=True, citation=_SHORT,
                 publication=_SHORT),
    ),
}


# The ceiling reads confidentiality from this snapshot, taken when the module is imported
# (before any plugin is loaded) and held in a read-only view: a plugin that writes to the
# document objects above (object.__setattr__ gets past frozen models) cannot lift it.
_CONFIDENTIALITY: Mapping[str, Confidentiality] = MappingProxyType(
    {d.kind: d.confidentiality for d in (*WORKING, *(x for ds in OUTCOMES.values() for x in ds))})


def documents(outcome: Outcome) -> tuple[Document, ...]:
    """The documents of one review under an outcome option."""
    return WORKING + OUTCOMES[outcome]


class AccessVerdict(BaseModel):
    """One plugin's answer: allow or deny, how specific, why, on what basis."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    allow: bool
    level: int = 0
    reason: str
    citation: Citation
    source: str = ""


_INSIDE: Mapping[Confidentiality, frozenset[Actor]] = MappingProxyType({
    Confidentiality.CONFIDENTIAL: frozenset({Actor.STATE_UNDER_REVIEW, Actor.REVIEWERS,
                                             Actor.SECRETARIAT}),
    Confidentiality.RESTRICTED: frozenset({Actor.STATE_UNDER_REVIEW, Actor.REVIEWERS,
                                           Actor.SECRETARIAT, Actor.OTHER_STATES,
                                           Actor.CONFERENCE}),
    Confidentiality.PUBLIC: frozenset(Actor),
})


@rule(
    "core.access.ceiling", RuleKind.HARD_CONSTRAINT,
    "No option gives anyone a State's non-public material beyond what its confidentiality "
    "allows without that State's consent; unpublished documents never reach civil society, "
    "the public or the knowledge portal.",
    assumption("a security invariant of this library: material that is not public goes no "
               "further without the consent of the State under review. The 2017 meeting report "
               "(para. 20) lists confidentiality and the availability of information as open "
               "questions; who decides on publication is not known"),
)
def within_ceiling(document: Document, actor: Actor, stage: DocumentStage,
                   consent: bool) -> bool:
    # a kind the snapshot does not know is held to the strictest level
    level = _CONFIDENTIALITY.get(document.kind, Confidentiality.CONFIDENTIAL)
    published = level is Confidentiality.PUBLIC or consent is True
    if stage is DocumentStage.DRAFT:
        return actor in _INSIDE[Confidentiality.CONFIDENTIAL]
    if published:
        return True
    return actor in _INSIDE[level]


@rule(
    "core.access.combine", RuleKind.DERIVATION,
    "Verdicts combine as: the most specific level wins; at one level deny beats allow; no "
    "verdict denies.",
    Citation(document=LIBRARY, status=Status.ASSUMPTION, note="default-deny combination"),
)
def combine(verdicts: Iterable[AccessVerdict]) -> tuple[bool, str]:
    found = list(verdicts)
    if not found:
        return False, "no rule allows it (default deny)"
    top = max(v.level for v in found)
    at_top = [v for v in found if v.level == top]
    denies = sorted((v for v in at_top if not v.allow), key=lambda v: (v.source, v.reason))
    if denies:
        return False, denies[0].reason
    return True, sorted(at_top, key=lambda v: (v.source, v.reason))[0].reason
