"""The roster bundled with the package (roster.json), built by tools/build_roster.py.

This package holds data only and imports nothing from tocreview: the model reads the text
(:meth:`tocreview.model.roster.Roster.bundled`), so the layers point one way.
"""

from __future__ import annotations

from importlib.resources import files


def bundled_roster_json() -> str:
    """The text of the bundled roster file."""
    return files(__package__).joinpath("roster.json").read_text(encoding="utf-8")
