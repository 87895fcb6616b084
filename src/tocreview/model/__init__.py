"""The domain model: parties, instruments, rosters and citations (pydantic, frozen)."""

from tocreview.model.citation import Citation, Status
from tocreview.model.development import DevelopmentCategory, DevelopmentStatus
from tocreview.model.instrument import Instrument
from tocreview.model.party import (
    Consent,
    ConsentType,
    DatePrecision,
    GroupStatus,
    Language,
    Party,
    PartyId,
    PartyKind,
    RegionalGroup,
    Unresolved,
)
from tocreview.model.roster import Roster

__all__ = [
    "Citation",
    "Consent",
    "ConsentType",
    "DatePrecision",
    "DevelopmentCategory",
    "DevelopmentStatus",
    "GroupStatus",
    "Instrument",
    "Language",
    "Party",
    "PartyId",
    "PartyKind",
    "RegionalGroup",
    "Roster",
    "Status",
    "Unresolved",
]
