"""The ``tocreview`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from tocreview._version import __version__
from tocreview.draw.methods import METHODS
from tocreview.draw.pairings_io import (
    read_pairings,
    read_start_groups,
    write_pairings_csv,
    write_start_groups_csv,
)
from tocreview.errors import InputError, TocreviewError, UnknownNameError, first_error
from tocreview.mechanism import Mechanism
from tocreview.model.citation import Status
from tocreview.model.instrument import Instrument
from tocreview.model.roster import Roster, parse_date
from tocreview.report import (
    data_date_line,
    draw_table,
    roster_counts,
    roster_table,
    rules_table,
    table,
    violations_table,
)
from tocreview.rules.catalogue import RULES
from tocreview.rules.costs import CostRates
from tocreview.rules.parameters import PARAMETER_CITATIONS
from tocreview.scenario import Scenario
from tocreview.simulate import compare


def _load_roster(args: argparse.Namespace) -> Roster:
    path: str | None = getattr(args, "roster", None)
    if path is None:
        roster = Roster.bundled()
    elif path.lower().endswith(".json"):
        roster = Roster.from_json(path)
    else:
        roster = Roster.from_csv(path)
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


def cmd_roster(args: argparse.Namespace) -> str:
    roster = _load_roster(args)
    if args.format == "csv":
        return roster.to_csv().rstrip("\n")
    if args.format == "json":
        payload = {
            "as_of": roster.as_of.isoformat() if roster.as_of else None,
            "data_valid_for": {k.value: v.isoformat() for k, v in roster.data_valid_for.items()},
            "counts": roster_counts(roster),
            "undetermined": {
                i.value: [p.id for p in roster.undetermined(i)] for i in Instrument
            },
            "parties": [
                {
                    "id": p.id,
                    "name": p.name,
                    "regional_group": p.regional_group.value if p.regional_group else None,
                    "group_status": p.group_status.value,
                    "instruments": sorted(i.value for i in p.instruments(roster.as_of)),
                }
                for p in roster.parties
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
    return roster_table(roster)


def _mechanism(args: argparse.Namespace, roster: Roster) -> Mechanism:
    scenario = Scenario.from_file(args.scenario) if args.scenario else Scenario()
    return Mechanism(scenario, roster)


def cmd_start_groups(args: argparse.Namespace) -> str:
    roster = _load_roster(args)
    division = _mechanism(args, roster).start_groups(seed=args.seed)
    if args.format == "csv":
        return write_start_groups_csv(division).rstrip("\n")
    if args.format == "json":
        return division.model_dump_json(indent=2)
    rows = [[g + 1, len(members), " ".join(members)] for g, members in enumerate(division.groups)]
    return data_date_line(roster) + "\n\n" + table(["group", "size", "States"], rows)


def cmd_draw(args: argparse.Namespace) -> str:
    roster = _load_roster(args)
    mechanism = _mechanism(args, roster)
    history = read_pairings(args.history, roster) if args.history else []
    groups = read_start_groups(args.start_groups, roster) if args.start_groups else None
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
    if args.receipt:
        _write(args.receipt, result.receipt.model_dump_json(indent=2) + "\n")
    if args.format == "csv":
        return write_pairings_csv(result.pairings).rstrip("\n")
    if args.format == "json":
        return result.model_dump_json(indent=2)
    return draw_table(result, roster)


def cmd_check(args: argparse.Namespace) -> str:
    roster = _load_roster(args)
    mechanism = _mechanism(args, roster)
    pairings = read_pairings(args.pairings, roster)
    history = read_pairings(args.history, roster) if args.history else []
    violations = mechanism.check(pairings, history=history)
    args.exit_status = 1 if violations else 0
    if args.format == "json":
        return json.dumps([v.model_dump(mode="json") for v in violations], indent=2)
    return violations_table(violations)


def cmd_rules(args: argparse.Namespace) -> str:
    mechanism = _mechanism(args, Roster.bundled())
    if args.format == "markdown":
        from tocreview.catalogue_doc import catalogue_markdown

        return catalogue_markdown(mechanism).rstrip("\n")
    values = mechanism.parameters.model_dump(mode="json")
    if args.format == "json":
        return json.dumps(
            {
                "scenario": mechanism.key,
                "rules": [
                    {"id": r.id, "kind": r.kind.value, "status": r.status.value,
                     "statement": r.statement,
                     "citations": [c.model_dump(mode="json") for c in r.citations]}
                    for r in RULES
                ],
                "parameters": {
                    name: {"value": values[name], "citation": c.model_dump(mode="json")}
                    for name, c in PARAMETER_CITATIONS.items()
                },
            },
            indent=2, ensure_ascii=False,
        )
    params = "\n".join(
        f"  {name} = {values[name]!r}: {c.short()}" for name, c in PARAMETER_CITATIONS.items()
    )
    return (rules_table(RULES) + f"\n\nParameters in scenario {mechanism.key} "
            "(value: source of the adopted default):\n" + params)


def cmd_scenarios(args: argparse.Namespace) -> str:
    mechanism = _mechanism(args, Roster.bundled())
    if args.format == "json":
        return json.dumps({
            "scenario": mechanism.key,
            "baselines": {k: {"title": b.title, "citation": b.citation.model_dump(mode="json")}
                          for k, b in mechanism.baselines().items()},
            "variants": {k: v.model_dump(mode="json") for k, v in mechanism.variants().items()},
            "effects": [e.model_dump(mode="json") for e in mechanism.effects()],
            "in_force": {k: c.model_dump(mode="json") for k, c in mechanism.in_force.items()},
            "baseline_caveats": list(
                mechanism.baselines()[mechanism.scenario.baseline].caveats),
            "principles_traded": list(mechanism.principles_traded),
        }, indent=2, ensure_ascii=False)
    base_rows = [[k, b.title, b.citation.short()] for k, b in mechanism.baselines().items()]
    variant_rows = [[v.option, k, v.title, v.citation.short()]
                    for k, v in sorted(mechanism.variants().items(),
                                       key=lambda kv: (kv[1].option, kv[0]))]
    effect_rows = [[e.option, e.item, e.value, e.citation.short()] for e in mechanism.effects()]
    traded = ", ".join(mechanism.principles_traded) or "none"
    base = mechanism.baselines()[mechanism.scenario.baseline]
    unsure = [f"  {name} [{c.status.value}]" for name, c in sorted(mechanism.in_force.items())
              if c.status is not Status.ADOPTED]
    return "\n".join([
        "Baselines:", "", table(["baseline", "what", "source"], base_rows), "",
        f"Baseline {base.key}: " + " ".join(base.caveats), "",
        f"Values in force not seen in adopted text ({len(unsure)}):", *unsure, "",
        "Variants:", "", table(["option", "variant", "what", "source"], variant_rows), "",
        f"Scenario {mechanism.key}: what its options do (principles traded: {traded})", "",
        table(["option", "item", "value", "source of the value in force"], effect_rows),
    ])


def cmd_timeline(args: argparse.Namespace) -> str:
    roster = Roster.bundled() if args.roster is None else (
        Roster.from_json(args.roster) if args.roster.lower().endswith(".json")
        else Roster.from_csv(args.roster))
    mechanism = _mechanism(args, roster)
    events = {}
    for item in args.done or ():
        stage, sep, day = item.partition("=")
        if not sep:
            raise InputError(f"--done {item!r}: expected STAGE=DATE, e.g. focal_point=2021-11-10")
        events[stage.strip()] = day.strip()
    head = ""
    start = args.start
    if args.state:
        entry = mechanism.late_joiner(args.state)
        head = (f"{entry.state} became party on {entry.joined.isoformat()}: {entry.answer} "
                f"({entry.citation.short()})\n\n")
        if start is None:
            if entry.starts is None:
                return head.rstrip()
            start = entry.starts.isoformat()
    if start is None:
        raise InputError("give --start DATE, or --state ID for a State that joined late")
    result = mechanism.timeline(start, as_of=args.as_of, events=events, end=args.end)
    if args.format == "json":
        return result.model_dump_json(indent=2)
    rows = [[s.stage.value, s.title, s.due.isoformat(), s.done.isoformat() if s.done else "",
             s.status.value, s.citation.short()] for s in result.stages]
    return head + (f"Country review starting {result.start}, status as of {result.as_of} "
            f"(scenario {mechanism.key})\n\n"
            + table(["stage", "what", "due", "done", "status", "source"], rows))


def cmd_language(args: argparse.Namespace) -> str:
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
        return plan.model_dump_json(indent=2)
    rows = []
    for party_id in (state, *reviewers):
        party = roster.get(party_id)
        langs = ", ".join(x.value for x in party.languages) if party.languages else "not known"
        source = party.languages_source.short() if party.languages_source else "-"
        rows.append([party_id, "under review" if party_id == state else "reviewer", langs,
                     source])
    lines = [f"Working language of the review of {state} ({plan.citation.short()})", "",
             table(["party", "role", "UN languages", "source"], rows), "",
             f"Answer: {plan.answer}"]
    lines += [f"  translate: {t}" for t in plan.translations]
    return "\n".join(lines)


def cmd_access(args: argparse.Namespace) -> str:
    mechanism = _mechanism(args, Roster.bundled())
    lines = mechanism.access(consent=args.consent)
    if args.format == "json":
        return json.dumps([line.model_dump(mode="json") for line in lines], indent=2)
    actors = list(dict.fromkeys(line.actor for line in lines))
    rows = []
    for document in dict.fromkeys(line.document for line in lines):
        for stage in ("draft", "final"):
            marks = ["yes" if line.allowed else "-" for line in lines
                     if line.document == document and line.stage.value == stage]
            rows.append([document, stage, *marks])
    consent = "with" if args.consent else "without"
    return (f"Who may see what, {consent} the consent of the State under review to publish "
            f"(scenario {mechanism.key}; outcome: {mechanism.policy.outcome.value})\n\n"
            + table(["document", "stage", *[a.value for a in actors]], rows))


def cmd_costs(args: argparse.Namespace) -> str:
    mechanism = _mechanism(args, _load_roster(args))
    changes: dict[str, float] = {}
    for item in args.rate or ():
        name, sep, value = item.partition("=")
        try:
            changes[name.strip()] = float(value)
        except ValueError:
            raise InputError(f"--rate {item!r}: expected NAME=NUMBER") from None
        if not sep:
            raise InputError(f"--rate {item!r}: expected NAME=NUMBER")
    rates = _rates(changes)
    result = mechanism.costs(rates, seed=args.seed)
    if args.format == "json":
        return result.model_dump_json(indent=2)
    review_rows = [[c.category, f"{c.amount:,.0f}", c.source] for c in result.per_review]
    year_rows = [[year, result.reviews_per_year[year],
                  *[f"{result.per_year[year].get(s, 0):,.0f}" for s in result.cycle_by_source]]
                 for year in sorted(result.per_year)]
    sources = list(result.cycle_by_source)
    total_rows = [[s, f"{v:,.0f}"] for s, v in result.cycle_by_source.items()]
    return "\n".join([
        f"Costs in US dollars (scenario {mechanism.key}; funding: "
        f"{mechanism.policy.funding.value}). Every rate is an assumption: see --format json "
        "for the rates and their sources, and change them with --rate NAME=VALUE.", "",
        "Per review phase:", table(["category", "amount", "paid from"], review_rows), "",
        "Per year:", table(["year", "review phases starting", *sources], year_rows), "",
        "Cycle:", table(["source", "total"], [*total_rows, ["all", f"{result.cycle_total:,.0f}"]]),
    ])


def _rates(changes: dict[str, float]) -> CostRates:
    fields = list(CostRates.model_fields)
    base = CostRates().model_dump()
    for name, value in changes.items():
        if name in fields:
            base[name] = value
        elif "." in name and name.split(".", 1)[0] in ("pages", "secretariat_hours"):
            group, key = name.split(".", 1)
            if key not in base[group]:
                raise InputError(str(UnknownNameError(f"{group} key", key, list(base[group]))))
            base[group][key] = value
        else:
            raise InputError(str(UnknownNameError("rate", name, fields)))
    try:
        return CostRates.model_validate(base)
    except ValidationError as exc:
        where, message = first_error(exc)
        raise InputError(f"rate {where}: {message}") from None


def cmd_compare(args: argparse.Namespace) -> str:
    roster = _load_roster(args)
    scenarios = [Scenario()] if args.with_baseline else []
    scenarios += [Scenario.from_file(path) for path in args.scenarios]
    if len(scenarios) < 2:
        raise InputError("give at least two scenarios to compare (or --with-baseline and one)")
    if args.runs < 1:
        raise InputError(f"--runs {args.runs}: needs at least 1")
    result = compare(scenarios, roster, runs=args.runs, method=args.method)
    if args.format == "json":
        return result.model_dump_json(indent=2)
    rows = result.rows if args.all else result.differing()
    body = table(["item", *result.scenarios], [[item, *values] for item, values in rows])
    shown = "all items" if args.all else "items that differ (--all for every item)"
    return (f"{len(result.scenarios)} scenarios side by side, {shown}; draw statistics over "
            f"seeds 0-{result.runs - 1} ({args.method})\n\n{body}")


def _add_scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="FILE",
                        help="a scenario file (TOML or JSON): baseline, variants, overrides")


def _add_roster_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="DATE", help="party status as of this date (YYYY-MM-DD)")
    parser.add_argument(
        "--roster", metavar="FILE", help="a roster CSV or JSON file instead of the bundled one"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tocreview",
        description="The UNTOC Review Mechanism's procedures and rules: roster, drawing of lots.",
    )
    parser.add_argument("--version", action="version", version=f"tocreview {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    roster = sub.add_parser("roster", help="list the parties and the counts per instrument")
    _add_roster_options(roster)
    roster.add_argument("--format", choices=["table", "json", "csv"], default="table")
    roster.set_defaults(func=cmd_roster)

    drawp = sub.add_parser("draw", help="draw the reviewing States for one start group")
    drawp.add_argument("--group", type=int, required=True, help="start group (1, 2 or 3)")
    drawp.add_argument("--seed", required=True, help="the published seed (any text)")
    drawp.add_argument("--method", default="sequential", choices=sorted(METHODS),
                       help="draw method (default: sequential)")
    _add_roster_options(drawp)
    drawp.add_argument("--history", metavar="PAIRINGS",
                       help="pairings of earlier draws (CSV or JSON); no mutual reviews spans them")
    drawp.add_argument("--start-groups", metavar="FILE",
                       help="the start groups as published (CSV party,group), instead of "
                       "dividing them by lot under the seed")
    drawp.add_argument("--exclude", action="append", metavar="ID",
                       help="a party excluded from serving as reviewer (repeatable)")
    drawp.add_argument("--redraw", action="append", metavar="STATE:REVIEWER",
                       help="the State under review rejects that reviewer (repeatable, in order)")
    drawp.add_argument("--exceptional", action="store_true",
                       help="the redraws are requested in exceptional circumstances")
    drawp.add_argument("--format", choices=["table", "json", "csv"], default="table")
    drawp.add_argument("--receipt", metavar="FILE", help="write the receipt (JSON) to FILE")
    _add_scenario_option(drawp)
    drawp.set_defaults(func=cmd_draw)

    groupsp = sub.add_parser("start-groups", help="divide the States parties into start groups")
    groupsp.add_argument("--seed", required=True, help="the published seed (any text)")
    _add_roster_options(groupsp)
    groupsp.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_scenario_option(groupsp)
    groupsp.set_defaults(func=cmd_start_groups)

    checkp = sub.add_parser("check", help="check pairings made elsewhere against the rules")
    checkp.add_argument("pairings", metavar="PAIRINGS", help="pairings file (CSV or JSON)")
    _add_roster_options(checkp)
    checkp.add_argument("--history", metavar="PAIRINGS", help="pairings of earlier draws")
    checkp.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(checkp)
    checkp.set_defaults(func=cmd_check)

    timep = sub.add_parser("timeline", help="the stages of a country review and their due "
                           "dates")
    timep.add_argument("--start", metavar="DATE", help="the review's start")
    timep.add_argument("--state", metavar="ID",
                       help="a State that became party after the start groups were drawn: "
                       "where it enters the cycle (and its timeline from there)")
    timep.add_argument("--roster", metavar="FILE",
                       help="a roster CSV or JSON file instead of the bundled one (for --state)")
    timep.add_argument("--as-of", metavar="DATE", help="status on this date")
    timep.add_argument("--end", metavar="DATE", help="end of the phase (after the start)")
    timep.add_argument("--done", action="append", metavar="STAGE=DATE",
                       help="a stage done on a date (repeatable)")
    timep.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(timep)
    timep.set_defaults(func=cmd_timeline)

    langp = sub.add_parser("language", help="the working language of a review and the "
                           "translations it needs")
    langp.add_argument("state", metavar="STATE", help="the State under review (id or name)")
    langp.add_argument("--reviewers", action="append", metavar="A,B",
                       help="its reviewing States (comma-separated, repeatable)")
    langp.add_argument("--pairings", metavar="FILE",
                       help="take its reviewers from a pairings file (e.g. a draw's CSV)")
    _add_roster_options(langp)
    langp.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(langp)
    langp.set_defaults(func=cmd_language)

    accessp = sub.add_parser("access", help="who may see which document of a review")
    accessp.add_argument("--consent", action="store_true",
                         help="the State under review consents to publication")
    accessp.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(accessp)
    accessp.set_defaults(func=cmd_access)

    costsp = sub.add_parser("costs", help="costs per review, year and cycle by funding source")
    costsp.add_argument("--rate", action="append", metavar="NAME=VALUE",
                        help="change a rate, e.g. translation_per_word=0.25 or "
                        "pages.summary=6 (repeatable)")
    costsp.add_argument("--seed", default="costs", help="seed of the start groups")
    _add_roster_options(costsp)
    costsp.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(costsp)
    costsp.set_defaults(func=cmd_costs)

    comparep = sub.add_parser("compare", help="compare scenario files side by side")
    comparep.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="scenario files")
    comparep.add_argument("--with-baseline", action="store_true",
                          help="add the adopted baseline (untoc-2018) as the first column")
    comparep.add_argument("--runs", type=int, default=3, help="seeds per scenario (default 3)")
    comparep.add_argument("--method", default="sequential", choices=sorted(METHODS))
    comparep.add_argument("--all", action="store_true", help="show items that do not differ")
    _add_roster_options(comparep)
    comparep.add_argument("--format", choices=["table", "json"], default="table")
    comparep.set_defaults(func=cmd_compare)

    scenp = sub.add_parser("scenarios", help="baselines and variants with their sources, and "
                           "what the options of a scenario do")
    _add_scenario_option(scenp)
    scenp.add_argument("--format", choices=["table", "json"], default="table")
    scenp.set_defaults(func=cmd_scenarios)

    rulesp = sub.add_parser("rules", help="the catalogue of rules and parameters with sources")
    rulesp.add_argument("--format", choices=["table", "json", "markdown"], default="table",
                        help="markdown: the whole catalogue, as in docs/rules.md")
    _add_scenario_option(rulesp)
    rulesp.set_defaults(func=cmd_rules)
    for action in sub._choices_actions:  # each subcommand: its one-line help as description
        command = sub.choices[action.dest]
        command.description = action.help
        command.epilog = "example:\n  " + EXAMPLES[action.dest]
        command.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


EXAMPLES = {
    "roster": "tocreview roster --as-of 2014-07-10",
    "draw": "tocreview draw --group 1 --seed 2020 --as-of 2020-10-16 --receipt r.json",
    "start-groups": "tocreview start-groups --seed 2020 --as-of 2020-10-16 --format csv",
    "check": "tocreview check year1.csv --as-of 2020-10-16",
    "timeline": "tocreview timeline --start 2021-11-01 --as-of 2022-06-01",
    "language": "tocreview language ARG --reviewers CHL,FRA",
    "access": "tocreview access --consent",
    "costs": "tocreview costs --rate translation_per_word=0.25",
    "compare": "tocreview compare --with-baseline proposal.toml --runs 5",
    "scenarios": "tocreview scenarios --scenario proposal.toml",
    "rules": "tocreview rules --format markdown > rules.md",
}
"""One example per subcommand, shown at the end of its --help."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 violations found, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        output: str = args.func(args)
    except TocreviewError as exc:
        print(f"tocreview: error: {exc}", file=sys.stderr)
        return 2
    if output:
        try:
            sys.stdout.write(output + "\n")
        except BrokenPipeError:  # e.g. piped into head
            return 0
    for text in getattr(args, "notes", []):
        print(f"tocreview: {text}", file=sys.stderr)
    status: int = getattr(args, "exit_status", 0)
    return status


def _write(path: str, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
