"""An auditor's re-derivation of a draw, written from docs/randomness.md with hashlib alone.

Nothing here imports the library's generator, models or engine: it reads a draw as the JSON
the command line writes (``draw --format json``, the ``data`` of the envelope, or the
``model_dump(mode="json")`` of a :class:`~tocreview.model.result.Draw`) and recomputes

- every lot of the traced choices it can re-derive from the seed and the trace alone: the
  shuffles of the start groups and of the order of the States under review, and each draw
  of the ``sequential`` method (the lots, the candidates set aside, the candidate chosen),
  from the pool the entry writes out or names (a ``pool`` entry, less a few members);
- the receipt's inputs hash, from the roster, the parameter values and the request as JSON.

A mismatch means the draw does not follow from its seed: a method that claims lots it did not
draw, or a trace edited after the fact. Lots of the other methods (``uniform``, ``lots``, a
redraw, a plugin's method) are counted as not re-derived here; the principle suite re-runs
those instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PREFIX = b"tocreview-lots-v1"


def words(seed: str, key: str) -> Iterator[int]:
    """The stream of 64-bit integers for (seed, key): SHA-256 in counter mode."""
    head = PREFIX + b"\x00" + seed.encode("utf-8") + b"\x00" + key.encode("utf-8") + b"\x00"
    counter = 0
    while True:
        block = hashlib.sha256(head + counter.to_bytes(8, "big")).digest()
        for offset in (0, 8, 16, 24):
            yield int.from_bytes(block[offset:offset + 8], "big")
        counter += 1


def below(stream: Iterator[int], n: int) -> int:
    """A uniform integer in 0..n-1, discarding the top of the range."""
    limit = 2**64 - (2**64 % n)
    for u in stream:
        if u < limit:
            return u % n
    raise AssertionError("a stream never ends")


def fisher_yates(items: Sequence[str], stream: Iterator[int]) -> list[str]:
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = below(stream, i + 1)
        out[i], out[j] = out[j], out[i]
    return out


@dataclass
class Audit:
    """What the re-derivation found."""

    rederived: int = 0
    not_rederived: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def rederive(draw: Mapping[str, Any]) -> Audit:
    """Re-derive the lots of a draw (as JSON) from its seed and trace."""
    seed = str(draw["request"]["seed"])
    streams: dict[str, Iterator[int]] = {}
    listed: dict[object, list[str]] = {}  # the 'pool' entries, by step
    audit = Audit()
    for entry in draw["trace"]:
        action, key = entry.get("action"), str(entry.get("stream") or "")
        pool, chosen = list(entry.get("pool") or ()), list(entry.get("chosen") or ())
        if action == "pool":
            listed[entry.get("step")] = pool
            continue
        origin = entry.get("pool_from")
        if origin is not None:  # drawn from a list written once, less a few members
            if origin not in listed:
                audit.mismatches.append(f"step {entry.get('step')}: pool_from {origin} is "
                                        "not an earlier 'pool' entry")
                continue
            less = set(entry.get("pool_less") or ())
            pool = [m for m in listed[origin] if m not in less]
        if action in ("start group", "order"):
            # Each of these keys serves one shuffle, first on its stream.
            got = fisher_yates(sorted(pool), words(seed, key))
            if got != chosen:
                audit.mismatches.append(f"step {entry['step']} ({key}): the shuffle gives "
                                        f"{got[:3]}..., the trace says {chosen[:3]}...")
            audit.rederived += 1
        elif action == "draw" and key.startswith("review/"):
            stream = streams.setdefault(key, words(seed, key))
            remaining = list(pool)
            for expected in [*(entry.get("set_aside") or ()), *chosen[:1]]:
                if not remaining:
                    audit.mismatches.append(f"step {entry['step']} ({key}): the pool ran out")
                    break
                got = remaining.pop(below(stream, len(remaining)))
                if got != expected:
                    audit.mismatches.append(f"step {entry['step']} ({key}): the lot gives "
                                            f"{got}, the trace says {expected}")
                    break
            audit.rederived += 1
        elif action in ("draw", "redraw"):
            audit.not_rederived += 1
    audit.mismatches.extend(_pairings_against_trace(draw))
    return audit


def _pairings_against_trace(draw: Mapping[str, Any]) -> list[str]:
    """Every main reviewer in the pairings must be the last one the trace drew for that State
    and side: a result that differs from its own trace is not the draw that was made."""
    drawn: dict[tuple[str, str], str] = {}
    for entry in draw["trace"]:
        if entry.get("action") in ("draw", "redraw") and entry.get("role") in (None, "main") \
                and entry.get("state_under_review") and entry.get("side") and entry.get("chosen"):
            drawn[(entry["state_under_review"], entry["side"])] = entry["chosen"][0]
    out = []
    for pairing in draw["pairings"]:
        if pairing.get("role") != "main":
            continue
        place = (pairing["under_review"], pairing["side"])
        if drawn.get(place) != pairing["reviewer"]:
            out.append(f"{place[0]} ({place[1]}): the pairings name {pairing['reviewer']} as "
                       f"main reviewer, the trace drew {drawn.get(place, 'no one')}")
    return sorted(set(out))


def canonical(payload: Any) -> str:
    """Canonical JSON: keys sorted, no spaces, text as UTF-8 (not escaped)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def roster_hash(roster: Mapping[str, Any]) -> str:
    """SHA-256 of a roster's JSON in compact form, keys in the order the roster file has
    them (the order ``tocreview roster --format json`` writes)."""
    text = json.dumps(roster, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inputs_hash(roster: Mapping[str, Any], parameters: Mapping[str, Any],
                request: Mapping[str, Any], scenario: str) -> str:
    """The receipt's inputs hash, recomputed (docs/randomness.md, "The inputs hash")."""
    payload = {"roster": roster_hash(roster), "parameters": dict(parameters),
               "request": dict(request), "scenario": scenario}
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()
