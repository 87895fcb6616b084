"""The one shape of every ``--format json`` output: what it is, what it rests on, the data.

An application reads ``kind`` to know what ``data`` holds (its JSON schema: ``tocreview schema
KIND``), ``data_valid_for`` and ``as_of`` to know how current it is, and ``citations`` for the
sources the output rests on beyond those inside ``data``. Files written this way read back
where an input of that kind exists (a roster, pairings, start groups).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from tocreview.errors import InputError
from tocreview.model.citation import Citation
from tocreview.model.instrument import Instrument

DataT = TypeVar("DataT")


class Envelope(BaseModel, Generic[DataT]):
    """A JSON output of the command line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(description="what data holds; its schema: tocreview schema KIND")
    tocreview: str = Field(description="the version that wrote it")
    as_of: date | None = Field(default=None, description="the date party status was taken on "
                               "(None: all known facts, or not about parties)")
    data_valid_for: dict[Instrument, date] = Field(
        default_factory=dict, description="per instrument, up to when the roster's facts are "
        "believed complete")
    citations: tuple[Citation, ...] = Field(
        default=(), description="sources the output rests on, beyond those inside data")
    data: DataT


def unwrap(payload: Any, kind: str, *, source: str) -> Any:
    """The data of an envelope of ``kind``, or ``payload`` itself when it is not an envelope."""
    if isinstance(payload, dict) and {"kind", "data", "tocreview"} <= set(payload):
        if payload["kind"] != kind:
            raise InputError(f"this is tocreview {payload['kind']!r} output, not {kind!r}",
                             source=source)
        return payload["data"]
    return payload
