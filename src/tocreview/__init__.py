"""tocreview: the procedures and rules of the UNTOC Review Mechanism as typed, cited Python.

The public names are few and stable:

- the roster: :class:`Roster`, :class:`Party`, :class:`Instrument`, :class:`RegionalGroup`;
- citations: :class:`Citation`, :class:`Status`;
- the rules: :class:`Parameters`, the catalogue :data:`RULES`;
- the draw: :func:`draw`, :func:`redraw`, :func:`start_groups`, :func:`check`,
  :func:`read_pairings`, and the results :class:`Draw`, :class:`Pairing`;
- scenarios and options: :class:`Mechanism`, :class:`Scenario`, :data:`hookimpl` for plugins;
- errors: :class:`TocreviewError` and its subclasses, among them :class:`InfeasibleDraw`.
"""

from tocreview._version import __version__
from tocreview.draw.check import Violation, check
from tocreview.draw.engine import draw, start_groups
from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.model import Draw, Pairing
from tocreview.draw.pairings_io import read_pairings
from tocreview.draw.redraw import RedrawRefused, redraw
from tocreview.errors import TocreviewError
from tocreview.mechanism import Mechanism
from tocreview.model import (
    Citation,
    Instrument,
    Party,
    PartyId,
    RegionalGroup,
    Roster,
    Status,
)
from tocreview.plugins import hookimpl
from tocreview.rules import RULES, Parameters
from tocreview.scenario import Scenario

__all__ = [
    "RULES",
    "Citation",
    "Draw",
    "InfeasibleDraw",
    "Instrument",
    "Mechanism",
    "Pairing",
    "Parameters",
    "Party",
    "PartyId",
    "RedrawRefused",
    "RegionalGroup",
    "Roster",
    "Scenario",
    "Status",
    "TocreviewError",
    "Violation",
    "__version__",
    "check",
    "draw",
    "hookimpl",
    "read_pairings",
    "redraw",
    "start_groups",
]
