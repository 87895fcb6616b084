"""The ``tocreview`` command line: the parser, and ``main``, which runs a subcommand.

Only the parser is built at start (argparse and the version), so ``tocreview --help`` and
``--version`` answer at once; the model, the rules and the engine are imported when a
subcommand runs (:mod:`tocreview.commands`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tocreview._version import __version__

METHODS_HELP = ("draw method: sequential (the default), uniform, lots, or one a plugin adds "
                "(docs/drawing-of-lots.md)")


def _add_scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="FILE",
                        help="a scenario file (TOML or JSON): baseline, variants, overrides")


def _add_roster_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="DATE", help="party status as of this date (YYYY-MM-DD)")
    parser.add_argument(
        "--roster", metavar="FILE", help="a roster CSV or JSON file instead of the bundled one"
    )


def _add_simulation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=20,
                        help="simulated cycles per scenario (default 20)")
    parser.add_argument("--seed", default="simulate",
                        help="master seed: run i uses SEED/i (default 'simulate')")
    parser.add_argument("--method", default="sequential", help=METHODS_HELP)
    parser.add_argument("--redraw-rate", type=float, default=0.0, metavar="SHARE",
                        help="chance that a State under review asks for a redraw (default 0)")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes to spread the runs over (default 1)")
    parser.add_argument("--force", action="store_true",
                        help="run more than 2,000 simulated cycles")


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
    roster.set_defaults(command_name="roster")
    roster_actions = roster.add_subparsers(dest="roster_action", metavar="ACTION")
    update = roster_actions.add_parser(
        "update", help="bring one instrument up to date from its UN Treaty Collection status "
        "page (saved as HTML or text)",
        description="Read the status table of one instrument, saved from the UN Treaty "
        "Collection (columns Participant, Signature, Ratification...), and write the roster "
        "with every new or corrected consent cited to that page and its date.",
        epilog="example:\n  tocreview roster update --instrument tip --from tip-status.html "
        "--output roster.json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    update.add_argument("--instrument", required=True,
                        help="convention, tip, som or firearms (or XVIII-12, XVIII-12-a...)")
    update.add_argument("--from", dest="from_file", required=True, metavar="FILE",
                        help="the saved status page (HTML, or text with tab-separated cells)")
    update.add_argument("--status-date", metavar="DATE",
                        help="the page's date (YYYY-MM-DD) when the saved page does not show "
                        "its 'Status as at' line")
    update.add_argument("--roster", metavar="FILE",
                        help="the roster to update (CSV or JSON; default: the bundled one)")
    update.add_argument("--output", required=True, metavar="FILE",
                        help="where to write the updated roster (.json or .csv)")

    drawp = sub.add_parser("draw", help="draw the reviewing States for one start group")
    drawp.add_argument("--group", type=int, required=True, help="start group (1, 2 or 3)")
    drawp.add_argument("--seed", required=True, help="the published seed (any text)")
    drawp.add_argument("--method", default="sequential", help=METHODS_HELP)
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
    drawp.add_argument("--explain", action="store_true",
                       help="list every value the draw rests on, with its status and source")
    _add_scenario_option(drawp)
    drawp.set_defaults(command_name="draw")

    groupsp = sub.add_parser("start-groups", help="divide the States parties into start groups")
    groupsp.add_argument("--seed", required=True, help="the published seed (any text)")
    _add_roster_options(groupsp)
    groupsp.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_scenario_option(groupsp)
    groupsp.set_defaults(command_name="start-groups")

    checkp = sub.add_parser("check", help="check pairings made elsewhere against the rules")
    checkp.add_argument("pairings", metavar="PAIRINGS", help="pairings file (CSV or JSON)")
    _add_roster_options(checkp)
    checkp.add_argument("--history", metavar="PAIRINGS", help="pairings of earlier draws")
    checkp.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(checkp)
    checkp.set_defaults(command_name="check")

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
    timep.set_defaults(command_name="timeline")

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
    langp.set_defaults(command_name="language")

    accessp = sub.add_parser("access", help="who may see which document of a review")
    accessp.add_argument("--consent", action="store_true",
                         help="the State under review consents to publication")
    accessp.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(accessp)
    accessp.set_defaults(command_name="access")

    costsp = sub.add_parser("costs", help="costs per review, year and cycle by funding source")
    costsp.add_argument("--rate", action="append", metavar="NAME=VALUE",
                        help="change a rate, e.g. translation_per_word=0.25 or "
                        "pages.summary=6 (repeatable)")
    costsp.add_argument("--seed", default="costs", help="seed of the start groups")
    _add_roster_options(costsp)
    costsp.add_argument("--format", choices=["table", "json"], default="table")
    _add_scenario_option(costsp)
    costsp.set_defaults(command_name="costs")

    simp = sub.add_parser("simulate", help="simulate whole review cycles of a scenario many "
                          "times: coverage, burden, draws, process and costs, with intervals")
    _add_scenario_option(simp)
    _add_simulation_options(simp)
    _add_roster_options(simp)
    simp.add_argument("--format", choices=["table", "json", "csv"], default="table",
                      help="csv: one row per simulated cycle")
    simp.set_defaults(command_name="simulate")

    comparep = sub.add_parser("compare", help="compare scenario files side by side over "
                              "simulated cycles on the same seeds")
    comparep.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="scenario files")
    comparep.add_argument("--with-baseline", action="store_true",
                          help="add the adopted baseline (untoc-2018) as the first column")
    _add_simulation_options(comparep)
    comparep.add_argument("--all", action="store_true",
                          help="show figures and effects that do not differ")
    comparep.add_argument("--plot", metavar="FILE", help="charts of the comparison "
                          "(.png, .svg or .pdf; needs matplotlib)")
    _add_roster_options(comparep)
    comparep.add_argument("--format", choices=["table", "json", "csv"], default="table",
                          help="csv: one row per figure and scenario")
    comparep.set_defaults(command_name="compare")

    scenp = sub.add_parser("scenarios", help="baselines and variants with their sources, and "
                           "what the options of a scenario do")
    _add_scenario_option(scenp)
    scenp.add_argument("--format", choices=["table", "json"], default="table")
    scenp.set_defaults(command_name="scenarios")

    rulesp = sub.add_parser("rules", help="the catalogue of rules and parameters with sources")
    rulesp.add_argument("--format", choices=["table", "json", "markdown"], default="table",
                        help="markdown: the whole catalogue, as in docs/rules.md")
    _add_scenario_option(rulesp)
    rulesp.set_defaults(command_name="rules")
    schemap = sub.add_parser("schema", help="the JSON schema of an output (--format json) or "
                             "of the receipt")
    schemap.add_argument("name", metavar="NAME", nargs="?",
                         help="output name (the command that writes it) or receipt; "
                         "leave out to list them")
    schemap.set_defaults(command_name="schema")
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
    "simulate": "tocreview simulate --scenario proposal.toml --runs 200 --workers 2",
    "compare": "tocreview compare --with-baseline proposal.toml --runs 50",
    "scenarios": "tocreview scenarios --scenario proposal.toml",
    "rules": "tocreview rules --format markdown > rules.md",
    "schema": "tocreview schema draw > draw.schema.json",
}
"""One example per subcommand, shown at the end of its --help."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 violations found, 2 bad input)."""
    args = build_parser().parse_args(argv)
    from tocreview.commands import COMMANDS
    from tocreview.errors import TocreviewError

    try:
        output = COMMANDS[args.command_name](args)
    except TocreviewError as exc:
        print(f"tocreview: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tocreview: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        print("tocreview: error: the input is nested too deeply", file=sys.stderr)
        return 2
    except MemoryError:
        print("tocreview: error: out of memory (is the input far larger than a roster?)",
              file=sys.stderr)
        return 2
    except Exception as exc:  # a bug of ours: say so in one line, never a traceback
        print(f"tocreview: internal error (please report it): {type(exc).__name__}: "
              f"{_one_line(str(exc))}", file=sys.stderr)
        return INTERNAL_ERROR
    if not isinstance(output, str):
        from tocreview.render import render

        output = render(output, terminal=sys.stdout.isatty())
    if output:
        try:
            sys.stdout.write(output + "\n")
        except BrokenPipeError:  # e.g. piped into head
            return 0
    for text in getattr(args, "notes", []):
        print(f"tocreview: {text}", file=sys.stderr)
    status: int = getattr(args, "exit_status", 0)
    return status


INTERNAL_ERROR = 70
"""The exit status of an error that is a bug of tocreview, not of the input."""


def _one_line(text: str, limit: int = 500) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


if __name__ == "__main__":
    raise SystemExit(main())
