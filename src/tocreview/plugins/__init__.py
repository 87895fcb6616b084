"""The policy layer, and everything a plugin author needs, from one module.

A plugin marks its hook implementations with :data:`hookimpl` and registers the types below
(docs/hooks.md says which hook takes which):

- :class:`Variant`: a named alternative (policy options, parameters, constraints it switches on);
- :class:`PairingConstraint`: who may not review whom (answers True or False);
- :class:`DrawMethod`: a way to draw (``run(problem, start, streams, tracer) -> Fill``), with
  the :class:`Declaration` of its distribution that the principle suite tests;
- :class:`Metric`: counts computed from a draw (never a ranking of States);
- :class:`Effect`: what an option changes, with its citation;
- :class:`AccessVerdict`: allow or deny one actor one document at one stage;
- :class:`RateChange`: a change to one cost rate, with its citation;
- :class:`Citation` and :class:`Status`: the source of each, and how sure it is.

These names are stable; the modules they are defined in are not part of the interface.
"""

from tocreview.draw.methods import Declaration, DrawMethod
from tocreview.model.citation import Citation, Status
from tocreview.plugins.hookspecs import hookimpl
from tocreview.plugins.model import Effect, Metric, RateChange, Variant
from tocreview.rules.access import AccessVerdict
from tocreview.rules.selection import PairingConstraint

__all__ = ["AccessVerdict", "Citation", "Declaration", "DrawMethod", "Effect", "Metric",
           "PairingConstraint", "RateChange", "Status", "Variant", "hookimpl"]
