"""What each subcommand does, once its arguments are parsed (:mod:`tocreview.cli` parses).

A command returns its output: text (CSV, JSON, Markdown) written as it is, or a report (a list
of blocks) laid out by :mod:`tocreview.render` for the terminal or a pipe. Every JSON output is
an :class:`~tocreview.model.envelope.Envelope` whose data has a schema (``tocreview schema``).
Notes and warnings go to ``args.notes`` and are printed on stderr after the output.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tocreview._version import __version__
from tocreview.draw.pairings_io import (
    read_pairings,
    read_start_groups,
    write_pairings_csv,
    write_start_groups_csv,
)
from tocreview.errors import InputError, ParameterError
from tocreview.inputs import parse_date, text_argument
from tocreview.mechanism import Mechanism
from tocreview.model.citation import Citation, Status
from tocreview.model.envelope import Envelope
from tocreview.model.result import StartGroups
from tocreview.model.roster import Roster
from tocreview.report import (
    Block,
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
from tocreview.scenario import Scenario
from tocreview.schemas import (
    AccessView,
    BaselineEntry,
    CheckView,
    ParameterEntry,
    RuleEntry,
    RulesView,
    ScenariosView,
    TimelineView,
    schema,
)
from tocreview.simulate import compare

Output = str | list[Block]


def envelope(kind: str, data: BaseModel, roster: Roster | None = None,
             citations: Iterable[Citation] = ()) -> str:
    """A JSON output: the data in the one envelope every command uses."""
    wrapped = Envelope[Any](
        kind=kind, tocreview=__version__,
        as_of=roster.as_of if roster else None,
        data_valid_for=roster.data_valid_for if roster else {},
        citations=tuple(dict.fromkeys(citations)), data=data)
    text: str = wrapped.model_dump_json(indent=2)
    return text


def load_roster(path: str | None) -> Roster:
    """The roster of ``--roster FILE`` (JSON or CSV by its suffix), or the bundled one."""
    if path is None:
        return Roster.bundled()
    return Roster.from_json(path) if path.lower().endswith(".json") else Roster.from_csv(path)


def _load_roster(args: argparse.Namespace) -> Roster:
    roster = load_roster(getattr(args, "roster", None))
    if args.as_of is not None:
        roster = roster.on(parse_date(args.as_of, what="--as-of"))
    _say_date(args, roster)
    return roster


def _note(args: argparse.Namespace, text: str) -> None:
    """A note or warning for stderr, printed once the command has succeeded."""
    notes: list[str] = getattr(args, "notes", [])
    notes.append(text)
    args.notes = notes


def _say_date(args: argparse.Namespace, roster: Roster) -> None:
    """Say which date party status is taken on, and warn where that date lies past the data's
    validity: leaving out --as-of changes every result."""
    if roster.as_of is None:
        _note(args, "note: no --as-of given: party status from all known facts")
    else:
        _note(args, f"note: party status as of {roster.as_of.isoformat()}")
    past = [f"{i.value} (to {d.isoformat()})" for i, d in roster.data_valid_for.items()
            if roster.as_of is None or roster.as_of > d]
    if past:
        _note(args, "warning: the date lies past the data's validity for "
              + ", ".join(past) + ": later consents may be missing")


MAX_RUNS = 200
"""The most seeds `compare` runs without --force."""


def _start_groups_cover(args: argparse.Namespace, mechanism: Mechanism,
                        groups: StartGroups) -> None:
    """A start-groups file lists the States under review: one listed that is not reviewed on
    the date is an error; one left out is a warning (it may have joined after the groups
    were drawn: see `timeline --state`), never silence."""
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
    left_out = sorted(reviewed - listed)
    if left_out:
        _note(args, f"warning: {len(left_out)} States under review are in no start group of "
              f"{args.start_groups} and are not reviewed in this cycle: "
              f"{', '.join(left_out[:10])}{' ...' if len(left_out) > 10 else ''} (if they "
              "joined later, see tocreview timeline --state)")


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
    _write(args.output, text.rstrip("\n") + "\n")
    return [*report.summary(), f"Written to {args.output}."]


def _mechanism(args: argparse.Namespace, roster: Roster) -> Mechanism:
    scenario = Scenario.from_file(args.scenario) if args.scenario else Scenario()
    return Mechanism(scenario, roster)


def cmd_roster(args: argparse.Namespace) -> Output:
    if getattr(args, "roster_action", None) == "update":
        return _roster_update(args)
    roster = _load_roster(args)
    if args.format == "csv":
        return roster.to_csv().rstrip("\n")
    if args.format == "json":
        return envelope("roster", roster, roster)
    return roster_report(roster)


def cmd_start_groups(args: argparse.Namespace) -> Output:
    roster = _load_roster(args)
    mechanism = _mechanism(args, roster)
    division = mechanism.start_groups(seed=text_argument(args.seed, what="--seed"))
    if args.format == "csv":
        return write_start_groups_csv(division).rstrip("\n")
    if args.format == "json":
        source = mechanism.in_force.get("start_groups")
        return envelope("start-groups", division, roster, [source] if source else [])
    return start_groups_report(roster, division.groups)


def cmd_draw(args: argparse.Namespace) -> Output:
    roster = _load_roster(args)
    mechanism = _mechanism(args, roster)
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
        _note(args, f"warning: {warning}")
    if args.receipt is not None:
        _write(args.receipt, result.receipt.model_dump_json(indent=2) + "\n")
    if args.format == "csv":
        return write_pairings_csv(result.pairings).rstrip("\n")
    if args.format == "json":
        return envelope("draw", result, roster,
                        (c for cs in result.citations.values() for c in cs))
    return draw_report(result, roster, explain=args.explain)


def cmd_check(args: argparse.Namespace) -> Output:
    roster = _load_roster(args)
    mechanism = _mechanism(args, roster)
    pairings = read_pairings(args.pairings, roster)
    history = read_pairings(args.history, roster) if args.history else []
    violations = mechanism.check(pairings, history=history)
    args.exit_status = 1 if violations else 0
    checked = len(dict.fromkeys(pairings))
    if args.format == "json":
        return envelope("check", CheckView(checked=checked, violations=tuple(violations)), roster)
    return violations_report(violations, checked)


def cmd_rules(args: argparse.Namespace) -> Output:
    mechanism = _mechanism(args, Roster.bundled())
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
    mechanism = _mechanism(args, Roster.bundled())
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


def cmd_timeline(args: argparse.Namespace) -> Output:
    mechanism = _mechanism(args, load_roster(args.roster))
    events = {}
    for item in args.done or ():
        stage, sep, day = item.partition("=")
        if not sep:
            raise InputError(f"--done {item!r}: expected STAGE=DATE, e.g. focal_point=2021-11-10")
        events[stage.strip()] = day.strip()
    head: list[Block] = []
    start = args.start
    entry = None
    if args.state:
        entry = mechanism.late_joiner(args.state)
        head = [f"{entry.state} became party on {entry.joined.isoformat()}: {entry.answer} "
                f"({entry.citation.short()})", ""]
        if start is None and entry.starts is not None:
            start = entry.starts.isoformat()
    if start is None and entry is None:
        raise InputError("give --start DATE, or --state ID for a State that joined late")
    result = None if start is None else mechanism.timeline(start, as_of=args.as_of,
                                                           events=events, end=args.end)
    if args.format == "json":
        return envelope("timeline", TimelineView(late_entry=entry, timeline=result))
    if result is None:
        return head[:1]
    rows = [[s.stage.value, s.title, s.due.isoformat(), s.done.isoformat() if s.done else "",
             s.status.value, s.citation.short()] for s in result.stages]
    return [*head, f"Country review starting {result.start}, status as of {result.as_of} "
            f"(scenario {mechanism.key})", "",
            table(["stage", "what", "due", "done", "status", "source"], rows)]


def cmd_language(args: argparse.Namespace) -> Output:
    roster = _load_roster(args)
    mechanism = _mechanism(args, roster)
    state = roster.get(args.state).id
    reviewers = [r.strip() for item in args.reviewers or () for r in item.split(",")
                 if r.strip()]
    if args.pairings:
        drawn = [p.reviewer for p in read_pairings(args.pairings, roster)
                 if p.under_review == state]
        if not drawn:
            raise InputError(f"{args.pairings}: no pairing has {state} under review")
        reviewers += drawn
    reviewers = list(dict.fromkeys(roster.get(r).id for r in reviewers))
    if state in reviewers:
        raise InputError(f"--reviewers: {state} is the State under review, not its reviewer")
    if not reviewers:
        raise InputError("give the reviewers: --reviewers A,B or --pairings FILE")
    plan = mechanism.working_language(state, reviewers)
    if args.format == "json":
        return envelope("language", plan, roster, [plan.citation])
    rows = []
    for party_id in (state, *reviewers):
        party = roster.get(party_id)
        langs = words(party.languages) if party.languages else "not known"
        source = party.languages_source.short() if party.languages_source else "-"
        rows.append([party_id, "under review" if party_id == state else "reviewer", langs,
                     source])
    lines: list[Block] = [f"Working language of the review of {state} "
                          f"({plan.citation.short()})", "",
                          table(["party", "role", "UN languages", "source"], rows), "",
                          f"Answer: {plan.answer}"]
    lines += [f"  translate: {t}" for t in plan.translations]
    return lines


def cmd_access(args: argparse.Namespace) -> Output:
    mechanism = _mechanism(args, Roster.bundled())
    lines = mechanism.access(consent=args.consent)
    if args.format == "json":
        return envelope("access", AccessView(consent=args.consent, lines=tuple(lines)))
    actors = list(dict.fromkeys(line.actor for line in lines))
    rows = []
    for document in dict.fromkeys(line.document for line in lines):
        for stage in ("draft", "final"):
            marks = ["yes" if line.allowed else "-" for line in lines
                     if line.document == document and line.stage.value == stage]
            rows.append([document.replace("_", " "), stage, *marks])
    consent = "with" if args.consent else "without"
    return [f"Who may see what, {consent} the consent of the State under review to publish "
            f"(scenario {mechanism.key}; outcome: {mechanism.policy.outcome.value})", "",
            table(["document", "stage", *[a.value.replace("_", " ") for a in actors]], rows)]


def cmd_costs(args: argparse.Namespace) -> Output:
    roster = _load_roster(args)
    mechanism = _mechanism(args, roster)
    changes: dict[str, float] = {}
    for item in args.rate or ():
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--rate {item!r}: expected NAME=NUMBER")
        try:
            changes[name.strip()] = float(value)
        except ValueError:
            raise InputError(f"--rate {item!r}: expected NAME=NUMBER") from None
    try:
        result = mechanism.costs(changes=changes,
                                 seed=text_argument(args.seed, what="--seed"))
    except ParameterError as exc:
        raise InputError(f"--rate: {exc}") from None
    if args.format == "json":
        return envelope("costs", result, roster)
    sources = list(result.cycle_by_source)
    review_rows: list[list[Cell]] = [[c.category, c.amount, c.source] for c in result.per_review]
    year_rows: list[list[Cell]] = [
        [str(year), result.reviews_per_year[year],
         *[result.per_year[year].get(s, 0.0) for s in sources]]
        for year in sorted(result.per_year)]
    total_rows: list[list[Cell]] = [[s, v] for s, v in result.cycle_by_source.items()]
    return [
        f"Costs in US dollars (scenario {mechanism.key}; funding: "
        f"{mechanism.policy.funding.value}). Every rate is an assumption: see --format json "
        "for the rates and their sources, and change them with --rate NAME=VALUE.", "",
        "Per review phase:", table(["category", "amount", "paid from"], review_rows), "",
        "Per year:", table(["year", "review phases starting", *sources], year_rows), "",
        "Cycle:", table(["source", "total"], [*total_rows, ["all", result.cycle_total]]),
    ]


def cmd_compare(args: argparse.Namespace) -> Output:
    roster = _load_roster(args)
    scenarios = [Scenario()] if args.with_baseline else []
    scenarios += [Scenario.from_file(path) for path in args.scenarios]
    if len(scenarios) < 2:
        raise InputError("give at least two scenarios to compare (or --with-baseline and one)")
    if args.runs < 1:
        raise InputError(f"--runs {args.runs}: needs at least 1")
    if args.runs > MAX_RUNS and not args.force:
        raise InputError(f"--runs {args.runs:,}: more than {MAX_RUNS} seeds takes long (about "
                         "a second each); add --force to run them anyway")
    result = compare(scenarios, roster, runs=args.runs, method=args.method)
    if args.format == "json":
        return envelope("compare", result, roster)
    rows = result.rows if args.all else result.differing()
    columns = [f"({k + 1})" for k in range(len(result.scenarios))]
    key = [f"  ({k + 1}) {name}" for k, name in enumerate(result.scenarios)]
    shown = "all items" if args.all else "items that differ (--all for every item)"
    return [f"{len(result.scenarios)} scenarios side by side, {shown}; draw statistics over "
            f"seeds 0-{result.runs - 1} ({args.method}):", *key, "",
            table(["item", *columns], [[item, *values] for item, values in rows])]


def cmd_schema(args: argparse.Namespace) -> Output:
    from tocreview.schemas import DATA, DOCUMENTS

    if args.name is None:
        rows = [[name, model.__name__, "in the envelope"] for name, model in DATA.items()]
        rows += [[name, model.__name__, "as it is"] for name, model in DOCUMENTS.items()]
        return ["JSON outputs and their schemas (tocreview schema NAME prints one):", "",
                table(["name", "data", "written"], rows)]
    return schema(args.name)


def _write(path: str, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename. Only a
    regular file (or a new name) is written: never a directory, device or FIFO."""
    if not path.strip():
        raise InputError("the output file name is empty")
    target = Path(path)
    try:
        exists = target.exists() or target.is_symlink()
        if exists and not target.is_file():
            raise InputError(f"cannot write {excerpt_path(path)}: it is not a regular file")
    except OSError as exc:
        raise InputError(f"cannot write {excerpt_path(path)}: {exc.strerror}") from None
    temporary = target.with_name(f".{target.name[:100]}.tocreview-partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write {excerpt_path(path)}: {exc.strerror}") from None


def excerpt_path(path: str) -> str:
    return path if len(path) <= 120 else path[:60] + "..." + path[-40:]


COMMANDS: dict[str, Callable[[argparse.Namespace], Output]] = {
    "roster": cmd_roster, "start-groups": cmd_start_groups, "draw": cmd_draw,
    "check": cmd_check, "rules": cmd_rules, "scenarios": cmd_scenarios,
    "timeline": cmd_timeline, "language": cmd_language, "access": cmd_access,
    "costs": cmd_costs, "compare": cmd_compare, "schema": cmd_schema,
}
"""Subcommand name -> what it does."""
