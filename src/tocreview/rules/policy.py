"""The process options left open in the negotiations, as one frozen, cited model.

The selection options (composition, treatment of a REIO, opt-out) are in
:class:`~tocreview.rules.parameters.Parameters`, because the draw uses them. The options here
shape everything else: civil society, funding, outcome documents, sequencing, the
secretariat, the list of governmental experts.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from tocreview.errors import UnknownNameError
from tocreview.model.citation import (
    PROCEDURES_AND_RULES,
    Citation,
    Status,
)


class CivilSociety(StrEnum):
    CONSTRUCTIVE_DIALOGUES = "constructive_dialogues"
    """After the working-group sessions (adopted, procedures and rules para. 53)."""
    MARRAKECH = "marrakech"
    """Briefings on the margins of the intergovernmental meetings (UNCAC res. 4/6)."""
    WORKING_GROUPS = "working_groups"
    """Participation in the working groups themselves (2017 meeting report para. 14)."""
    NONE = "none"


class Funding(StrEnum):
    REGULAR_BUDGET = "regular_budget"
    VOLUNTARY = "voluntary"
    MIXED = "mixed"
    """Core from the regular budget, the rest from voluntary contributions."""


class Outcome(StrEnum):
    LIST_OF_OBSERVATIONS = "list_of_observations"
    """A list of observations and its summary (adopted)."""
    COUNTRY_REPORT = "country_report"
    """A confidential country report with a public executive summary (UNCAC)."""
    SHORT_PUBLIC_REPORT = "short_public_report"
    """One short public report focused on recommendations (2017 meeting report para. 15)."""


class Sequencing(StrEnum):
    CLUSTERS = "clusters"
    """Four thematic clusters across the four instruments, two years each (adopted)."""
    ALL_AT_ONCE = "all_at_once"
    """All four instruments reviewed at once."""
    ONE_INSTRUMENT_AT_A_TIME = "one_instrument_at_a_time"
    """Each instrument in turn (2017 meeting report para. 15)."""


class SecretariatRole(StrEnum):
    SUPPORTING = "supporting"
    """Supporting and facilitating (adopted, procedures and rules para. 47)."""
    NONE = "none"
    """No role in the conduct of the reviews (2017 meeting report para. 16)."""
    AS_UNDER_UNCAC = "as_under_uncac"
    """The assistance given under the UNCAC mechanism (2017 meeting report para. 16)."""


class Policy(BaseModel):
    """The process options of a scenario. Frozen; each field cited in POLICY_CITATIONS."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    civil_society: CivilSociety = CivilSociety.CONSTRUCTIVE_DIALOGUES
    private_sector_and_academia: bool = Field(
        default=True, description="whether private-sector and academic stakeholders may take "
        "part alongside NGOs",
    )
    funding: Funding = Funding.MIXED
    outcome: Outcome = Outcome.LIST_OF_OBSERVATIONS
    sequencing: Sequencing = Sequencing.CLUSTERS
    secretariat: SecretariatRole = SecretariatRole.SUPPORTING
    experts_include_academia: bool = Field(
        default=False, description="whether the list of governmental experts may include "
        "experts from other fields such as academia",
    )
    experts_listed_before_draw: bool = Field(
        default=False, description="whether the list of experts is compiled and circulated "
        "before the drawing of lots",
    )
    questionnaire_diverse_sources: bool = Field(
        default=False, description="whether diverse sources of information (beyond the "
        "responses of the State under review) are used for the questionnaire",
    )

    @classmethod
    def citation(cls, name: str) -> Citation:
        if name not in cls.model_fields:
            raise UnknownNameError("policy option", name, list(cls.model_fields))
        return POLICY_CITATIONS[name]



POLICY_CITATIONS: dict[str, Citation] = {
    "civil_society": Citation(
        document=PROCEDURES_AND_RULES, status=Status.SECONDARY, provision="para. 53",
        note="constructive dialogues after the working-group sessions, as cited by the UNODC "
        "Civil Society Unit; alternatives: Marrakech model (UNCAC res. 4/6) and participation "
        "in the working groups (2017 meeting report para. 14)",
    ),
    "private_sector_and_academia": Citation(
        document=PROCEDURES_AND_RULES, status=Status.SECONDARY, provision="para. 53",
        note="private-sector and academic stakeholders may also apply; their inclusion was "
        "debated (2017 meeting report para. 21)",
    ),
    "funding": Citation(
        document="UNODC, the Secretariat of the Review Mechanism", status=Status.SECONDARY,
        note="regular budget for the Mechanism, extrabudgetary resources for additional "
        "costs ('mixture funding model'); options debated in 2017 meeting report para. 12",
    ),
    "outcome": Citation(
        document="UNODC, UNTOC Review Mechanism: overview page", status=Status.SECONDARY,
        note="list of observations and its summary; alternatives in 2017 meeting report "
        "para. 15",
    ),
    "sequencing": Citation(
        document="UNODC, UNTOC Review Mechanism: overview page", status=Status.SECONDARY,
        note="four thematic clusters over the instruments, two years each; reviewing the "
        "instruments in turn was proposed (2017 meeting report para. 15)",
    ),
    "secretariat": Citation(
        document=PROCEDURES_AND_RULES, status=Status.SECONDARY, provision="para. 47",
        note="supporting and facilitating role, as cited by UNODC; alternatives in 2017 "
        "meeting report para. 16",
    ),
    "experts_include_academia": Citation(
        document=PROCEDURES_AND_RULES, status=Status.UNCONFIRMED,
        note="governmental experts only, as far as known; whether the list should include "
        "other fields such as academia was raised as a question (2017 meeting report, para. 13)",
    ),
    "questionnaire_diverse_sources": Citation(
        document=PROCEDURES_AND_RULES, status=Status.UNCONFIRMED,
        note="the questionnaire is answered by the State under review, as far as known; "
        "whether diverse sources of information should be used was raised as a question "
        "(2017 meeting report, para. 13), and taking into account information from other "
        "review procedures was argued for (para. 15)",
    ),
    "experts_listed_before_draw": Citation(
        document="UNODC news, third group of country reviews (1 Nov 2022)",
        status=Status.SECONDARY,
        note="experts are appointed within four weeks of the start of a review, after the "
        "draw; compiling the list before the draw was raised as a question (2017 meeting "
        "report, para. 13)",
    ),
}
