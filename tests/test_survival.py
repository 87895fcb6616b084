"""The witness a rejection method gives when it finds no draw: how far its attempts got, and
how rare a valid draw is at the rate they were lost."""

from __future__ import annotations

import math
import pickle
import random
from collections import Counter
from pathlib import Path

import pytest

from tocreview import Roster
from tocreview.cli import main
from tocreview.draw.kernel import Kernel
from tocreview.draw.methods import SamplingExhausted
from tocreview.draw.survival import SEEN_ENOUGH, Survival
from tocreview.rules import Parameters


def test_counts_read_exactly() -> None:
    # 5 attempts lost at the first State, 3 after one State, 2 after four.
    survival = Survival.of(6, Counter({0: 5, 1: 3, 4: 2}))
    assert survival.attempts == 10
    assert survival.furthest == 4
    assert survival.median == 0  # half the attempts were lost at the first State
    assert [survival.reaching(j) for j in range(6)] == [10, 5, 2, 2, 2, 0]
    assert survival.rate() is None  # fewer attempts than it takes to say
    assert "half were lost by State 1 and none placed more than 4" in survival.words()


@pytest.mark.parametrize("keep", [0.5, 0.7, 0.8])
def test_estimate_recovers_a_known_rate(keep: float) -> None:
    """Attempts that keep each of 40 States with a known chance: the estimated share of
    attempts placing all 40 is that chance to the 40th power (within sampling error). The
    chances are low enough that no attempt places all 40 in practice (a method stops at
    the first that does, so its witness only ever counts lost attempts)."""
    chance = random.Random(f"survival {keep}")
    states, placed = 40, Counter[int]()
    for _ in range(50_000):
        j = 0
        while j < states and chance.random() < keep:
            j += 1
        if j < states:
            placed[j] += 1
    survival = Survival.of(states, placed)
    found = survival.rate()
    assert found is not None
    j, rate = found
    assert survival.reaching(j) >= SEEN_ENOUGH
    assert rate == pytest.approx(keep, abs=0.02)
    exponent = survival.log10_valid_share()
    assert exponent is not None
    assert exponent == pytest.approx(states * math.log10(keep), abs=0.5)


def test_advice_follows_the_estimate() -> None:
    # Each State keeps about half the attempts: 2^-10 is within reach of more attempts,
    # 2^-60 is not.
    near = Survival.of(10, Counter({j: 1000 >> (j + 1) for j in range(9)}))
    far = Survival.of(60, Counter({j: 1000 >> (j + 1) for j in range(9)}))
    assert "or raise max_uniform_attempts" in near.words()
    assert "too hopeful" not in near.words() + far.words()
    # At 1 in 2^6, the ~1,000 attempts made would have found a valid draw: the rate the
    # first States kept cannot hold for the later ones, and the witness says so.
    hopeful = Survival.of(6, Counter({j: 1000 >> (j + 1) for j in range(6)}))
    assert "too hopeful here" in hopeful.words()
    assert "more than the 10,000,000 attempts the parameters allow" in far.words()


def test_a_large_roster_share_past_a_float_is_still_said() -> None:
    # 5,000 States each keeping about half the attempts: one in 10^1500, beyond a float.
    # The advice must still be given (it once raised OverflowError instead).
    huge = Survival.of(5000, Counter({j: 10_000 >> (j + 1) for j in range(13)}))
    exponent = huge.log10_valid_share()
    assert exponent is not None and exponent < -1000
    assert f"10^{-exponent:.0f} would be valid" in huge.words()
    assert "more than the 10,000,000 attempts" in huge.words()


@pytest.mark.parametrize("method", ["lots", "uniform"])
def test_cap_of_one_says_why_with_its_witness(method: str) -> None:
    """Under a cap of one review per reviewer on the full roster, rejection cannot draw: the
    error carries where the attempts were lost, and the estimate is beyond any budget."""
    roster = Roster.bundled(as_of="2020-10-16")
    kernel = Kernel(roster, Parameters(max_reviews_per_reviewer=1, max_uniform_attempts=1500))
    groups = kernel.start_groups(0)
    with pytest.raises(SamplingExhausted) as raised:
        kernel.pairings(group=1, seed=0, method=method, groups=groups)
    survival = raised.value.survival
    assert survival is not None
    assert survival.states == len(groups.group(1))
    assert 0 < survival.attempts <= 1500
    assert survival.furthest < survival.states
    exponent = survival.log10_valid_share()
    # Valid draws are far rarer than the attempts made could find.
    assert exponent is not None and 10 ** -exponent > 50 * 1500
    assert "use 'sequential'" in str(raised.value)
    again = pickle.loads(pickle.dumps(raised.value))  # a worker sends it back whole
    assert again.survival == survival and str(again) == str(raised.value)


def test_the_command_line_shows_the_verdict(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The command line prints an error on one line, shortened: the verdict comes first, so
    what to do is never cut off."""
    scenario = tmp_path / "cap.toml"
    scenario.write_text("[overrides]\nmax_reviews_per_reviewer = 1\n"
                        "max_uniform_attempts = 1500\n")
    status = main(["draw", "--group", "1", "--seed", "0", "--as-of", "2020-10-16",
                   "--method", "lots", "--scenario", str(scenario)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("tocreview: error: 'lots' found no draw") and err.count("\n") == 1
    assert "would be valid" in err and "use 'sequential'" in err
