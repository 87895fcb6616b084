"""Thirteen plugins that each hide one kind of bias, for the principle suite to catch.

Installed in the tests as one package with one entry point per class (tests/test_biased.py);
each must fail the suite for the principle named in its ``CAUGHT_BY``. Not part of the library.
"""

from __future__ import annotations

from typing import Any

from tocreview.plugins import (
    Citation,
    DrawMethod,
    Effect,
    Metric,
    PairingConstraint,
    Status,
    Variant,
    hookimpl,
)

CITE = Citation(document="a biased proposal", status=Status.PROPOSAL)


def _constraint_plugin(key: str, allows: Any) -> type:
    class Plugin:
        @hookimpl
        def register_variants(self, register: Any) -> None:
            register(Variant(key=key, option="bias", title=key, citation=CITE,
                             constraints=(f"bias.{key}",)))

        @hookimpl
        def register_constraints(self, register: Any) -> None:
            register(PairingConstraint(id=f"bias.{key}", citation=CITE, source=key,
                                       allows=allows))

    return Plugin


# 1. a named State never reviews
NeverFrance = _constraint_plugin("never-france", lambda r, s, p: r.id != "FRA")
# 2. reviewers of one regional group barred from the States of another
RegionalBar = _constraint_plugin(
    "regional-bar", lambda r, s, p: not (r.regional_group == "african"
                                         and s.regional_group == "weog"))
# 3. States whose names begin with S barred as reviewers
InitialBar = _constraint_plugin("initial-bar", lambda r, s, p: not r.name.startswith("S"))
# 4. States late in the alphabet may not review Argentina
AlphabetBar = _constraint_plugin("alphabet-bar",
                                 lambda r, s, p: not (s.id == "ARG" and r.id > "M"))


class QuietOptOut:
    """5. takes three States out of review through the opt-out parameters, declaring nothing."""

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="quiet-opt-out", option="bias", title="Tidy", citation=CITE,
                         parameters={"opt_out_clause": True,
                                     "opted_out": ["NRU", "TUV", "PLW"]}))


def _metric_plugin(name: str, compute: Any) -> type:
    class Plugin:
        @hookimpl
        def register_metrics(self, register: Any) -> None:
            register(Metric(name=name, description=name, compute=compute, source=name))

    return Plugin


def _load(draw: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in draw.pairings:
        counts[p.reviewer] = counts.get(p.reviewer, 0) + 1
    return counts


# 6. a league table under a name the keyword scan does not know
LeagueTable = _metric_plugin("workload", lambda d: {f"load {k}": v
                                                    for k, v in _load(d).items()})
# 7. a number per State, keyed by the State
PerStateCount = _metric_plugin("per-state", _load)
# 8. a ranking under its own name
Ranking = _metric_plugin("ranking", lambda d: {f"rank_{i}": i for i in range(3)})


class OrderOfMerit:
    """9. an effect that lists States in an order of merit."""

    @hookimpl
    def policy_effects(self) -> list[Effect]:
        return [Effect(option="merit", item="most diligent reviewers", value="NOR, FRA, ARG",
                       citation=CITE)]


def _alphabetical(problem: Any, start: Any, streams: Any, tracer: Any) -> Any:
    return start  # the first valid assignment in name order: who you are decides


def _favour_france(problem: Any, start: Any, streams: Any, tracer: Any) -> Any:
    # France wherever the rules allow; a trace that claims lots were drawn for it.
    fill = start.copy()
    for place in problem.places:
        held = fill.choices[place]
        if "FRA" in problem.main_pool[place] and held[0] != "FRA":
            fill.take(place)
            choice = ("FRA", tuple(pool[0] for pool in problem.slot_pools(place, "FRA")))
            fill.put(place, choice if fill.allows_choice(place, choice) else held)
        main = fill.choices[place][0]
        tracer.add(action="draw", state_under_review=place[0], side=place[1],
                   pool=problem.main_pool[place], chosen=(main,), rules=problem.static_rules,
                   stream=f"review/{place[0]}/{place[1].value}")
    return fill


def _lucky_france(problem: Any, start: Any, streams: Any, tracer: Any) -> Any:
    # Draws by lot from its own streams, truthfully traced, but France wins whenever it is in
    # the pool and the rules allow: only a check that meets France in a renaming sees it.
    fill = start.copy()
    for place in problem.places:
        lots = streams(("lucky", place[0], place[1].value))
        pool = problem.main_pool[place]
        held = fill.choices[place]
        fill.take(place)
        wanted = "FRA" if "FRA" in pool else pool[lots.below(len(pool))]
        supps = tuple(p[lots.below(len(p))] for p in problem.slot_pools(place, wanted))
        choice = (wanted, supps)
        fill.put(place, choice if fill.allows_choice(place, choice) else held)
        tracer.add(action="draw", state_under_review=place[0], side=place[1], pool=pool,
                   chosen=(fill.choices[place][0],), rules=problem.static_rules,
                   stream=f"lucky/{place[0]}/{place[1].value}")
    return fill


def _method_plugin(name: str, run: Any) -> type:
    class Plugin:
        @hookimpl
        def register_draw_methods(self, register: Any) -> None:
            register(DrawMethod(name=name, distribution="whatever it likes", run=run))

    return Plugin


# 10. the first valid assignment in name order
Alphabetical = _method_plugin("alphabetical", _alphabetical)
# 11. France whenever the rules allow, with a trace that claims lots
FavourFrance = _method_plugin("favour-france", _favour_france)
# 12. the same without any trace at all
Untraced = _method_plugin("untraced", lambda problem, start, streams, tracer: start)
# 13. lots from its own streams, traced, but France first whenever allowed
LuckyFrance = _method_plugin("lucky-france", _lucky_france)

CAUGHT_BY = {
    "never_france": ("impartial", {"variants": ["never-france"]}),
    "regional_bar": ("impartial", {"variants": ["regional-bar"]}),
    "initial_bar": ("impartial", {"variants": ["initial-bar"]}),
    "alphabet_bar": ("impartial", {"variants": ["alphabet-bar"]}),
    "quiet_opt_out": ("non-selective", {"variants": ["quiet-opt-out"]}),
    "league_table": ("no ranking", {}),
    "per_state_count": ("no ranking", {}),
    "ranking": ("no ranking", {}),
    "order_of_merit": ("no ranking", {}),
    "alphabetical": ("impartial", {"method": "alphabetical"}),
    "favour_france": ("transparent", {"method": "favour-france"}),
    "untraced": ("transparent", {"method": "untraced"}),
    "lucky_france": ("impartial", {"method": "lucky-france"}),
}
"""Entry point name -> (the principle that must fail, how to run the suite)."""

CLASSES = {
    "never_france": "NeverFrance", "regional_bar": "RegionalBar", "initial_bar": "InitialBar",
    "alphabet_bar": "AlphabetBar", "quiet_opt_out": "QuietOptOut",
    "league_table": "LeagueTable", "per_state_count": "PerStateCount", "ranking": "Ranking",
    "order_of_merit": "OrderOfMerit", "alphabetical": "Alphabetical",
    "favour_france": "FavourFrance", "untraced": "Untraced", "lucky_france": "LuckyFrance",
}
