"""Receipts that state what is in force, warnings that are not silent, and the choices the text
leaves open made into named parameters (issue: every citation true, every choice visible)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tocreview import Mechanism, Scenario
from tocreview.errors import NoApplicableRule
from tocreview.model.citation import Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import Consent
from tocreview.model.result import Pairing, Role
from tocreview.model.roster import Roster
from tocreview.rules.parameters import Parameters, SupplementaryDraw
from tocreview.rules.policy import Sequencing
from tocreview.rules.workplan import entry_for, phases

ROSTER = Roster.bundled(as_of="2020-10-16")


def mech(*variants: str, **overrides: object) -> Mechanism:
    return Mechanism(Scenario(variants=variants, overrides=overrides), ROSTER,
                     load_entry_points=False)


# 9. The receipt lists the values in force, with the status of the value in force.
def test_receipt_shows_the_variants_value_and_citation() -> None:
    m = mech("reio-reviewed")
    receipt = m.draw(group=2, seed=2020).receipt
    values = {v.name: v for v in receipt.in_force}
    assert json.loads(values["reio_under_review"].value) is True
    assert values["reio_under_review"].citation == m.variants()["reio-reviewed"].citation
    assert values["reio_under_review"].status is Status.ASSUMPTION
    assert json.loads(values["reio_groups_from_members"].value) is True
    base = {v.name: v for v in mech().draw(group=2, seed=2020).receipt.in_force}
    assert base["reio_under_review"].status is Status.INFERRED


def test_receipt_lists_only_what_the_draw_used() -> None:
    receipt = mech().draw(group=1, seed=1).receipt
    names = {v.name for v in receipt.in_force}
    assert "redraw_limit" not in names and "max_uniform_attempts" not in names
    assert {"max_reviewers", "no_group_mapping", "composition"} <= names
    assert "max_uniform_attempts" in {
        v.name for v in mech().draw(group=1, seed=1, method="uniform").receipt.in_force}
    used = {r.id for r in receipt.rules}
    assert "untoc.selection.redraw_limit" not in used
    assert "untoc.selection.no_mutual_review" in used
    m = mech()
    result = m.draw(group=1, seed=1)
    sur = result.request.states_under_review[0]
    rejected = result.reviewers_of(sur)[Instrument.CONVENTION][0]
    redrawn = m.redraw(result, state_under_review=sur, rejected=rejected)
    assert "redraw_limit" in {v.name for v in redrawn.receipt.in_force}
    assert "untoc.selection.redraw_limit" in {r.id for r in redrawn.receipt.rules}

def test_receipt_of_an_override_names_the_override() -> None:
    receipt = mech(max_reviewers=3).draw(group=1, seed=1).receipt
    value = next(v for v in receipt.in_force if v.name == "max_reviewers")
    assert value.value == "3" and value.citation.document == "scenario overrides"


def test_receipt_states_roster_caveats_and_history() -> None:
    receipt = mech().draw(group=1, seed=1).receipt
    assert receipt.as_of == date(2020, 10, 16) and receipt.history_given is False
    assert any(c.startswith("tip: the data are complete only up to") for c in
               receipt.roster_caveats)
    undated = Mechanism(Scenario(), Roster.bundled(), load_entry_points=False)
    assert any("no as-of date" in c for c in undated.draw(group=1, seed=1).receipt
               .roster_caveats)


# 10. Start group 2 or 3 without history: a warning, in the receipt and on the command line.
def test_later_group_without_history_warns() -> None:
    m = mech()
    first = m.draw(group=1, seed=5)
    assert m.draw(group=1, seed=5).receipt.warnings == ()
    second = m.draw(group=2, seed=5)
    assert any("without the pairings of the earlier groups" in w
               for w in second.receipt.warnings)
    with_history = m.draw(group=2, seed=5, history=first.pairings)
    assert with_history.receipt.warnings == () and with_history.receipt.history_given


def test_command_line_says_the_date_and_warns() -> None:
    run = subprocess.run([sys.executable, "-m", "tocreview.cli", "draw", "--group", "2",
                          "--seed", "1", "--as-of", "2020-10-16"],
                         capture_output=True, text=True, check=True)
    assert "party status as of 2020-10-16" in run.stderr
    assert "past the data's validity for tip" in run.stderr
    assert "without the pairings of the earlier groups" in run.stderr
    undated = subprocess.run([sys.executable, "-m", "tocreview.cli", "roster"],
                             capture_output=True, text=True, check=True)
    assert "no --as-of given" in undated.stderr


# 11. Supplementary reviewers: per missing instrument, or one for all; check agrees with each.
def test_supplementary_modes_are_both_drawn_and_checked() -> None:
    for mode in SupplementaryDraw:
        m = mech(supplementary_draw=mode.value)
        result = m.draw(group=1, seed=3)
        assert m.check(result.pairings) == []
        per_side = Counter((p.under_review, p.side) for p in
                           {(p.under_review, p.side, p.reviewer): p for p in result.pairings
                            if p.role is Role.SUPPLEMENTARY}.values())
        if mode is SupplementaryDraw.ONE_FOR_ALL_MISSING:
            assert max(per_side.values(), default=1) == 1


def test_two_supplementaries_on_one_side_are_valid_per_instrument_only() -> None:
    # ARG reviewed by a same-group main reviewer lacking two Protocols, each covered by its own
    # supplementary reviewer: valid per instrument, a breach under 'one for all missing'.
    roster = ROSTER
    sur = roster.get("ARG")
    wanted = sur.instruments(roster.as_of)
    assert len(wanted) == 4
    same = [p for p in roster.in_group(sur.regional_group) if p.id != "ARG"]

    def holds(p: object, inst: Instrument) -> bool:
        return inst in p.instruments(roster.as_of)  # type: ignore[attr-defined]

    main = next(p for p in same if holds(p, Instrument.CONVENTION)
                and not holds(p, Instrument.SOM) and not holds(p, Instrument.FIREARMS)
                and holds(p, Instrument.TIP))
    som = next(p for p in same if p.id != main.id and holds(p, Instrument.SOM)
               and not holds(p, Instrument.FIREARMS))
    firearms = next(p for p in same if p.id not in (main.id, som.id)
                    and holds(p, Instrument.FIREARMS))
    other = next(p for p in roster.parties if p.regional_group is not sur.regional_group
                 and p.regional_group is not None and all(holds(p, i) for i in wanted))
    pairings = [Pairing(under_review="ARG", reviewer=main.id, instrument=i)
                for i in (Instrument.CONVENTION, Instrument.TIP)]
    pairings += [Pairing(under_review="ARG", reviewer=som.id, instrument=Instrument.SOM),
                 Pairing(under_review="ARG", reviewer=firearms.id,
                         instrument=Instrument.FIREARMS)]
    pairings += [Pairing(under_review="ARG", reviewer=other.id, instrument=i) for i in wanted]
    per_instrument = Parameters(supplementary_draw=SupplementaryDraw.PER_INSTRUMENT)
    from tocreview.draw.check import check

    assert check(pairings, roster, per_instrument) == []
    one = Parameters(supplementary_draw=SupplementaryDraw.ONE_FOR_ALL_MISSING)
    assert [v.rule for v in check(pairings, roster, one)] == [
        "untoc.selection.supplementary_draw"]
    # four reviewers: the cap binds when lowered, and a waiver lifts it
    capped = per_instrument.with_changes(max_reviewers=3)
    assert [v.rule for v in check(pairings, roster, capped)] == [
        "untoc.selection.max_reviewers"]
    assert check(pairings, roster, capped.with_changes(cap_waived_by={"ARG"})) == []


def test_cap_binds_in_per_instrument_draws() -> None:
    m = mech(supplementary_draw="per_instrument")
    result = m.draw(group=1, seed=2020)
    reviewers: dict[str, set[str]] = {}
    for p in result.pairings:
        reviewers.setdefault(p.under_review, set()).add(p.reviewer)
    assert max(len(r) for r in reviewers.values()) <= 4
    assert m.check(result.pairings) == []
    waived = mech(supplementary_draw="per_instrument", cap_waived_by=sorted(reviewers))
    wide = waived.draw(group=1, seed=2020)
    assert waived.check(wide.pairings) == []


def test_per_instrument_redraw_of_a_supplementary_reviewer() -> None:
    m = mech(supplementary_draw="per_instrument")
    result = m.draw(group=1, seed=2020)
    supp = next(p for p in result.pairings if p.role is Role.SUPPLEMENTARY)
    after = m.redraw(result, state_under_review=supp.under_review, rejected=supp.reviewer)
    assert supp.reviewer not in {p.reviewer for p in after.pairings
                                 if p.under_review == supp.under_review}
    assert m.check(after.pairings) == []


# 12. Observers: a named parameter, not a silent choice.
def test_observers_in_group_is_a_parameter() -> None:
    # Switched off, the observers are in no group: the draw refuses until they are mapped.
    with pytest.raises(NoApplicableRule, match="USA"):
        mech(observers_in_group=False).draw(group=1, seed=1)
    mapped = {"COK": "asia_pacific", "NIU": "asia_pacific", "USA": "weog", "VAT": "weog"}
    m = mech(observers_in_group=False, no_group_mapping=mapped)
    result = m.draw(group=1, seed=1)
    assert m.check(result.pairings) == []
    values = {v.name: v for v in result.receipt.in_force}
    assert values["observers_in_group"].value == "false"
    assert values["observers_in_group"].citation.document == "scenario overrides"
    assert values["observers_in_group"].status is Status.ASSUMPTION
    assert {v.name: v for v in mech().draw(group=1, seed=1).receipt.in_force}[
        "observers_in_group"].status is Status.ASSUMPTION


# 13 and 15. Late joiners: never a phase that began before the State joined.
@pytest.mark.parametrize("sequencing", list(Sequencing))
def test_late_joiner_never_enters_a_phase_begun_before_it_joined(sequencing: Sequencing) -> None:
    day = date(2020, 11, 2)
    while day < date(2032, 1, 1):
        group, starts = entry_for(day, 3, sequencing)
        assert starts is None or starts >= day, (day, sequencing)
        if starts is not None:
            assert starts in {p.starts for g in (1, 2, 3) for p in phases(sequencing, g)}
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    assert entry_for(date(2031, 1, 1))[1] is None


def test_late_joiner_from_the_mechanism_and_the_command_line(tmp_path: Path) -> None:
    party = ROSTER.get("ARG")
    late = party.model_copy(update={"consents": tuple(
        c.model_copy(update={"deposited": date(2023, 3, 1)})
        if c.instrument is Instrument.CONVENTION else c for c in party.consents)})
    assert isinstance(late.consents[0], Consent)
    roster = Roster.build([late if p.id == "ARG" else p for p in Roster.bundled().parties],
                          data_valid_for=Roster.bundled().data_valid_for)
    m = Mechanism(Scenario(), roster, load_entry_points=False)
    entry = m.late_joiner("ARG")
    assert entry.starts == date(2024, 11, 1) and entry.starts >= entry.joined
    with pytest.raises(NoApplicableRule, match="placed by the drawing of start groups"):
        m.late_joiner("BRA")
    path = tmp_path / "late.json"
    path.write_text(roster.to_json(), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "tocreview.cli", "timeline", "--state", "ARG",
                          "--roster", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "joins start group 3; its review starts on 2024-11-01" in " ".join(run.stdout.split())


def test_receipt_of_the_command_line_with_a_scenario_file(tmp_path: Path) -> None:
    scenario = tmp_path / "eu.toml"
    scenario.write_text('baseline = "untoc-2018"\nvariants = ["reio-reviewed"]\n',
                        encoding="utf-8")
    receipt = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "tocreview.cli", "draw", "--group", "2",
                          "--seed", "2020", "--as-of", "2020-10-16", "--scenario",
                          str(scenario), "--receipt", str(receipt)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    data = json.loads(receipt.read_text(encoding="utf-8"))
    value = next(v for v in data["in_force"] if v["name"] == "reio_under_review")
    assert value["value"] == "true" and value["status"] == "assumption"
    assert "19-20" in value["citation"]["note"]
    assert data["history_given"] is False and data["warnings"]
    assert data["as_of"] == "2020-10-16"


def test_start_dates_and_group_sizes_carry_their_status() -> None:
    from tocreview.rules.catalogue import RULES
    from tocreview.rules.workplan import PROCESS_START_CITATION

    assert PROCESS_START_CITATION.status is Status.INFERRED
    assert RULES.get("untoc.workplan.phases").status is Status.INFERRED
    assert RULES.get("untoc.start_groups.by_lot").status is Status.ASSUMPTION
