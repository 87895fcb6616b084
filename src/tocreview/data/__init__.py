"""The roster bundled with the package (roster.json), built by tools/build_roster.py."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from tocreview.model.roster import Roster


@lru_cache(maxsize=1)
def load_bundled() -> Roster:
    """Read the bundled roster once; the result is immutable, so sharing it is safe."""
    text = files(__package__).joinpath("roster.json").read_text(encoding="utf-8")
    return Roster.model_validate_json(text)
