"""Golden draws: fixed seeds whose results are stored, so any change to the generator, the
rules or the bundled data shows here. If a change is intended, update the values and say why
in the commit message."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from tocreview import Roster
from tocreview.draw.engine import draw
from tocreview.draw.rng import Stream, shuffled
from tocreview.rules.parameters import Parameters, SupplementaryDraw

ROSTER = Roster.bundled(as_of="2020-10-16")


def test_generator_known_answer() -> None:
    # Re-derived with hashlib alone, as an auditor would (docs/randomness.md).
    block = hashlib.sha256(b"tocreview-lots-v1\x0042\x00order\x00" + (0).to_bytes(8, "big"))
    words = [int.from_bytes(block.digest()[i:i + 8], "big") for i in (0, 8, 16, 24)]
    limit = 2**64 - (2**64 % 1000)
    expected = [w % 1000 for w in words if w < limit][:4]
    stream = Stream("42", ("order",))
    assert [stream.below(1000) for _ in range(4)] == expected == [555, 881, 915, 624]


def test_below_rejects_the_biased_tail() -> None:
    stream = Stream("x", ("k",))
    # Words are used in order; 2**64 - 1 lies in the rejected tail for n = 3 (2**64 % 3 == 1).
    stream._buffer = [5, 2**64 - 1]  # popped from the end: first 2**64 - 1, then 5
    assert stream.below(3) == 5 % 3
    assert stream.used == 1


def test_shuffle_is_fisher_yates_on_the_stream() -> None:
    items = list(range(6))
    stream = Stream("x", ("k",))
    expected = list(items)
    reference = Stream("x", ("k",))
    for i in range(len(expected) - 1, 0, -1):
        j = reference.below(i + 1)
        expected[i], expected[j] = expected[j], expected[i]
    assert shuffled(items, stream) == expected


def test_golden_sequential_group_1() -> None:
    result = draw(ROSTER, group=1, seed="2020-golden", method="sequential")
    assert result.receipt.result_hash == (
        "e20a0dbe51b6ce95ca1a4501f866a047f0df1f2c6cdb4bed6305c513d90b8258")
    reviewers = result.reviewers_of("ARG")
    # same-group reviewer first (ARG and BLZ, DOM are Latin American and Caribbean States)
    assert reviewers["convention"] == ["BLZ", "FRA"]  # type: ignore[index]
    assert reviewers["firearms"] == ["DOM", "KHM"]  # type: ignore[index]


def test_golden_sequential_one_for_all_missing_is_the_earlier_draw() -> None:
    # The earlier behaviour, kept as a named alternative, draws exactly what it drew before
    # supplementary reviewers per missing instrument became the default.
    one_for_all = Parameters(supplementary_draw=SupplementaryDraw.ONE_FOR_ALL_MISSING)
    result = draw(ROSTER, one_for_all, group=1, seed="2020-golden", method="sequential")
    assert result.receipt.result_hash == (
        "049827b88396660e43ec956a38fa8dadf314183e6a247125c4c9c08cb476fca3")


def test_golden_uniform_group_1() -> None:
    result = draw(ROSTER, group=1, seed="2020-golden", method="uniform")
    assert result.receipt.result_hash == (
        "ce696a89bd186a8b3bd8390e9b85c4ff166f5a4670b798c126007389f312829e")


def test_golden_lots_group_1() -> None:
    result = draw(ROSTER, group=1, seed="2020-golden", method="lots")
    assert result.receipt.result_hash == (
        "dc764dc7c7924146872183790094ef24beafd7d8c6e25b4f6a7ce5b5ebf2b1b6")


def test_golden_group_2_with_history() -> None:
    one = draw(ROSTER, group=1, seed="2020-golden")
    two = draw(ROSTER, group=2, seed="2020-golden", history=one.pairings, as_of="2021-11-01")
    assert two.receipt.result_hash == (
        "85db38534f29bef353d2eaf629e96c60aa3f10d517af125f40084a9bc479d256")
    # No mutual review across the two years.
    earlier = {(p.under_review, p.reviewer) for p in one.pairings}
    assert not any((p.reviewer, p.under_review) in earlier for p in two.pairings)


def test_hash_is_the_same_in_another_process() -> None:
    # Set iteration order differs between processes; the receipt must not depend on it.
    code = (
        "from tocreview import Roster; from tocreview.draw.engine import draw;"
        "r = Roster.bundled(as_of='2020-10-16');"
        "print(draw(r, group=3, seed='s', excluded=['FRA', 'DEU', 'ITA']).receipt.inputs_hash)"
    )
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={"PYTHONHASHSEED": str(n), "PATH": ""}, check=True).stdout
        for n in (1, 2)
    }
    assert len(outs) == 1
