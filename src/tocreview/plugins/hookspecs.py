"""The hooks a tocreview plugin may implement (pluggy, project name "tocreview").

A plugin is any object or module with functions marked ``@tocreview.hookimpl`` and named as
below. Third-party plugins are found through the entry-point group ``tocreview``. A hook
implementation may accept any subset of the arguments; arguments are added over time but
never renamed or removed. None of these hooks is first-result: every plugin is heard, and
the core combines the answers in an order that does not depend on registration order.
See docs/hooks.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from tocreview.draw.methods import DrawMethod
    from tocreview.draw.problem import PairingConstraint
    from tocreview.model.citation import Citation
    from tocreview.model.result import Draw
    from tocreview.plugins.model import Effect, Metric, RateChange, Variant
    from tocreview.rules.access import AccessVerdict, Actor, Document, DocumentStage
    from tocreview.rules.parameters import Parameters
    from tocreview.rules.policy import Policy

PROJECT = "tocreview"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ----- registration hooks: add named things; the core keeps naming and validation ----------

@hookspec
def register_variants(register: Callable[[Variant], None]) -> None:
    """Called once when a mechanism is built. Call ``register(variant)`` for each variant the
    plugin offers. Keys must be unique across all plugins (a duplicate is an error naming
    both plugins); the variant's policy and parameter values are validated on registration.
    """


@hookspec
def register_constraints(register: Callable[[PairingConstraint], None]) -> None:
    """Called once when a mechanism is built. Call ``register(constraint)`` for each pairing
    constraint the plugin offers. A constraint is active only in scenarios whose variants
    name it; it can only remove candidates, never add them.
    """


@hookspec
def register_draw_methods(register: Callable[[DrawMethod], None]) -> None:
    """Called once when a mechanism is built. Call ``register(method)`` for each named draw
    method; its ``distribution`` text must say what it draws from. Names are unique.
    """


@hookspec
def register_metrics(register: Callable[[Metric], None]) -> None:
    """Called once when a mechanism is built. Call ``register(metric)`` for each measure of
    a draw. A metric returns counts keyed by a label; it must not rank or score States.
    """


# ----- question hooks: every plugin answers, the core combines ----------------------------

@hookspec
def policy_effects(policy: Policy, parameters: Parameters, in_force: Mapping[str, Citation],
                   variants: tuple[str, ...]) -> list[Effect] | None:
    """Called by ``Mechanism.effects()``. Return the observable consequences of the options
    in force that this plugin knows about (or None). ``in_force`` maps every policy and
    parameter field to the citation of the value in force (the variant or override that set
    it, else the baseline's source): give each effect the citation of what produced it.
    ``variants`` are the keys of the scenario's variants, so a plugin can answer only where
    its own variant is chosen. The core sorts all effects by option and item. A third-party
    plugin's effect on an (option, item) a built-in option also answers supersedes it (the
    plugin knows its own option better); two third-party plugins giving different values for
    the same option and item is an error.
    """


@hookspec
def cost_rates(policy: Policy, parameters: Parameters,
               variants: tuple[str, ...]) -> list[RateChange] | None:
    """Called by ``Mechanism.costs()``. Return changes to the cost rates that the options in
    force make (e.g. a co-funding variant that moves translation to the reviewing State), or
    None. A scenario file's ``[rates]`` table and ``costs --rate`` apply after them; two
    plugins changing one rate to different values is an error.
    """


@hookspec
def access_verdicts(document: Document, actor: Actor, stage: DocumentStage, policy: Policy,
                    consent: bool, variants: tuple[str, ...]) -> list[AccessVerdict] | None:
    """Called by ``Mechanism.access()`` for each document, actor and stage. Return verdicts
    (allow or deny, a level of specificity, a reason, a citation) or None. ``variants`` are
    the scenario's variant keys, so a plugin's own option value (a new civil-society model,
    say) can give its verdicts only where it is chosen. The core combines all plugins'
    verdicts (most specific level wins, deny beats allow, no verdict denies) and then applies
    a ceiling no verdict can lift: a State's non-public material reaches nobody beyond its
    confidentiality without the State's consent.
    """


# ----- observer hooks ---------------------------------------------------------------------

@hookspec
def draw_completed(draw: Draw) -> None:
    """Called after every draw a mechanism makes, with the finished draw. For side effects
    (logging, publishing); the return value is ignored and the draw cannot be changed.
    """
