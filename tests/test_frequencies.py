"""The frequency check: what a draw method declares, held against its draws on the full roster.
It must pass every built-in method and catch a bias that hides from small instances."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tocreview import Mechanism, Roster, Scenario, hookimpl
from tocreview.draw.methods import METHODS, Declaration, DrawMethod
from tocreview.rules.principles import Principle
from tocreview.testing.frequencies import binomial_p_value
from tocreview.testing.principles import Verdict, check_principles

ROSTER = Roster.bundled(as_of="2020-10-16")


def _favours_france_on_big_rosters(problem, start, streams, tracer):  # type: ignore[no-untyped-def]
    """`lots`, except that on a roster of more than 50 parties France reviews whenever the
    rules let it: small instances (the relabelling check) never see the bias."""
    fill = METHODS["lots"].run(problem, start, streams, tracer)
    if len(problem.roster.parties) <= 50:
        return fill
    for place in list(fill.choices):
        if "FRA" in problem.open_mains(place) and not problem.slots(place, "FRA"):
            held = fill.take(place)
            if fill.allows_choice(place, ("FRA", ())):
                fill.put(place, ("FRA", ()))
            else:
                fill.put(place, held)
    return fill


def _mechanism(method: DrawMethod) -> Mechanism:
    class Plugin:
        @hookimpl
        def register_draw_methods(self, register: Any) -> None:
            register(method)

    return Mechanism(Scenario(), ROSTER, plugins=[Plugin()], load_entry_points=False)


def test_the_built_in_methods_keep_their_declaration() -> None:
    report = check_principles(Mechanism(Scenario(), ROSTER, load_entry_points=False))
    found = [f for f in report.findings if "reviewer frequencies" in f.detail]
    assert found and found[0].verdict is Verdict.HOLDS


def test_a_bias_only_large_rosters_show_is_caught() -> None:
    method = DrawMethod("big-france", "lots, mostly", _favours_france_on_big_rosters,
                        Declaration.EXCHANGEABLE)
    report = check_principles(_mechanism(method))
    exact = [f for f in report.findings if "small instance" in f.detail]
    assert exact and exact[0].verdict is Verdict.HOLDS  # the small instance sees nothing
    bad = report.violations()
    assert [f.principle for f in bad] == [Principle.IMPARTIAL]
    assert "'big-france'" in bad[0].detail and "FRA reviews in" in bad[0].detail


def test_a_method_that_declares_nothing_fails() -> None:
    honest = DrawMethod("undeclared", "lots under another name", METHODS["lots"].run)
    bad = check_principles(_mechanism(honest)).violations()
    assert any("declares no distribution" in f.detail for f in bad)


@given(st.integers(1, 12), st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20)),
       st.data())
def test_the_binomial_p_value_is_exact(trials: int, p: Fraction, data: st.DataObject) -> None:
    count = data.draw(st.integers(0, trials))
    # By brute force over every sequence of outcomes.
    weight: dict[int, Fraction] = {}
    for outcome in itertools.product((0, 1), repeat=trials):
        k = sum(outcome)
        weight[k] = weight.get(k, Fraction(0)) + p ** k * (1 - p) ** (trials - k)
    expected = sum((w for w in weight.values() if w <= weight[count]), Fraction(0))
    assert math.isclose(binomial_p_value(count, trials, float(p)), float(expected),
                        rel_tol=1e-9, abs_tol=1e-12)
