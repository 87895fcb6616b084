"""The fuzz suite: malformed inputs of every kind through the library and the command line.

Each input must end in a valid result or a clean, typed error (a ``TocreviewError``, or
pydantic's ``ValidationError`` from the API); never a traceback (any other exception fails the
test), a hang (an alarm fails it after 20 s) or a partial file. The inputs are valid files
mutated at the byte, line and cell level, hostile values put in their cells, and the corpus in
tests/corpus/. The counts are printed at the end of the run.

Profiles: the default runs a few dozen inputs per kind; ``TOCREVIEW_FUZZ=long`` runs 1,500 per
kind (over 10,000 in all), on demand.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fuzzcount import record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tocreview.cli import main
from tocreview.draw.pairings_io import read_pairings, read_start_groups
from tocreview.errors import TocreviewError
from tocreview.mechanism import Mechanism
from tocreview.model.roster import Roster
from tocreview.scenario import Scenario

LONG = os.environ.get("TOCREVIEW_FUZZ") == "long"
EXAMPLES = 1_500 if LONG else 30
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG,
                suppress_health_check=list(HealthCheck))
CORPUS = Path(__file__).parent / "corpus"

BUNDLED = Roster.bundled(as_of="2020-10-16")
SMALL = Roster.build([p for p in BUNDLED.parties if p.id in {
    "ARG", "BRA", "CHL", "FRA", "DEU", "NGA", "KEN", "EGY", "IND", "JPN", "POL", "RUS"}],
    as_of=BUNDLED.as_of, data_valid_for=BUNDLED.data_valid_for)
SEEDS = {
    "roster.csv": SMALL.to_csv(),
    "roster.json": SMALL.to_json(),
    "pairings.csv": "under_review,reviewer,instrument,side,role\n"
                    "ARG,NGA,convention,other_group,main\nARG,CHL,convention,same_group,main\n"
                    "BRA,CHL,tip,same_group,main\nFRA,POL,convention,other_group,main\n",
    "pairings.json": '{"pairings": [{"under_review": "ARG", "reviewer": "NGA", '
                     '"instrument": "convention", "side": "other_group", "role": "main"}]}',
    "groups.csv": "party,group\nARG,1\nBRA,2\nCHL,3\nFRA,1\nDEU,2\nNGA,3\n",
    "scenario.toml": 'baseline = "untoc-2018"\nvariants = ["marrakech", "opt-out-clause"]\n'
                     '[overrides]\nopted_out = ["FRA"]\nredraw_limit = 3\n',
}
HOSTILE = ["", " ", "\u00b2", "9" * 400, "1e400", "nan", "inf", "-1", "0", "2020-02-30",
           "2020-13-01", "2020", "2020-W01", "9999-12-31", "\x00", "\udcff", "XYZ", "true",
           "None", "null", "[]", "{}", '"', "'", ",", ";", "\n", "?", "? not before x",
           "party by 2020-02-30", "a" * 5000, "\u202e", "EUU", "\t", "#", "[[", "{{"]


@contextlib.contextmanager
def alarm(seconds: int = 20) -> Iterator[None]:
    def stop(*_: object) -> None:
        raise TimeoutError("the input made the library hang")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def outcome(kind: str, call: Callable[[], Any]) -> None:
    """Run one input: a valid result or a typed error; anything else fails the test."""
    with alarm():
        try:
            call()
        except (TocreviewError, ValidationError):
            record(kind, "clean error")
            return
    record(kind, "valid result")


def run_cli(kind: str, argv: list[str], workdir: Path) -> None:
    """The command line: status 0, 1 or 2 with one line of error, no traceback, no partial
    file; status 70 (our bug) fails."""
    out, err = io.StringIO(), io.StringIO()
    with alarm(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 1, 2), (argv, err.getvalue()[-500:])
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().count("tocreview: error:") == 1
    assert not [p for p in workdir.rglob("*") if "partial" in p.name]
    record(kind, "clean error" if code == 2 else "valid result")


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> bytes:
    """A valid file changed at the byte, line or cell level."""
    data = seed.encode("utf-8")
    how = draw(st.sampled_from(["bytes", "line", "cell", "truncate", "grow"]))
    if how == "bytes":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            data = data[:at] + draw(st.binary(min_size=0, max_size=4)) + data[at + 1:]
    elif how == "line":
        rows = data.split(b"\n")
        at = draw(st.integers(0, len(rows) - 1))
        action = draw(st.sampled_from(["drop", "double", "swap"]))
        if action == "drop":
            rows.pop(at)
        elif action == "double":
            rows.insert(at, rows[at])
        else:
            other = draw(st.integers(0, len(rows) - 1))
            rows[at], rows[other] = rows[other], rows[at]
        data = b"\n".join(rows)
    elif how == "cell":
        text = data.decode("utf-8")
        separators = [i for i, c in enumerate(text) if c in ",:\n="]
        if separators:
            start = draw(st.sampled_from(separators))
            end = next((i for i in separators if i > start), len(text))
            value = draw(st.sampled_from(HOSTILE) | st.text(max_size=20))
            text = text[:start + 1] + value + text[end:]
        data = text.encode("utf-8", "surrogatepass")
    elif how == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    else:
        data = data * draw(st.integers(2, 3))
    return data


def readers(tmp: Path) -> dict[str, Callable[[Path], Any]]:
    return {
        "roster.csv": Roster.from_csv,
        "roster.json": Roster.from_json,
        "pairings.csv": lambda p: read_pairings(p, SMALL),
        "pairings.json": lambda p: read_pairings(p, SMALL),
        "groups.csv": lambda p: read_start_groups(p, SMALL, count=3),
        "scenario.toml": lambda p: Mechanism(Scenario.from_file(p), SMALL,
                                             load_entry_points=False),
    }


@pytest.mark.parametrize("name", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_mutated_files_through_the_api(name: str, data: st.DataObject,
                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / name
    path.write_bytes(data.draw(mutated(SEEDS[name])))
    outcome(name, lambda: readers(tmp)[name](path))


COMMANDS = {
    "roster.csv": lambda p: ["roster", "--roster", str(p), "--format", "json"],
    "roster.json": lambda p: ["roster", "--roster", str(p)],
    "pairings.csv": lambda p: ["check", str(p), "--as-of", "2020-10-16"],
    "pairings.json": lambda p: ["check", str(p), "--format", "json"],
    "scenario.toml": lambda p: ["access", "--scenario", str(p)],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
@FUZZ
@given(data=st.data())
def test_mutated_files_through_the_command_line(
        name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / name
    path.write_bytes(data.draw(mutated(SEEDS[name])))
    run_cli(f"{name} (command)", COMMANDS[name](path), tmp)


ARGUMENTS = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12),
                      st.integers(-10**30, 10**30).map(str), st.dates().map(str))


@FUZZ
@given(command=st.sampled_from([
    ["roster", "--as-of", "{}"], ["timeline", "--start", "{}"],
    ["timeline", "--start", "2021-11-01", "--as-of", "{}"],
    ["timeline", "--start", "2021-11-01", "--done", "focal_point={}"],
    ["costs", "--rate", "translation_per_word={}"], ["costs", "--rate", "{}=1"],
    ["language", "{}", "--reviewers", "CHL,FRA"], ["language", "ARG", "--reviewers", "{}"],
    ["schema", "{}"], ["timeline", "--state", "{}"],
]), value=ARGUMENTS)
def test_hostile_arguments(command: list[str], value: str,
                           tmp_path_factory: pytest.TempPathFactory) -> None:
    argv = [part.replace("{}", value) for part in command]
    try:
        run_cli("arguments", argv, tmp_path_factory.mktemp("fuzz"))
    except SystemExit as exc:  # argparse refusing the line itself (status 2)
        assert exc.code == 2
        record("arguments", "clean error")


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*-*")), ids=lambda p: p.name)
def test_the_corpus_gives_clean_errors(path: Path, tmp_path: Path) -> None:
    kind = path.name.split("-")[0]
    read = {"roster": (Roster.from_json if path.suffix == ".json" else Roster.from_csv),
            "pairings": lambda p: read_pairings(p, BUNDLED),
            "groups": lambda p: read_start_groups(p, BUNDLED, count=3),
            "scenario": lambda p: Mechanism(Scenario.from_file(p), BUNDLED,
                                            load_entry_points=False)}[kind]
    if kind == "pairings":  # a readable list that breaks the rules: check must say so
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            assert main(["check", str(path), "--as-of", "2020-10-16"]) in (1, 2)
    else:
        with pytest.raises((TocreviewError, ValidationError)):
            read(path)
    record("corpus", "clean error")
