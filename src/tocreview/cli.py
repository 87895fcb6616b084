"""The ``tocreview`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tocreview.errors import TocreviewError
from tocreview.model.instrument import Instrument
from tocreview.model.roster import Roster, parse_date
from tocreview.report import roster_counts, roster_table


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
    return roster


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
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    roster = sub.add_parser("roster", help="list the parties and the counts per instrument")
    _add_roster_options(roster)
    roster.add_argument("--format", choices=["table", "json", "csv"], default="table")
    roster.set_defaults(func=cmd_roster)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
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
    return 0


def _write(path: str, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
