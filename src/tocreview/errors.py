"""The exceptions tocreview raises.

Every error is a subclass of :class:`TocreviewError` and its message says what was wrong,
where (file, row, column, party) and, where we can tell, what would fix it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from pydantic import ValidationError


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` candidates that look like ``word`` (case-insensitive)."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    hits = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


def first_error(exc: ValidationError) -> tuple[str, str]:
    """The location (dotted) and message of a validation error's first problem, worded for a
    person (pydantic's "Value error, " prefix removed)."""
    err = exc.errors()[0]
    location = ".".join(str(x) for x in err["loc"])
    return location, str(err["msg"]).removeprefix("Value error, ")


def _suggest(word: str, candidates: Iterable[str]) -> str:
    hits = close_matches(word, candidates)
    return f"; did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""


class TocreviewError(Exception):
    """Base class of every error this package raises on purpose."""


class UnknownNameError(TocreviewError, LookupError):
    """A name (party, instrument, method, rule) that is not known; names close matches."""

    def __init__(self, kind: str, name: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = close_matches(name, known)
        super().__init__(f"unknown {kind} {name!r}{_suggest(name, known)}")


class UnknownPartyError(UnknownNameError):
    """A party id or name that is not in the roster."""


class UnknownInstrumentError(UnknownNameError):
    """An instrument name other than convention, tip, som, firearms."""


class InputError(TocreviewError, ValueError):
    """Bad input read from a file or the command line; names the file, row and column."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.source = source
        self.row = row
        self.column = column
        where = []
        if source is not None:
            where.append(str(source))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class RosterError(InputError):
    """A roster that cannot be built: duplicate ids, a REIO member not in the roster, ..."""


class RuleConflict(TocreviewError):
    """Two applicable rules disagree and neither overrides the other."""


class NoApplicableRule(TocreviewError):
    """No rule applies to a question the engine must answer."""


class ParameterError(TocreviewError, ValueError):
    """A parameter value that is out of bounds or of the wrong type."""


class PluginError(TocreviewError):
    """A plugin (or a draw method, constraint or metric it registered) raised, took too long,
    or returned or registered something malformed. The message names the plugin and hook."""

    def __init__(self, plugin: str, hook: str, problem: str) -> None:
        self.plugin = plugin
        self.hook = hook
        where = f"hook {hook}" if hook.isidentifier() else hook
        super().__init__(f"plugin {plugin!r}, {where}: {problem}")


def describe(exc: BaseException) -> str:
    """An exception in one short line: its type and the start of its message."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= 160 else text[:160] + "..."
    return f"raised {type(exc).__name__}" + (f": {text}" if text else "")
