"""What every subcommand shares: the JSON envelope, loading the roster, notes for stderr,
the scenario's mechanism, and writing output files whole or not at all."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tocreview._version import __version__
from tocreview.errors import InputError
from tocreview.inputs import parse_date
from tocreview.mechanism import Mechanism
from tocreview.model.citation import Citation
from tocreview.model.envelope import Envelope
from tocreview.model.roster import Roster
from tocreview.report import (
    Block,
)
from tocreview.scenario import Scenario

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


def roster_from_args(args: argparse.Namespace) -> Roster:
    roster = load_roster(getattr(args, "roster", None))
    if args.as_of is not None:
        roster = roster.on(parse_date(args.as_of, what="--as-of"))
    _say_date(args, roster)
    return roster


def note(args: argparse.Namespace, text: str) -> None:
    """A note or warning for stderr, printed once the command has succeeded."""
    notes: list[str] = getattr(args, "notes", [])
    notes.append(text)
    args.notes = notes


def _say_date(args: argparse.Namespace, roster: Roster) -> None:
    """Say which date party status is taken on, and warn where that date lies past the data's
    validity: leaving out --as-of changes every result."""
    if roster.as_of is None:
        note(args, "note: no --as-of given: party status from all known facts")
    else:
        note(args, f"note: party status as of {roster.as_of.isoformat()}")
    past = [f"{i.value} (to {d.isoformat()})" for i, d in roster.data_valid_for.items()
            if roster.as_of is None or roster.as_of > d]
    if past:
        note(args, "warning: the date lies past the data's validity for "
              + ", ".join(past) + ": later consents may be missing")


def mechanism_from_args(args: argparse.Namespace, roster: Roster) -> Mechanism:
    scenario = Scenario.from_file(args.scenario) if args.scenario else Scenario()
    return Mechanism(scenario, roster)


def write_whole(path: str, text: str) -> None:
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


