"""The auditor of tocreview.testing.audit re-derives draws with hashlib alone, and catches
a trace that does not follow from its seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tocreview import Roster, draw
from tocreview.cli import main
from tocreview.testing import audit

ROSTER = Roster.bundled(as_of="2020-10-16")


def test_the_auditor_imports_nothing_of_the_library() -> None:
    source = Path(audit.__file__).read_text(encoding="utf-8")
    assert "import tocreview" not in source and "from tocreview" not in source
    assert "pydantic" not in source.split('"""', 2)[2]


@pytest.mark.parametrize("seed", ["2020", "s", "ünïcode"])
def test_every_sequential_lot_re_derives(seed: str) -> None:
    result = draw(ROSTER, group=1, seed=seed).model_dump(mode="json")
    found = audit.rederive(result)
    assert found.ok, found.mismatches[:2]
    draws = sum(1 for t in result["trace"] if t["action"] == "draw")
    assert found.rederived == draws + 1 + 5  # every draw, the order, five regional shuffles
    assert found.not_rederived == 0


def test_a_forged_lot_is_caught() -> None:
    result = draw(ROSTER, group=1, seed="2020").model_dump(mode="json")
    entry = next(t for t in result["trace"] if t["action"] == "draw")
    listed = result["trace"][entry["pool_from"] - 1]["pool"]  # the list it draws from
    other = next(c for c in listed if c not in (entry["chosen"][0], *entry["pool_less"]))
    entry["chosen"] = [other]  # a method that picks whom it likes and writes a plausible trace
    found = audit.rederive(result)
    assert not found.ok and f"the trace says {other}" in found.mismatches[0]
    # The forged trace no longer matches the pairings either.
    assert any("the trace drew " + other in m for m in found.mismatches)
    order = next(t for t in result["trace"] if t["action"] == "order")
    order["chosen"] = sorted(order["chosen"])
    assert len(audit.rederive(result).mismatches) == 3


@pytest.mark.parametrize("method", ["sequential", "uniform", "lots"])
def test_pairings_that_differ_from_their_trace_are_caught(method: str) -> None:
    # A method that draws honest lots, traces them, then hands back another reviewer (only
    # when the principle suite is not looking) is caught by auditing the published draw.
    result = draw(ROSTER, group=1, seed="2020", method=method).model_dump(mode="json")
    assert audit.rederive(result).ok
    main = next(p for p in result["pairings"] if p["role"] == "main")
    swapped = next(p["reviewer"] for p in result["pairings"] if p["reviewer"] != main["reviewer"])
    for p in result["pairings"]:
        if p["role"] == "main" and p["under_review"] == main["under_review"] \
                and p["side"] == main["side"]:
            p["reviewer"] = swapped
    found = audit.rederive(result)
    assert not found.ok and f"the pairings name {swapped}" in found.mismatches[0]


def test_other_methods_are_counted_not_rederived() -> None:
    found = audit.rederive(draw(ROSTER, group=1, seed="2020", method="lots")
                           .model_dump(mode="json"))
    assert found.ok and found.not_rederived > 0


def test_the_inputs_hash_recomputes_from_the_json_outputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def run(*argv: str) -> dict[str, object]:
        assert main(list(argv)) == 0
        data: dict[str, object] = json.loads(capsys.readouterr().out)["data"]
        return data

    roster = run("roster", "--as-of", "2020-10-16", "--format", "json")
    rules = run("rules", "--format", "json")
    result = run("draw", "--group", "2", "--seed", "x", "--as-of", "2020-10-16", "--format",
                 "json")
    parameters = {k: v["value"] for k, v in rules["parameters"].items()}  # type: ignore[attr-defined]
    receipt = result["receipt"]
    assert audit.inputs_hash(roster, parameters, result["request"],  # type: ignore[arg-type]
                             receipt["scenario"]) == receipt["inputs_hash"]  # type: ignore[index]


@pytest.mark.parametrize("method", ["sequential", "uniform", "lots"])
def test_a_list_of_candidates_is_written_once_and_each_lot_names_it(method: str) -> None:
    from tocreview import Parameters
    from tocreview.draw.problem import build_problem

    one = draw(ROSTER, group=1, seed="lists", method=method)
    result = draw(ROSTER, group=2, seed="lists", method=method, history=one.pairings)
    problem = build_problem(ROSTER, Parameters(), result.request)
    lists = [t for t in result.trace if t.action == "pool"]
    draws = [t for t in result.trace if t.action == "draw" and t.role is not None]
    # One per class of places (side, regional group, instruments wanted), not one per place.
    assert lists and len(lists) * 2 < len(draws)
    for entry in draws:
        place = (entry.state_under_review, entry.side)
        if entry.role.value == "main":
            expected = problem.open_mains(place) if method == "sequential" \
                else problem.main_pool[place]
            assert entry.pool_from is not None and not entry.pool
            assert result.pool_of(entry) == tuple(expected)
            # what a place leaves out: itself and the States it reviewed in group 1
            assert len(entry.pool_less) <= 1 + len(one.pairings)
    written = sum(len(t.pool) + len(t.pool_less) for t in result.trace)
    listed_out = sum(len(result.pool_of(t)) for t in draws)
    assert written * 2 < listed_out  # the old format wrote every pool out in full


def test_a_lot_naming_no_listed_pool_is_refused_and_caught() -> None:
    from pydantic import ValidationError

    from tocreview.model.result import Draw

    data = draw(ROSTER, group=1, seed="lists").model_dump(mode="json")
    entry = next(t for t in data["trace"] if t.get("pool_from"))
    entry["pool_from"] = entry["step"] - 1 if data["trace"][entry["step"] - 2]["action"] \
        != "pool" else entry["step"]  # a step that is not an earlier 'pool' entry
    with pytest.raises(ValidationError, match="is not an earlier 'pool' entry"):
        Draw.model_validate(data)
    assert any("is not an earlier 'pool' entry" in m for m in audit.rederive(data).mismatches)
    renumbered = draw(ROSTER, group=1, seed="lists").model_dump(mode="json")
    renumbered["trace"][3]["step"] = 99
    with pytest.raises(ValidationError, match="numbered step 99"):
        Draw.model_validate(renumbered)
