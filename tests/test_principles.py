"""The principle suite: passes on the adopted rules and every built-in option, reports what
options trade away, and catches biased plugins with the principle and a minimal example."""

from __future__ import annotations

from typing import Any

import pytest

from tocreview import Mechanism, RegionalGroup, Roster, Scenario, hookimpl
from tocreview.draw.methods import METHODS, DrawMethod
from tocreview.draw.problem import PairingConstraint
from tocreview.model import Citation, Status
from tocreview.model.result import Role
from tocreview.plugins.model import Metric, Variant
from tocreview.rules.principles import Principle
from tocreview.testing.principles import Verdict, assert_principles, check_principles

ROSTER = Roster.bundled(as_of="2020-10-16")
CITE = Citation(document="biased test plugin", status=Status.PROPOSAL)
BUILTIN = sorted(Mechanism(Scenario(), ROSTER, load_entry_points=False).variants())


def mech(*variants: str, plugins: list[object] | None = None, **overrides: Any) -> Mechanism:
    return Mechanism(Scenario(variants=variants, overrides=overrides), ROSTER,
                     plugins=plugins or [], load_entry_points=False)


def test_adopted_rules_keep_every_principle() -> None:
    report = assert_principles(mech(), allow_traded=False)
    assert {f.principle for f in report.findings} == set(Principle)


@pytest.mark.parametrize("variant", BUILTIN)
def test_every_builtin_option_passes_and_says_what_it_trades(variant: str) -> None:
    overrides = {"opted_out": ["FRA"]} if variant == "opt-out-clause" else {}
    report = assert_principles(mech(variant, **overrides))
    if variant == "opt-out-clause":
        assert report.traded() == {Principle.INCLUSIVE}
        assert "FRA" in next(f.detail for f in report.findings if f.verdict is Verdict.TRADED)
    elif variant == "no-civil-society":
        assert report.traded() == {Principle.INCLUSIVE}
    else:
        assert report.traded() == set()


class NeverFrance:
    """Biased: France never reviews anyone."""

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="never-france", option="bias", title="t", citation=CITE,
                         constraints=("bias.never_france",)))

    @hookimpl
    def register_constraints(self, register: Any) -> None:
        register(PairingConstraint(id="bias.never_france", citation=CITE, source="bias",
                                   allows=lambda r, s, p: r.id != "FRA"))


def test_a_plugin_that_never_picks_a_state_is_caught() -> None:
    with pytest.raises(AssertionError) as info:
        assert_principles(mech("never-france", plugins=[NeverFrance()]))
    message = str(info.value)
    assert "impartial (violated)" in message
    assert "minimal example: FRA and" in message or "and FRA stand in the same relation" in message
    assert "bias.never_france" in message


class RanksReviewers:
    @hookimpl
    def register_metrics(self, register: Any) -> None:
        def league(draw: Any) -> dict[str, int]:
            counts: dict[str, int] = {}
            for p in draw.pairings:
                counts[p.reviewer] = counts.get(p.reviewer, 0) + 1
            return counts

        register(Metric(name="busiest", description="reviews per State", compute=league))


def test_a_plugin_that_ranks_is_caught() -> None:
    report = check_principles(mech(plugins=[RanksReviewers()]))
    assert report.verdict(Principle.NO_RANKING) is Verdict.VIOLATED
    finding = next(f for f in report.violations() if f.principle is Principle.NO_RANKING)
    assert "metrics['busiest']" in (finding.example or "")


class HiddenLeagueTable:
    """Biased: a metric whose keys carry State ids (a league table under an innocent name)."""

    @hookimpl
    def register_metrics(self, register: Any) -> None:
        def busy(draw: Any) -> dict[str, int]:
            counts: dict[str, int] = {}
            for p in draw.pairings:
                counts[f"load {p.reviewer}"] = counts.get(f"load {p.reviewer}", 0) + 1
            return counts

        register(Metric(name="workload", description="reviews per reviewing State",
                        compute=busy))


class OrderedEffect:
    """Biased: an effect whose text lists States in an order of merit."""

    @hookimpl
    def policy_effects(self) -> list[Any]:
        from tocreview.plugins import Effect

        return [Effect(option="merit", item="best reviewers", value="NOR, FRA, ARG",
                       citation=CITE)]


@pytest.mark.parametrize("plugin", [HiddenLeagueTable(), OrderedEffect()],
                         ids=["metric keys", "effect text"])
def test_rankings_are_caught_by_their_shape_whatever_the_key(plugin: object) -> None:
    report = check_principles(mech(plugins=[plugin]))
    assert report.verdict(Principle.NO_RANKING) is Verdict.VIOLATED
    finding = next(f for f in report.violations() if f.principle is Principle.NO_RANKING)
    assert "single States" in finding.detail


def _first_in_pool(problem: Any, start: Any, streams: Any, tracer: Any) -> Any:
    # Takes the alphabetically first valid completion: who you are decides.
    return start


class FirstComeMethod:
    @hookimpl
    def register_draw_methods(self, register: Any) -> None:
        register(DrawMethod("alphabetical", "the first valid assignment in name order",
                            _first_in_pool))


def test_a_draw_method_that_favours_names_is_caught_exactly() -> None:
    report = check_principles(mech(plugins=[FirstComeMethod()]))
    bad = [f for f in report.violations() if f.principle is Principle.IMPARTIAL]
    assert bad and "'alphabetical'" in bad[0].detail and "PAA under review" in (bad[0].example or "")
    assert "alphabetical" not in METHODS  # the plugin did not leak into the global table


class QuietOptOut:
    """Biased: a variant that takes one State out of review through the opt-out parameters
    and declares nothing."""

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="quiet", option="tidy", title="Tidy up", citation=CITE,
                         parameters={"opt_out_clause": True, "opted_out": ["FRA"]}))


def test_a_state_left_out_without_a_declared_trade_fails_non_selective() -> None:
    report = check_principles(mech("quiet", plugins=[QuietOptOut()]))
    finding = next(f for f in report.violations() if f.principle is Principle.NON_SELECTIVE)
    assert "FRA not reviewed" in (finding.example or "")
    assert "biased test plugin" in (finding.example or "")


class NoAfricanReviewersForWeog:
    """Biased: reviewers of one regional group may not review States of another group."""

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="regional-bar", option="bias", title="t", citation=CITE,
                         constraints=("bias.regional_bar",)))

    @hookimpl
    def register_constraints(self, register: Any) -> None:
        def allows(r: Any, s: Any, p: Any) -> bool:
            return not (r.regional_group is RegionalGroup.AFRICAN
                        and s.regional_group is RegionalGroup.WEOG)

        register(PairingConstraint(id="bias.regional_bar", citation=CITE, source="regional-bar",
                                   allows=allows))


def test_group_based_discrimination_fails_impartial_naming_the_constraint() -> None:
    report = check_principles(mech("regional-bar", plugins=[NoAfricanReviewersForWeog()]))
    finding = next(f for f in report.violations() if f.principle is Principle.IMPARTIAL)
    assert "bias.regional_bar (plugin regional-bar)" in finding.detail


class LowerCaseLeagueTable:
    """Biased: a league table whose keys are lower-case codes, so no key names a State id."""

    @hookimpl
    def register_metrics(self, register: Any) -> None:
        def load(draw: Any) -> dict[str, int]:
            counts: dict[str, int] = {}
            for p in draw.pairings:
                counts[p.reviewer.lower()] = counts.get(p.reviewer.lower(), 0) + 1
            return counts

        register(Metric(name="tally", description="d", compute=load))


def test_a_league_table_with_disguised_keys_is_caught_by_its_size() -> None:
    report = check_principles(mech(plugins=[LowerCaseLeagueTable()]))
    finding = next(f for f in report.violations() if f.principle is Principle.NO_RANKING)
    assert "about one count per State" in finding.detail


def _narrowed(only: Role | None) -> Any:
    """A method that draws properly, then rewrites its trace so each lot (or each lot of one
    role) seems drawn from its choice alone: the auditor re-derives such a lot (below(1) is
    0), so only the pool check can see it."""

    def run(problem: Any, start: Any, streams: Any, tracer: Any) -> Any:
        fill = METHODS["sequential"].run(problem, start, streams, tracer)
        tracer.entries[:] = [e.model_copy(update={"pool": e.chosen[:1], "set_aside": (),
                                                  "pool_from": None, "pool_less": ()})
                             if e.action == "draw" and only in (None, e.role) else e
                             for e in tracer.entries]
        return fill

    return run


def _narrow_listed_pools(problem: Any, start: Any, streams: Any, tracer: Any) -> Any:
    # The same cheat in the listed-pool format: each lot keeps naming its list, but leaves
    # out of it everyone except the one it chose, so the auditor re-derives it (below(1)).
    fill = METHODS["sequential"].run(problem, start, streams, tracer)
    entries = tracer.entries

    def narrowed(e: Any) -> Any:
        if e.action != "draw" or e.pool_from is None:
            return e
        listed = entries[e.pool_from - 1].pool
        return e.model_copy(update={"set_aside": (), "pool_less": tuple(
            m for m in listed if m != e.chosen[0])})

    tracer.entries[:] = [narrowed(e) for e in entries]
    return fill


def _stray_main(problem: Any, start: Any, streams: Any, tracer: Any) -> Any:
    # Draws properly, then names in its trace a main reviewer from outside the place's pool
    # before a supplementary lot: the suite must say so, not fail on the slots of a State it
    # does not know.
    fill = METHODS["sequential"].run(problem, start, streams, tracer)
    entries = tracer.entries
    first = next((i for i, e in enumerate(entries) if e.role is Role.SUPPLEMENTARY), None)
    if first is not None:
        main = max(i for i, e in enumerate(entries[:first]) if e.role is Role.MAIN)
        entries[main] = entries[main].model_copy(update={"chosen": ("ZZZ",)})
    return fill


class TraceCheat:
    """A plugin adding one draw method whose trace lies (the method itself draws fairly)."""

    def __init__(self, run: Any) -> None:
        self.run = run

    @hookimpl
    def register_draw_methods(self, register: Any) -> None:
        register(DrawMethod("cheat", "sequential, with a trace that lies", self.run))


@pytest.mark.parametrize(("cheat", "said"), [
    (_narrowed(None), "not the place's pool"),
    (_narrow_listed_pools, "not the place's pool"),
    (_narrowed(Role.SUPPLEMENTARY), "not the slot's pool"),
    (_stray_main, "has no slot"),
], ids=["hidden pools", "hidden listed pools", "hidden supplementary pools", "stranger"])
def test_a_trace_that_lies_about_its_pools_fails_transparent(cheat: Any, said: str) -> None:
    report = check_principles(mech(plugins=[TraceCheat(cheat)]), method="cheat")
    finding = next(f for f in report.violations() if f.principle is Principle.TRANSPARENT)
    assert said in finding.detail
