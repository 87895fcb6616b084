"""tocreview: the procedures and rules of the UNTOC Review Mechanism as typed, cited Python.

The public names are few and stable:

- the roster: :class:`Roster`, :class:`Party`, :class:`Instrument`, :class:`RegionalGroup`;
- citations: :class:`Citation`, :class:`Status`;
- the rules: :class:`Parameters`, the catalogue :data:`RULES`;
- the draw: :func:`draw`, :func:`redraw`, :func:`start_groups`, :func:`check`,
  :func:`read_pairings`, and the results :class:`Draw`, :class:`Pairing`;
- scenarios and options: :class:`Mechanism`, :class:`Scenario`, :data:`hookimpl` for plugins;
- errors: :class:`TocreviewError` and its subclasses, among them :class:`InfeasibleDraw`.

Importing the package is cheap: each public name is loaded from its module the first time it
is used, so the command line and applications that need one part do not pay for the rest.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from tocreview._version import __version__

# public name -> the module that defines it (the single list of what the package exports)
_WHERE = {
    "Violation": "tocreview.model.result",
    "Draw": "tocreview.model.result",
    "Pairing": "tocreview.model.result",
    "check": "tocreview.draw.check",
    "draw": "tocreview.draw.engine",
    "start_groups": "tocreview.draw.engine",
    "InfeasibleDraw": "tocreview.draw.feasibility",
    "read_pairings": "tocreview.draw.pairings_io",
    "RedrawRefused": "tocreview.draw.redraw",
    "redraw": "tocreview.draw.redraw",
    "TocreviewError": "tocreview.errors",
    "Mechanism": "tocreview.mechanism",
    "Citation": "tocreview.model.citation",
    "Status": "tocreview.model.citation",
    "Instrument": "tocreview.model.instrument",
    "Party": "tocreview.model.party",
    "PartyId": "tocreview.model.party",
    "RegionalGroup": "tocreview.model.party",
    "Roster": "tocreview.model.roster",
    "hookimpl": "tocreview.plugins.hookspecs",
    "RULES": "tocreview.rules.catalogue",
    "Parameters": "tocreview.rules.parameters",
    "Scenario": "tocreview.scenario",
}

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

if TYPE_CHECKING:
    from tocreview.draw.check import check
    from tocreview.draw.engine import draw, start_groups
    from tocreview.draw.feasibility import InfeasibleDraw
    from tocreview.draw.pairings_io import read_pairings
    from tocreview.draw.redraw import RedrawRefused, redraw
    from tocreview.errors import TocreviewError
    from tocreview.mechanism import Mechanism
    from tocreview.model.citation import Citation, Status
    from tocreview.model.instrument import Instrument
    from tocreview.model.party import Party, PartyId, RegionalGroup
    from tocreview.model.result import Draw, Pairing, Violation
    from tocreview.model.roster import Roster
    from tocreview.plugins.hookspecs import hookimpl
    from tocreview.rules.catalogue import RULES
    from tocreview.rules.parameters import Parameters
    from tocreview.scenario import Scenario


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562) and kept, so later lookups are plain attribute reads.
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tocreview' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Importing a submodule such as tocreview.draw.check would bind the subpackage to the
        # name ``draw``; the public name is the function, so the subpackage stays in sys.modules.
        if name == "draw" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
