"""A typed facade over pluggy's manager: one per mechanism, never global.

It registers the built-in option plugins, then third-party plugins from the entry-point
group ``tocreview`` (filtered by the environment variables below), checks that every hook
implementation matches a spec, and calls each hook one plugin at a time so that an error
names the plugin and the hook.

- ``TOCREVIEW_LOAD_PLUGINS``: comma-separated entry-point names; only these are loaded
  (empty: none).
- ``TOCREVIEW_DISABLE_PLUGINS``: comma-separated entry-point names that are not loaded.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import entry_points
from typing import Any, TypeVar

import pluggy
from pydantic import ValidationError

from tocreview.draw.methods import METHODS, DrawMethod
from tocreview.draw.problem import PairingConstraint
from tocreview.errors import PluginError, describe, first_error
from tocreview.model.citation import Citation
from tocreview.model.result import Draw
from tocreview.plugins import hookspecs
from tocreview.plugins.model import Effect, Metric, RateChange, Variant
from tocreview.rules.access import AccessVerdict, Actor, Document, DocumentStage
from tocreview.rules.parameters import Parameters
from tocreview.rules.policy import Policy

ENTRY_POINT_GROUP = "tocreview"
LOAD_ENV = "TOCREVIEW_LOAD_PLUGINS"
DISABLE_ENV = "TOCREVIEW_DISABLE_PLUGINS"

T = TypeVar("T")


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {n.strip() for n in value.split(",") if n.strip()}


class PluginManager:
    """The plugins of one mechanism, and typed methods that call their hooks."""

    def __init__(self, plugins: Sequence[object] = (), *, load_entry_points: bool = True) -> None:
        from tocreview.plugins import builtin_process, builtin_review, builtin_selection

        self._pm = pluggy.PluginManager(hookspecs.PROJECT)
        self._pm.add_hookspecs(hookspecs)
        for module in (builtin_process, builtin_review, builtin_selection):
            for name, plugin in module.PLUGINS:
                self._register(plugin, f"builtin.{name}")
        if load_entry_points:
            self._load_entry_points()
        for index, plugin in enumerate(plugins):
            name = getattr(plugin, "__name__", None) or f"{type(plugin).__name__}-{index}"
            self._register(plugin, name)
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            name = self._pm.get_name(exc.plugin) or repr(exc.plugin)[:60]
            unknown = sorted(n for n in dir(exc.plugin) if n in _hook_like(exc.plugin)
                             and not hasattr(self._pm.hook, n))
            raise PluginError(name, "hooks", "implements a hook that does not exist: "
                              f"{', '.join(unknown) or describe(exc)}") from None
        self._cache: dict[str, Any] = {}

    def _load_entry_points(self) -> None:
        only = _names(os.environ.get(LOAD_ENV))
        blocked = _names(os.environ.get(DISABLE_ENV)) or set()
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in blocked or (only is not None and ep.name not in only):
                continue
            try:
                plugin = ep.load()
                if inspect.isclass(plugin):  # "package.module:Plugin": an instance serves
                    plugin = plugin()
            except BaseException as exc:  # a broken third-party plugin must not break silently
                if isinstance(exc, KeyboardInterrupt):
                    raise
                raise PluginError(ep.name, "entry point", f"cannot be loaded: {describe(exc)}") \
                    from None
            if not _hook_like(plugin):
                raise PluginError(ep.name, "entry point", f"{ep.value} has no function marked "
                                  "@tocreview.hookimpl; point the entry point at the module "
                                  "or class that has them (e.g. 'my_package.plugin:Plugin')")
            self._register(plugin, ep.name)

    def _register(self, plugin: object, name: str) -> None:
        try:
            self._pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            # e.g. a hook implementation taking an argument its hook does not have
            raise PluginError(name, "register", " ".join(str(exc).split())[:300]) from None
        except ValueError as exc:  # a name registered twice
            raise PluginError(name, "register", describe(exc)) from None

    @property
    def names(self) -> list[str]:
        """Registered plugin names, sorted."""
        return sorted(n for n, _ in self._pm.list_name_plugin())

    # ----- calling hooks one plugin at a time ---------------------------------------------

    def _collect(self, hook: str, kind: type[T], key: Callable[[T], str],
                 validate: Callable[[T], str | None] | None = None) -> dict[str, T]:
        found: dict[str, tuple[str, T]] = {}
        caller = getattr(self._pm.hook, hook)
        for impl in caller.get_hookimpls():
            plugin = impl.plugin_name

            def register(item: object, plugin: str = plugin) -> None:
                if not isinstance(item, kind):
                    raise PluginError(plugin, hook, f"registered {type(item).__name__}, "
                                      f"expected {kind.__name__}")
                name = key(item)
                problem = validate(item) if validate else None
                if problem:
                    raise PluginError(plugin, hook, problem)
                if name in found and found[name][0] != plugin:
                    raise PluginError(plugin, hook, f"{name!r} is already registered by "
                                      f"plugin {found[name][0]!r}")
                found[name] = (plugin, item)

            self._call(impl, hook, register=register)
        return {name: item for name, (_, item) in sorted(found.items())}

    def _call(self, impl: Any, hook: str, **kwargs: Any) -> Any:
        accepted = {k: v for k, v in kwargs.items() if k in impl.argnames}
        try:
            return impl.function(**accepted)
        except PluginError:
            raise
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # SystemExit too: a plugin never ends the program
            raise PluginError(impl.plugin_name, hook, describe(exc)) from None

    def variants(self) -> dict[str, Variant]:
        """Every registered variant by key, each validated."""
        if "variants" not in self._cache:
            self._cache["variants"] = self._collect(
                "register_variants", Variant, lambda v: v.key, _variant_problem)
        result: dict[str, Variant] = self._cache["variants"]
        return result

    def constraints(self) -> dict[str, PairingConstraint]:
        if "constraints" not in self._cache:
            self._cache["constraints"] = self._collect(
                "register_constraints", PairingConstraint, lambda c: c.id)
        result: dict[str, PairingConstraint] = self._cache["constraints"]
        return result

    def draw_methods(self) -> dict[str, DrawMethod]:
        if "methods" not in self._cache:
            extra = self._collect("register_draw_methods", DrawMethod, lambda m: m.name)
            clash = sorted(set(extra) & set(METHODS))
            if clash:
                raise PluginError("?", "register_draw_methods",
                                  f"method {clash[0]!r} is a built-in method name")
            self._cache["methods"] = {**METHODS, **extra}
        result: dict[str, DrawMethod] = self._cache["methods"]
        return result

    def metrics(self) -> dict[str, Metric]:
        if "metrics" not in self._cache:
            self._cache["metrics"] = self._collect("register_metrics", Metric, lambda m: m.name)
        result: dict[str, Metric] = self._cache["metrics"]
        return result

    def effects(self, policy: Policy, parameters: Parameters,
                in_force: Mapping[str, Citation], variants: tuple[str, ...] = ()
                ) -> list[Effect]:
        """Every plugin's effects, sorted. A third-party plugin's effect supersedes a built-in
        one on the same (option, item); two third-party plugins disagreeing is an error."""
        seen: dict[tuple[str, str], tuple[str, Effect]] = {}
        # built-ins answer first, so a third-party answer on the same slot replaces theirs
        impls = sorted(self._pm.hook.policy_effects.get_hookimpls(),
                       key=lambda i: not i.plugin_name.startswith("builtin."))
        for impl in impls:
            answer = self._call(impl, "policy_effects", policy=policy, parameters=parameters,
                                in_force=in_force, variants=variants)
            if answer is None:
                continue
            if not isinstance(answer, list) or not all(isinstance(e, Effect) for e in answer):
                raise PluginError(impl.plugin_name, "policy_effects",
                                  "must return a list of Effect or None")
            for effect in answer:
                slot = (effect.option, effect.item)
                builtin_before = slot in seen and seen[slot][0].startswith("builtin.")
                if (slot in seen and seen[slot][1].value != effect.value
                        and not (builtin_before
                                 and not impl.plugin_name.startswith("builtin."))):
                    raise PluginError(impl.plugin_name, "policy_effects",
                                      f"says {effect.item!r} is {effect.value!r} but plugin "
                                      f"{seen[slot][0]!r} says {seen[slot][1].value!r}")
                seen[slot] = (impl.plugin_name, effect)
        return [effect for _, (_, effect) in sorted(seen.items())]

    def cost_rates(self, policy: Policy, parameters: Parameters,
                   variants: tuple[str, ...]) -> list[RateChange]:
        """Every plugin's changes to the cost rates; two values for one rate is an error."""
        seen: dict[str, tuple[str, RateChange]] = {}
        for impl in self._pm.hook.cost_rates.get_hookimpls():
            answer = self._call(impl, "cost_rates", policy=policy, parameters=parameters,
                                variants=variants)
            if answer is None:
                continue
            if not isinstance(answer, list) or not all(isinstance(c, RateChange)
                                                       for c in answer):
                raise PluginError(impl.plugin_name, "cost_rates",
                                  "must return a list of RateChange or None")
            for change in answer:
                if change.name in seen and seen[change.name][1].value != change.value:
                    raise PluginError(impl.plugin_name, "cost_rates",
                                      f"sets {change.name} to {change.value} but plugin "
                                      f"{seen[change.name][0]!r} sets it to "
                                      f"{seen[change.name][1].value}")
                seen[change.name] = (impl.plugin_name, change)
        return [change for _, (_, change) in sorted(seen.items())]

    def access_verdicts(self, document: Document, actor: Actor, stage: DocumentStage,
                        policy: Policy, consent: bool, variants: tuple[str, ...] = ()
                        ) -> list[AccessVerdict]:
        """Every plugin's verdicts, each marked with the plugin's name."""
        out: list[AccessVerdict] = []
        for impl in self._pm.hook.access_verdicts.get_hookimpls():
            answer = self._call(impl, "access_verdicts", document=document, actor=actor,
                                stage=stage, policy=policy, consent=consent,
                                variants=variants)
            if answer is None:
                continue
            if not isinstance(answer, list) or not all(isinstance(v, AccessVerdict)
                                                       for v in answer):
                raise PluginError(impl.plugin_name, "access_verdicts",
                                  "must return a list of AccessVerdict or None")
            out.extend(v.model_copy(update={"source": impl.plugin_name}) for v in answer)
        return out

    def draw_completed(self, draw: Draw) -> None:
        """Tell each plugin of a finished draw. Each gets its own deep copy, so nothing it
        does can change the draw returned (or its receipt)."""
        for impl in self._pm.hook.draw_completed.get_hookimpls():
            self._call(impl, "draw_completed", draw=draw.model_copy(deep=True))


def _variant_problem(variant: Variant) -> str | None:
    """Why a variant's values are invalid, or None."""
    try:
        Policy.model_validate(variant.policy)
        Parameters.model_validate(variant.parameters)
    except ValidationError as exc:
        where, message = first_error(exc)
        return f"variant {variant.key!r}: {where}: {message}"
    return None


def _hook_like(plugin: object) -> set[str]:
    """The names on a plugin object that carry pluggy's hook-implementation marker."""
    marker = f"{hookspecs.PROJECT}_impl"
    return {n for n in dir(plugin) if hasattr(getattr(plugin, n, None), marker)}
