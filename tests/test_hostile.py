"""Hostile input and hostile plugins: each case from the review that found them, as a test.

Every bad input gives exit status 2 and one line on stderr naming what and where (or a typed
error from the API); nothing hangs (each case runs under an alarm), nothing half-written is
left behind, and no wrong answer comes back with status 0.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tocreview import Mechanism, Roster, Scenario, hookimpl
from tocreview.cli import main
from tocreview.draw.methods import METHODS, DrawMethod
from tocreview.draw.problem import PairingConstraint
from tocreview.errors import InputError, ParameterError, PluginError
from tocreview.model import Citation, Status
from tocreview.model.result import Draw
from tocreview.plugins.model import Metric, Variant

ROSTER = Roster.bundled(as_of="2020-10-16")
CITE = Citation(document="hostile test plugin", status=Status.PROPOSAL)


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    def stop(*_: object) -> None:
        raise TimeoutError("the case hung")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command line; it must refuse with status 2 and one line naming the problem."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, (argv, out[-300:], err[-300:])
    lines = [line for line in err.splitlines() if line.startswith("tocreview: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert len(lines[0]) < 700, "an error must not echo the input back"
    return lines[0]


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


ROSTER_CSV = ROSTER.to_csv()
HEADER, FIRST = ROSTER_CSV.split("\n")[1], ROSTER_CSV.split("\n")[2]
META = ROSTER_CSV.split("\n")[0]


# ----- tracebacks before ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "words"), [
    ("big-field.csv", f"{META}\n{HEADER}\n" + FIRST.replace("Afghanistan", "A" * 200_000),
     "field larger than field limit"),
    ("meta.csv", '# {"parties": []}\n' + HEADER + "\n" + FIRST, "metadata"),
    ("digits.csv", '# {"description": ' + "9" * 5000 + "}\n" + HEADER + "\n" + FIRST,
     "digits"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested"),
    ("digits.json", '{"parties": [], "description": ' + "1" * 5000 + "}", "digits"),
    ("shape.json", "[1, 2, 3]", "expected a roster"),
    ("empty.json", '{"parties": []}', "no parties"),
    ("dup-header.csv", HEADER + ",id\n" + FIRST + ",X", "appears twice"),
    ("binary.json", b"\x00\x01\x02\xff", "binary"),
    ("bad-date.csv", f"{HEADER}\n" + FIRST.replace("2003-09-24", "2020-02-30"), "real date"),
    ("month13.csv", f"{HEADER}\n" + FIRST.replace("2003-09-24", "2020-13-01"), "real date"),
    ("exp-date.csv", f"{HEADER}\n" + FIRST.replace("2003-09-24", "1e9"), "YYYY-MM-DD"),
    ("signed-late.csv", f"{HEADER}\n" + FIRST.replace("2000-12-14", "2005-01-01"),
     "after the consent was deposited"),
    ("number-date.json", json.dumps({**json.loads(ROSTER.to_json()), "as_of": 1600000000}),
     "YYYY-MM-DD"),
])
def test_bad_roster_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                          content: str | bytes, words: str) -> None:
    line = refused(capsys, "draw", "--group", "1", "--seed", "1", "--roster",
                   write(tmp_path, name, content))
    assert words in line and name in line


def test_a_roster_with_100000_duplicate_rows_is_refused_quickly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "dupes.csv", HEADER + "\n" + (FIRST + "\n") * 100_000)
    assert "the limit is 67,108,864" in refused(capsys, "roster", "--roster", path)
    path = write(tmp_path, "dupes.csv", HEADER + "\n" + (FIRST + "\n") * 30_000)
    assert "more than 20,000 parties" in refused(capsys, "roster", "--roster", path)
    path = write(tmp_path, "dupes.csv", HEADER + "\n" + (FIRST + "\n") * 2)
    assert "duplicate party ids: AFG" in refused(capsys, "roster", "--roster", path)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(capsys: pytest.CaptureFixture[str], device: str) -> None:
    for argv in (["roster", "--roster", device], ["check", device],
                 ["draw", "--group", "1", "--seed", "1", "--scenario", device]):
        assert "not a regular file" in refused(capsys, *argv)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(capsys, "check", str(fifo))


@pytest.mark.parametrize(("content", "words"), [
    ("party,group\nAFG,\u00b2\n", "not a number from 1 to 3"),
    ("party,group\nAFG,100000000000000000000000\n", "not a number from 1 to 3"),
    ("party,group\nAFG,1000000000000\n", "not a number from 1 to 3"),
    ("party,group\nAFG,1\nALB,3\n", "start group 2 has no States"),
    ("party,group\nAFG,1\nALB,2\nDZA,3\nEUU,1\n", "not reviewed"),
])
def test_bad_start_group_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               content: str, words: str) -> None:
    line = refused(capsys, "draw", "--group", "1", "--seed", "1", "--as-of", "2020-10-16",
                   "--start-groups", write(tmp_path, "groups.csv", content))
    assert words in line


def test_a_start_group_file_that_leaves_states_out_warns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "groups.csv", "party,group\nAFG,1\nALB,2\nDZA,3\n")
    assert main(["draw", "--group", "1", "--seed", "1", "--as-of", "2020-10-16",
                 "--start-groups", path]) == 0
    err = capsys.readouterr().err
    assert "185 States under review are in no start group" in err
    # The same through the API: the receipt says it, not only the command line.
    from tocreview import draw
    from tocreview.model.result import StartGroups

    result = draw(ROSTER, group=1, seed="1",
                  groups=StartGroups(groups=(("AFG",), ("ALB",), ("DZA",)), trace=()))
    assert any("185 States under review are in no start group" in w
               for w in result.receipt.warnings)


@pytest.mark.parametrize(("argv", "words"), [
    (["timeline", "--start", "9999-06-01"], "outside 1945-01-01 to 2199-12-31"),
    (["timeline", "--start", "2021-11-01", "--as-of", ""], "not a date"),
    (["roster", "--as-of", "2020"], "YYYY-MM-DD"),
    (["roster", "--as-of", "2020-W01"], "YYYY-MM-DD"),
    (["roster", "--as-of", "2020W01"], "YYYY-MM-DD"),
    (["draw", "--group", "1", "--seed", "\udcff\udcfe"], "UTF-8"),
    (["costs", "--rate", "translation_per_word=nan"], "finite"),
    (["costs", "--rate", "translation_per_word=inf"], "finite"),
    (["costs", "--rate", "translation_per_word=1e400"], "finite"),
    (["compare", "--with-baseline", "x.toml", "--runs", "1000000000"], "cannot read"),
    (["draw", "--group", "100000000000000000000000", "--seed", "1"], "no start group"),
])
def test_bad_arguments(capsys: pytest.CaptureFixture[str], argv: list[str],
                       words: str) -> None:
    assert words in refused(capsys, *argv)


def test_a_huge_run_count_needs_force(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write(tmp_path, "s.toml", 'variants = ["marrakech"]\n')
    line = refused(capsys, "compare", "--with-baseline", scenario, "--runs", "1000000000")
    assert "expected 1 to 1,000,000" in line  # beyond any study, with or without --force
    line = refused(capsys, "compare", "--with-baseline", scenario, "--runs", "5000")
    assert "--force" in line


@pytest.mark.parametrize("target", ["", "missing/r.json", "adir", "afile/r.json",
                                    "x" * 300 + ".json", "/dev/full", "/dev/null"])
def test_receipt_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         target: str) -> None:
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x")
    path = target if target in ("", "/dev/full", "/dev/null") else str(tmp_path / target)
    line = refused(capsys, "draw", "--group", "1", "--seed", "1", "--as-of", "2020-10-16",
                   "--receipt", path)
    assert "write" in line or "empty" in line
    leftovers = [p.name for p in tmp_path.rglob("*") if "partial" in p.name]
    assert leftovers == []
    assert not Path("/dev/full").is_file() and not Path("/dev/null").is_file()


@pytest.mark.parametrize(("overrides", "words"), [
    ('opt_out_clause = true\nopted_out = ["XYZ"]', "opted_out: unknown party id 'XYZ'"),
    ('cap_waived_by = ["FRX"]', "did you mean 'FRA'"),
    ('legal_systems = {XYZ = "civil"}', "legal_systems: unknown party id 'XYZ'"),
    ('no_group_mapping = {XYZ = "weog"}', "no_group_mapping: unknown party id 'XYZ'"),
    ('no_group_mapping = {FRA = "african"}', "FRA (France) is in the weog group"),
    ("redraw_limit = true", "whole number"),
    ("start_groups = 100000000", "less than or equal to 100"),
    ('opt_out_clause = "no"', "true or false"),
])
def test_bad_scenario_values(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             overrides: str, words: str) -> None:
    scenario = write(tmp_path, "s.toml", "[overrides]\n" + overrides + "\n")
    assert words in refused(capsys, "draw", "--group", "1", "--seed", "1", "--as-of",
                            "2020-10-16", "--scenario", scenario)


@pytest.mark.parametrize(("rows", "words"), [
    ([("AFG", "AFG")], "reviewing itself"),
    ([("AFG", "PAK"), ("PAK", "AFG")], "mutual review"),
    ([("AFG", "EUU")], "does not serve as reviewer"),
])
def test_bad_histories(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                       rows: list[tuple[str, str]], words: str) -> None:
    text = "under_review,reviewer,instrument\n" + "".join(f"{a},{b},convention\n"
                                                          for a, b in rows)
    assert words in refused(capsys, "draw", "--group", "2", "--seed", "1", "--as-of",
                            "2020-10-16", "--history", write(tmp_path, "h.csv", text))


def test_check_reads_side_and_role_labels(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draw", "--group", "1", "--seed", "7", "--as-of", "2020-10-16", "--format",
                 "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    swapped = 0
    for k in range(1, 21):  # swap the side label of 20 pairings: every one is caught
        rows = list(lines)
        cells = rows[k].split(",")
        cells[3] = "other_group" if cells[3] == "same_group" else "same_group"
        rows[k] = ",".join(cells)
        path = write(tmp_path, f"swapped{k}.csv", "\n".join(rows) + "\n")
        code = main(["check", path, "--as-of", "2020-10-16"])
        swapped += code == 1
        capsys.readouterr()
    assert swapped == 20
    rows = list(lines)
    cells = rows[1].split(",")
    cells[4] = "supplementary" if cells[4] == "main" else "main"
    rows[1] = ",".join(cells)
    assert main(["check", write(tmp_path, "role.csv", "\n".join(rows) + "\n"), "--as-of",
                 "2020-10-16"]) == 1
    assert "labelled" in capsys.readouterr().out


def test_an_empty_roster_is_never_replaced_by_the_bundled_one(tmp_path: Path) -> None:
    empty = Roster(parties=())
    m = Mechanism(Scenario(), empty)
    assert m.roster is empty  # not the bundled roster
    with pytest.raises(InputError):
        Roster.from_json(write(tmp_path, "e.json", '{"parties": []}'))


def test_consent_must_be_a_boolean() -> None:
    with pytest.raises(ParameterError, match="True or False"):
        Mechanism(Scenario(), ROSTER).access(consent="no")  # type: ignore[arg-type]


# ----- hostile plugins --------------------------------------------------------------------

def mech(*plugins: object, variants: tuple[str, ...] = ()) -> Mechanism:
    return Mechanism(Scenario(variants=variants), ROSTER, plugins=list(plugins),
                     load_entry_points=False)


class SwapAfterReceipt:
    @hookimpl
    def draw_completed(self, draw: Draw) -> None:
        first = draw.pairings[0]
        object.__setattr__(draw, "pairings", (first.model_copy(update={"reviewer": "FRA"}),
                                              *draw.pairings[1:]))


def test_a_plugin_cannot_change_a_draw_after_its_receipt() -> None:
    plain = mech().draw(group=1, seed=3)
    result = mech(SwapAfterReceipt()).draw(group=1, seed=3)
    assert result.pairings == plain.pairings
    assert result.receipt.result_hash == plain.receipt.result_hash
    assert mech().check(result.pairings) == []


def self_reviews(problem: Any, start: Any, factory: Any, tracer: Any) -> Any:
    fill = METHODS["sequential"].run(problem, start, factory, tracer)
    for place, (_main, supps) in list(fill.choices.items()):
        fill.choices[place] = (place[0], tuple(place[0] for _ in supps))
    return fill


class SelfReviewMethod:
    @hookimpl
    def register_draw_methods(self, register: Any) -> None:
        register(DrawMethod(name="self-review", distribution="none", run=self_reviews))


def test_a_method_that_returns_self_reviews_gets_no_receipt() -> None:
    with pytest.raises(PluginError, match="draw method self-review"):
        mech(SelfReviewMethod()).draw(group=1, seed=1, method="self-review")


def crashing(*_: Any) -> Any:
    raise ZeroDivisionError("boom")


class Crashing:
    @hookimpl
    def register_draw_methods(self, register: Any) -> None:
        register(DrawMethod(name="crash", distribution="none", run=crashing))

    @hookimpl
    def register_constraints(self, register: Any) -> None:
        register(PairingConstraint(id="crash.c", citation=CITE, source="Crashing",
                                   allows=lambda r, s, p: 1 / 0 > 0))
        register(PairingConstraint(id="crash.no", citation=CITE, source="Crashing",
                                   allows=lambda r, s, p: "no"))  # type: ignore[arg-type,return-value]

    @hookimpl
    def register_metrics(self, register: Any) -> None:
        register(Metric(name="crash", description="d", compute=crashing, source="Crashing"))

    @hookimpl
    def register_variants(self, register: Any) -> None:
        register(Variant(key="crash-c", option="crash", title="t", citation=CITE,
                         constraints=("crash.c",)))
        register(Variant(key="crash-no", option="crash", title="t", citation=CITE,
                         constraints=("crash.no",)))


def test_raising_and_malformed_plugin_parts_are_named() -> None:
    with pytest.raises(PluginError, match="draw method crash.*ZeroDivisionError"):
        mech(Crashing()).draw(group=1, seed=1, method="crash")
    with pytest.raises(PluginError, match="constraint crash.c.*ZeroDivisionError"):
        mech(Crashing(), variants=("crash-c",)).draw(group=1, seed=1)
    with pytest.raises(PluginError, match="constraint crash.no.*not True or False"):
        mech(Crashing(), variants=("crash-no",)).draw(group=1, seed=1)
    result = mech().draw(group=1, seed=1)
    with pytest.raises(PluginError, match="metric crash.*ZeroDivisionError"):
        mech(Crashing()).metrics(result)


class UnknownArgument:
    @hookimpl
    def register_variants(self, register: Any, colour: Any) -> None:
        pass


class Exits:
    @hookimpl
    def policy_effects(self) -> None:
        raise SystemExit(0)


class NoSuchHook:
    @hookimpl
    def register_colours(self) -> None:
        pass


def test_bad_hook_implementations_are_named() -> None:
    with pytest.raises(PluginError, match="UnknownArgument.*colour"):
        mech(UnknownArgument())
    with pytest.raises(PluginError, match="Exits.*policy_effects.*SystemExit"):
        mech(Exits()).effects()
    with pytest.raises(PluginError, match="NoSuchHook.*register_colours"):
        mech(NoSuchHook())


class Leaker:
    """Writes to the frozen document constants to make confidential documents public."""

    @hookimpl
    def access_verdicts(self, document: Any) -> None:
        from tocreview.rules import access

        for d in (*access.WORKING, *(x for ds in access.OUTCOMES.values() for x in ds)):
            object.__setattr__(d, "confidentiality", access.Confidentiality.PUBLIC)
        object.__setattr__(document, "confidentiality", access.Confidentiality.PUBLIC)


def test_a_plugin_cannot_lift_the_access_ceiling_by_writing_to_documents() -> None:
    from tocreview.rules import access

    saved = {id(d): d.confidentiality for d in (*access.WORKING, *(
        x for ds in access.OUTCOMES.values() for x in ds))}
    try:
        lines = mech(Leaker()).access(consent=False)
        public = [line for line in lines if line.actor.value == "public" and line.allowed]
        assert public == []
    finally:
        for d in (*access.WORKING, *(x for ds in access.OUTCOMES.values() for x in ds)):
            object.__setattr__(d, "confidentiality", saved[id(d)])
