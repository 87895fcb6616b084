"""Citations: where a rule, parameter or fact comes from, and how sure we are of it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Status(StrEnum):
    """How sure we are of a cited rule or fact.

    The order goes from firmest to weakest; :meth:`weakest` picks the least sure of several.
    """

    ADOPTED = "adopted"
    """Seen in the adopted text."""
    SECONDARY = "secondary"
    """An official secondary source (e.g. a UNODC page) states it."""
    INFERRED = "inferred"
    """Our inference or arithmetic from confirmed facts."""
    UNCONFIRMED = "unconfirmed"
    """Believed, not seen in a source."""
    PROPOSAL = "proposal"
    """An option put forward in the negotiations, not adopted."""
    ASSUMPTION = "assumption"
    """A modelling choice of this library."""

    @staticmethod
    def weakest(statuses: list[Status]) -> Status:
        """The least sure of ``statuses`` (``ADOPTED`` for an empty list)."""
        order = list(Status)
        return max(statuses, key=order.index, default=Status.ADOPTED)


class Citation(BaseModel):
    """A structured reference to the source of a rule, parameter, option or fact.

    ``provision`` is ``None`` when the paragraph number is not known: we never invent one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str = Field(description="e.g. 'COP resolution 9/1, annex (procedures and rules)'")
    status: Status
    symbol: str | None = Field(default=None, description="official symbol, e.g. CTOC/COP/2018/13")
    provision: str | None = Field(default=None, description="e.g. 'para. 53'; None when unknown")
    url: str | None = None
    note: str | None = Field(default=None, description="our paraphrase or a caveat, short")

    def short(self) -> str:
        """One line: document, provision and status."""
        where = f", {self.provision}" if self.provision else ""
        return f"{self.document}{where} [{self.status.value}]"


# Documents cited across the package, kept in one place so their wording stays the same.
PROCEDURES_AND_RULES = "COP resolution 9/1, annex (procedures and rules)"
MEETING_REPORT_2017 = "2017 meeting report"
UNCAC_TOR = "UNCAC CoSP resolution 3/1, annex (terms of reference)"
UNODC_OVERVIEW = "UNODC, UNTOC Review Mechanism: overview page"
LIBRARY = "tocreview modelling choice"


def assumption(note: str) -> Citation:
    """A modelling choice of this library, with a note saying what it rests on (status
    ``assumption``). Use it where a source only raises a question, never ``proposal``."""
    return Citation(document=LIBRARY, status=Status.ASSUMPTION, note=note)


def proposal(paragraph: str, note: str = "") -> Citation:
    """A citation of an option put forward in the 2017 meeting: "2017 meeting report, para. N",
    status ``proposal``."""
    return Citation(document=MEETING_REPORT_2017, status=Status.PROPOSAL, provision=paragraph,
                    note=note or None)
