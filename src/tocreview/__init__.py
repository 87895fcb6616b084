"""tocreview: the procedures and rules of the UNTOC Review Mechanism as typed, cited Python."""

from tocreview.errors import TocreviewError
from tocreview.model import (
    Citation,
    Instrument,
    Party,
    PartyId,
    RegionalGroup,
    Roster,
    Status,
)

__version__ = "0.1.0"

__all__ = [
    "Citation",
    "Instrument",
    "Party",
    "PartyId",
    "RegionalGroup",
    "Roster",
    "Status",
    "TocreviewError",
    "__version__",
]
