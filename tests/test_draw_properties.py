"""Properties of the draw over generated instances (hypothesis, built constructively)."""

from __future__ import annotations

import pytest
from budget import examples
from drawkit import Instance, groups_of, instances, valid_outcomes
from hypothesis import given, settings

from tocreview.draw.check import check
from tocreview.draw.engine import draw
from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.methods import SamplingExhausted


def _draw(inst: Instance, method: str, seed: str):  # type: ignore[no-untyped-def]
    return draw(inst.roster, inst.params, group=1, seed=seed, method=method,
                history=inst.history, groups=groups_of(inst.surs))


@settings(max_examples=examples(60))
@given(instances(), )
@pytest.mark.parametrize("method", ["sequential", "uniform", "lots"])
def test_feasible_always_draws_valid_and_infeasible_always_raises(method: str,
                                                                   inst: Instance) -> None:
    valid = valid_outcomes(inst.roster, inst.surs, inst.params, inst.history)
    try:
        result = _draw(inst, method, "p")
    except InfeasibleDraw as exc:
        assert not valid, "the engine called a feasible instance infeasible"
        # The witness really binds: its States alone cannot be given valid reviewers.
        witness_surs = sorted({s for s, _ in exc.witness.places})
        assert witness_surs
        assert not valid_outcomes(inst.roster, witness_surs, inst.params, inst.history)
        assert exc.witness.rules and exc.witness.explanation
        return
    except SamplingExhausted:
        assert method in ("uniform", "lots") and valid
        return
    assert valid, "the engine drew where the oracle finds no valid assignment"
    # Every hard rule holds, checked by the independent checker.
    assert check(result.pairings, inst.roster, inst.params, history=inst.history) == []
    # Non-selective: every State under review gets reviewers for every instrument it is party
    # to, one from its group and one from another.
    for sur in inst.surs:
        wanted = inst.roster.get(sur).instruments()
        got = result.reviewers_of(sur)
        assert set(got) == set(wanted)
        assert all(len(reviewers) == 2 for reviewers in got.values())
    assert frozenset((p.under_review, p.reviewer, p.instrument.value)
                     for p in result.pairings) in valid


@settings(max_examples=examples(30))
@given(instances())
@pytest.mark.parametrize("method", ["sequential", "uniform", "lots"])
def test_same_inputs_same_draw_and_receipt(method: str, inst: Instance) -> None:
    try:
        one = _draw(inst, method, "seed-1")
    except (InfeasibleDraw, SamplingExhausted):
        return
    two = _draw(inst, method, "seed-1")
    assert one == two
    assert one.receipt.result_hash == two.receipt.result_hash
    assert one.receipt.inputs_hash == two.receipt.inputs_hash
