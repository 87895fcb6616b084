"""The roster: an immutable set of parties that answers "who is party to what, as of when"."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from tocreview.data import bundled_roster_json
from tocreview.errors import RosterError, UnknownPartyError, first_error
from tocreview.inputs import parse_date
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import GroupStatus, IsoDate, Party, PartyKind, RegionalGroup
from tocreview.model.roster_io import read_csv, read_json, write_csv


class Roster(BaseModel):
    """An immutable set of parties, optionally fixed to a date (``as_of``).

    ``data_valid_for`` says, per instrument, up to which date the facts are believed complete;
    it is shown wherever results built on the roster are shown.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    parties: tuple[Party, ...]
    as_of: IsoDate | None = None
    data_valid_for: dict[Instrument, IsoDate] = Field(default_factory=dict)
    description: str = ""

    _by_id: dict[str, Party] = PrivateAttr(default_factory=dict)

    @field_validator("parties", mode="after")
    @classmethod
    def _by_id_order(cls, parties: tuple[Party, ...]) -> tuple[Party, ...]:
        return tuple(sorted(parties, key=lambda p: p.id))

    @field_validator("data_valid_for", mode="after")
    @classmethod
    def _instrument_order(cls, valid: dict[Instrument, date]) -> dict[Instrument, date]:
        # One order for equal content, so that the JSON (and its hash) is canonical.
        return {i: valid[i] for i in Instrument if i in valid}

    @model_validator(mode="after")
    def _valid_set(self) -> Roster:
        counts = Counter(p.id for p in self.parties)
        dupes = sorted(i for i, n in counts.items() if n > 1)
        if dupes:
            raise ValueError(f"duplicate party ids: {', '.join(dupes)}")
        ids = set(counts)
        for p in self.parties:
            missing = [m for m in p.members if m not in ids]
            if missing:
                raise ValueError(
                    f"{p.id} ({p.name}) lists member States not in the roster: "
                    f"{', '.join(missing)}; add them or remove them from its members"
                )
        names = Counter(n.casefold() for p in self.parties for n in (p.name, *p.other_names))
        clash = sorted(n for n, k in names.items() if k > 1)
        if clash:
            raise ValueError(f"a name is used by two parties: {', '.join(clash)}")
        return self

    def model_post_init(self, __context: Any) -> None:
        self._by_id.update({p.id: p for p in self.parties})

    # ----- construction -------------------------------------------------------------------

    @classmethod
    def bundled(cls, as_of: date | str | None = None) -> Roster:
        """The roster shipped with the package, optionally fixed to a date."""
        roster = _load_bundled()
        return roster if as_of is None else roster.on(as_of)

    @classmethod
    def from_json(cls, path: str | Path) -> Roster:
        """Load a roster written by :meth:`to_json`; errors name the file and field."""
        return read_json(Path(path), cls.model_validate)

    @classmethod
    def from_csv(cls, path: str | Path) -> Roster:
        """Load a roster from CSV (one row per party); errors name file, row and column."""
        return read_csv(Path(path), cls.build)

    @classmethod
    def build(cls, parties: list[Party] | tuple[Party, ...], **kwargs: Any) -> Roster:
        """Build a roster, turning validation failures into :class:`RosterError`."""
        try:
            return cls(parties=tuple(sorted(parties, key=lambda p: p.id)), **kwargs)
        except ValidationError as exc:
            raise RosterError(_first_message(exc)) from None

    def on(self, as_of: date | str) -> Roster:
        """The same roster fixed to another date (``YYYY-MM-DD``, 1945 to 2199)."""
        return self.model_copy(update={"as_of": parse_date(as_of, what="as-of date")})

    def with_regional_groups(self, overrides: Mapping[str, RegionalGroup | None]) -> Roster:
        """A copy in which the listed parties sit in another regional group (or in none)."""
        citation = Citation(document="user override", status=Status.ASSUMPTION)
        changed = []
        for p in self.parties:
            if p.id in overrides:
                group = overrides[p.id]
                status = GroupStatus.NONE if group is None else GroupStatus.MEMBER
                p = p.model_copy(
                    update={"regional_group": group, "group_status": status,
                            "group_source": citation}
                )
            changed.append(p)
        unknown = [i for i in overrides if i not in self._by_id]
        if unknown:
            raise UnknownPartyError("party id", unknown[0], list(self._by_id))
        return Roster.build(changed, as_of=self.as_of, data_valid_for=self.data_valid_for,
                            description=self.description)

    # ----- questions ----------------------------------------------------------------------

    def __iter__(self) -> Iterator[Party]:  # type: ignore[override]
        return iter(self.parties)

    def __len__(self) -> int:
        return len(self.parties)

    def __contains__(self, party_id: object) -> bool:
        return party_id in self._by_id

    def ids(self) -> list[str]:
        """All party ids, sorted."""
        return [p.id for p in self.parties]

    def get(self, party_id: str) -> Party:
        """The party with this id; :class:`UnknownPartyError` with close matches otherwise."""
        try:
            return self._by_id[party_id]
        except KeyError:
            raise UnknownPartyError("party id", party_id, list(self._by_id)) from None

    def by_name(self, name: str) -> Party:
        """The party with this name or former name (case-insensitive)."""
        wanted = name.strip().casefold()
        for p in self.parties:
            if wanted in (n.casefold() for n in (p.name, *p.other_names)):
                return p
        names = [n for p in self.parties for n in (p.name, *p.other_names)]
        raise UnknownPartyError("party name", name, names)

    def parties_to(
        self, instrument: Instrument | str, as_of: date | str | None = None
    ) -> tuple[Party, ...]:
        """The parties known to be bound by ``instrument`` on ``as_of`` (or the roster's date)."""
        inst = Instrument.parse(instrument)
        when = self._when(as_of)
        return tuple(p for p in self.parties if p.is_party_to(inst, when) is True)

    def undetermined(
        self, instrument: Instrument | str, as_of: date | str | None = None
    ) -> tuple[Party, ...]:
        """The parties whose status for ``instrument`` the sources do not settle on that date."""
        inst = Instrument.parse(instrument)
        when = self._when(as_of)
        return tuple(p for p in self.parties if p.is_party_to(inst, when) is None)

    def in_group(
        self, group: RegionalGroup | str | None, *, include_observers: bool = True
    ) -> tuple[Party, ...]:
        """The parties in ``group`` (``None``: in no group); observers optional."""
        wanted = None if group is None else RegionalGroup.parse(group)
        return tuple(
            p
            for p in self.parties
            if p.regional_group == wanted
            and (include_observers or p.group_status is not GroupStatus.OBSERVER)
        )

    def states(self) -> tuple[Party, ...]:
        """The parties that are States (not REIOs)."""
        return tuple(p for p in self.parties if p.kind is PartyKind.STATE)

    def _when(self, as_of: date | str | None) -> date | None:
        return self.as_of if as_of is None else parse_date(as_of, what="as-of date")

    # ----- export -------------------------------------------------------------------------

    def content_hash(self) -> str:
        """SHA-256 of the roster's JSON; equal rosters give equal hashes (canonical order)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def to_json(self, indent: int | None = 2) -> str:
        """The roster as JSON, readable by :meth:`from_json`."""
        return self.model_dump_json(indent=indent)

    def to_csv(self) -> str:
        """The roster as CSV, readable by :meth:`from_csv`."""
        meta = self.model_dump(mode="json", exclude={"parties"}, exclude_defaults=True)
        return write_csv(self.parties, meta)

    @staticmethod
    def json_schema() -> str:
        """The JSON schema of the roster file format."""
        return json.dumps(Roster.model_json_schema(), indent=2)


def _first_message(exc: ValidationError) -> str:
    loc, msg = first_error(exc)
    return f"{loc}: {msg}" if loc else msg


@lru_cache(maxsize=1)
def _load_bundled() -> Roster:
    """Read the bundled roster once; the result is immutable, so sharing it is safe."""
    return Roster.model_validate_json(bundled_roster_json())
