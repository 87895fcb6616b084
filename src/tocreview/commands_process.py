"""The process subcommands: timeline, language, access, costs, compare, schema."""

from __future__ import annotations

import argparse

from tocreview.commands_base import (
    Output,
    envelope,
    load_roster,
    mechanism_from_args,
    roster_from_args,
)
from tocreview.draw.pairings_io import (
    read_pairings,
)
from tocreview.errors import InputError, ParameterError
from tocreview.inputs import text_argument
from tocreview.model.roster import Roster
from tocreview.report import (
    Block,
    Cell,
    table,
    words,
)
from tocreview.schemas import (
    AccessView,
    TimelineView,
    schema,
)


def cmd_timeline(args: argparse.Namespace) -> Output:
    mechanism = mechanism_from_args(args, load_roster(args.roster))
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
    roster = roster_from_args(args)
    mechanism = mechanism_from_args(args, roster)
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
    mechanism = mechanism_from_args(args, Roster.bundled())
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
    roster = roster_from_args(args)
    mechanism = mechanism_from_args(args, roster)
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


def cmd_schema(args: argparse.Namespace) -> Output:
    from tocreview.schemas import DATA, DOCUMENTS

    if args.name is None:
        rows = [[name, model.__name__, "in the envelope"] for name, model in DATA.items()]
        rows += [[name, model.__name__, "as it is"] for name, model in DOCUMENTS.items()]
        return ["JSON outputs and their schemas (tocreview schema NAME prints one):", "",
                table(["name", "data", "written"], rows)]
    return schema(args.name)


