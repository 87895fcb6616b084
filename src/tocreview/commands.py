"""What each subcommand does, once its arguments are parsed (:mod:`tocreview.cli` parses).

A command returns its output: text (CSV, JSON, Markdown) written as it is, or a report (a list
of blocks) laid out by :mod:`tocreview.render` for the terminal or a pipe. Every JSON output is
an :class:`~tocreview.model.envelope.Envelope` whose data has a schema (``tocreview schema``).
Notes and warnings go to ``args.notes`` and are printed on stderr after the output.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from tocreview.commands_base import (
    Output,
    envelope,
    load_roster,
    mechanism_from_args,
    note,
    roster_from_args,
    write_whole,
)
from tocreview.commands_process import (
    cmd_access,
    cmd_costs,
    cmd_language,
    cmd_schema,
    cmd_timeline,
)
from tocreview.commands_simulate import cmd_compare, cmd_simulate
from tocreview.draw.pairings_io import (
    read_pairings,
    read_start_groups,
    write_pairings_csv,
    write_start_groups_csv,
)
from tocreview.errors import InputError
from tocreview.inputs import parse_date, text_argument
from tocreview.mechanism import Mechanism
from tocreview.model.citation import Status
from tocreview.model.result import StartGroups
from tocreview.model.roster import Roster
from tocreview.report import (
    Cell,
    draw_report,
    roster_report,
    rules_report,
    start_groups_report,
    table,
    violations_report,
    words,
)
from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import PARAMETER_CITATIONS
from tocreview.rules.start_groups import is_reviewed
from tocreview.schemas import (
    BaselineEntry,
    CheckView,
    ParameterEntry,
    RuleEntry,
    RulesView,
    ScenariosView,
)


def _start_groups_cover(args: argparse.Namespace, mechanism: Mechanism,
                        groups: StartGroups) -> None:
    """A start-groups file lists the States under review: one listed that is not reviewed on
    the date is an error. (One left out is a warning the draw itself gives, in its receipt.)"""
    when = mechanism.roster.as_of
    reviewed = {p.id for p in mechanism.roster.parties
                if is_reviewed(p, mechanism.parameters, when)}
    listed = {s for g in groups.groups for s in g}
    wrong = sorted(listed - reviewed)
    if wrong:
        raise InputError(f"{len(wrong)} States in the file are not reviewed as of "
                         f"{when or 'all known facts'} (not party to the Convention, opted out "
                         f"or not reviewed): {', '.join(wrong[:10])}",
                         source=args.start_groups)


def _roster_update(args: argparse.Namespace) -> Output:
    from tocreview.model.instrument import Instrument
    from tocreview.roster_update import update_roster

    output = Path(args.output)
    if output.suffix.lower() not in (".json", ".csv"):
        raise InputError(f"--output {args.output!r}: name a .json or .csv file")
    roster = load_roster(args.roster)
    when = parse_date(args.status_date, what="--status-date") if args.status_date else None
    report = update_roster(roster, Instrument.parse(args.instrument), Path(args.from_file),
                           when)
    assert report.roster is not None
    text = report.roster.to_json() if output.suffix.lower() == ".json" else (
        report.roster.to_csv())
    write_whole(args.output, text.rstrip("\n") + "\n")
    return [*report.summary(), f"Written to {args.output}."]


def cmd_roster(args: argparse.Namespace) -> Output:
    if getattr(args, "roster_action", None) == "update":
        return _roster_update(args)
    roster = roster_from_args(args)
    if args.format == "csv":
        return roster.to_csv().rstrip("\n")
    if args.format == "json":
        return envelope("roster", roster, roster)
    return roster_report(roster)


def cmd_start_groups(args: argparse.Namespace) -> Output:
    roster = roster_from_args(args)
    mechanism = mechanism_from_args(args, roster)
    division = mechanism.start_groups(seed=text_argument(args.seed, what="--seed"))
    if args.format == "csv":
        return write_start_groups_csv(division).rstrip("\n")
    if args.format == "json":
        source = mechanism.in_force.get("start_groups")
        return envelope("start-groups", division, roster, [source] if source else [])
    return start_groups_report(roster, division.groups)


def cmd_draw(args: argparse.Namespace) -> Output:
    roster = roster_from_args(args)
    mechanism = mechanism_from_args(args, roster)
    history = read_pairings(args.history, roster) if args.history else []
    text_argument(args.seed, what="--seed")
    groups = None
    if args.start_groups:
        groups = read_start_groups(args.start_groups, roster,
                                   count=mechanism.parameters.start_groups)
        _start_groups_cover(args, mechanism, groups)
    for request in args.redraw or ():
        if ":" not in request:
            raise InputError(f"--redraw {request!r}: expected STATE:REVIEWER, e.g. ARG:SDN")
    result = mechanism.draw(group=args.group, seed=args.seed, method=args.method,
                            history=history, excluded=args.exclude or (), groups=groups)
    for request in args.redraw or ():
        sur, _, rejected = request.partition(":")
        result = mechanism.redraw(result, state_under_review=sur.strip(),
                                  rejected=rejected.strip(), exceptional=args.exceptional)
    for warning in result.receipt.warnings:
        note(args, f"warning: {warning}")
    if args.receipt is not None:
        write_whole(args.receipt, result.receipt.model_dump_json(indent=2) + "\n")
    if args.format == "csv":
        return write_pairings_csv(result.pairings).rstrip("\n")
    if args.format == "json":
        return envelope("draw", result, roster,
                        (c for cs in result.citations.values() for c in cs))
    return draw_report(result, roster, explain=args.explain)


def cmd_check(args: argparse.Namespace) -> Output:
    roster = roster_from_args(args)
    mechanism = mechanism_from_args(args, roster)
    pairings = read_pairings(args.pairings, roster)
    history = read_pairings(args.history, roster) if args.history else []
    violations = mechanism.check(pairings, history=history)
    args.exit_status = 1 if violations else 0
    checked = len(dict.fromkeys(pairings))
    if args.format == "json":
        return envelope("check", CheckView(checked=checked, violations=tuple(violations)), roster)
    return violations_report(violations, checked)


def cmd_rules(args: argparse.Namespace) -> Output:
    mechanism = mechanism_from_args(args, Roster.bundled())
    if args.format == "markdown":
        from tocreview.catalogue_doc import catalogue_markdown

        return catalogue_markdown(mechanism).rstrip("\n")
    values = mechanism.parameters.model_dump(mode="json")
    in_force = mechanism.in_force
    if args.format == "json":
        view = RulesView(
            scenario=mechanism.key,
            rules=tuple(RuleEntry(id=r.id, kind=r.kind.value, status=r.status,
                                  statement=r.statement, citations=r.citations) for r in RULES),
            parameters={name: ParameterEntry(value=values[name],
                                             citation=in_force.get(name, c))
                        for name, c in PARAMETER_CITATIONS.items()})
        return envelope("rules", view)
    rows: list[list[Cell]] = [
        [name, words(getattr(mechanism.parameters, name)), in_force.get(name, c).status.value,
         in_force.get(name, c).short()]
        for name, c in PARAMETER_CITATIONS.items()]
    return [*rules_report(RULES), "", f"Parameters in scenario {mechanism.key} "
            "(the value in force and its source):", "",
            table(["parameter", "value", "status", "source"], rows)]


def cmd_scenarios(args: argparse.Namespace) -> Output:
    mechanism = mechanism_from_args(args, Roster.bundled())
    base = mechanism.baselines()[mechanism.scenario.baseline]
    if args.format == "json":
        view = ScenariosView(
            scenario=mechanism.key,
            baselines={k: BaselineEntry(title=b.title, citation=b.citation, caveats=b.caveats)
                       for k, b in mechanism.baselines().items()},
            variants=mechanism.variants(), effects=tuple(mechanism.effects()),
            in_force=mechanism.in_force,
            principles_traded=tuple(mechanism.principles_traded))
        return envelope("scenarios", view, citations=[base.citation])
    base_rows = [[k, b.title, b.citation.short()] for k, b in mechanism.baselines().items()]
    variant_rows = [[v.option, k, v.title, v.citation.short()]
                    for k, v in sorted(mechanism.variants().items(),
                                       key=lambda kv: (kv[1].option, kv[0]))]
    effect_rows = [[e.option, e.item, e.value, e.citation.short()] for e in mechanism.effects()]
    traded = ", ".join(mechanism.principles_traded) or "none"
    unsure = [f"{name} [{c.status.value}]" for name, c in sorted(mechanism.in_force.items())
              if c.status is not Status.ADOPTED]
    return [
        "Baselines:", "", table(["baseline", "what", "source"], base_rows), "",
        f"Baseline {base.key}: " + " ".join(base.caveats), "",
        f"Values in force not seen in adopted text ({len(unsure)}): " + ", ".join(unsure), "",
        "Variants:", "", table(["option", "variant", "what", "source"], variant_rows), "",
        f"Scenario {mechanism.key}: what its options do (principles traded: {traded})", "",
        table(["option", "item", "value", "source of the value in force"], effect_rows),
    ]


COMMANDS: dict[str, Callable[[argparse.Namespace], Output]] = {
    "roster": cmd_roster, "start-groups": cmd_start_groups, "draw": cmd_draw,
    "check": cmd_check, "rules": cmd_rules, "scenarios": cmd_scenarios,
    "timeline": cmd_timeline, "language": cmd_language, "access": cmd_access,
    "costs": cmd_costs, "simulate": cmd_simulate, "compare": cmd_compare,
    "schema": cmd_schema,
}
"""Subcommand name -> what it does."""
