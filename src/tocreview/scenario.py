"""Scenarios as data: a baseline, an ordered list of variants, and overrides.

A scenario file (TOML or JSON)::

    baseline = "untoc-2018"
    variants = ["marrakech", "regular-budget"]

    [overrides]
    redraw_limit = 3

is validated whole before anything is built; its stable key is the baseline and variants
joined by ``+`` (``untoc-2018+marrakech+regular-budget``), with a short hash of the
overrides when there are any.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tocreview.errors import InputError, TocreviewError, close_matches
from tocreview.inputs import load_json, load_toml, read_text
from tocreview.model.citation import UNCAC_TOR, Citation, Status
from tocreview.plugins.model import Variant
from tocreview.rules.parameters import PARAMETER_CITATIONS, Composition, Parameters
from tocreview.rules.policy import (
    POLICY_CITATIONS,
    CivilSociety,
    Outcome,
    Policy,
    SecretariatRole,
)


class ScenarioError(InputError):
    """A scenario that cannot be built: unknown or conflicting names, wrong types."""

    def __init__(self, message: str, *, source: str | None = None,
                 column: str | None = None) -> None:
        self.key = column
        where = f"key {column!r}: " if column else ""
        super().__init__(where + message, source=source)


class VariantConflict(ScenarioError):
    """Two variants of one scenario set the same thing."""


@dataclass(frozen=True)
class Baseline:
    """A starting point for scenarios. ``caveats`` say what it takes from elsewhere or
    assumes; every value not seen in adopted text is also listed with its status wherever
    the baseline is shown."""

    key: str
    title: str
    citation: Citation
    parameters: Parameters
    policy: Policy
    caveats: tuple[str, ...] = ()


BASELINES: dict[str, Baseline] = {
    "untoc-2018": Baseline(
        "untoc-2018", "The adopted procedures and rules (COP resolution 9/1, annex) as read in "
        "secondary sources, with unconfirmed and assumed values where the text is not known",
        Citation(document="COP resolution 9/1, annex (procedures and rules)",
                 status=Status.SECONDARY, note="as read in the official secondary sources"),
        Parameters(), Policy(),
        caveats=("values not seen in the adopted text are filled with unconfirmed or assumed "
                 "defaults (e.g. redraw limit 2, the Cook Islands and Niue drawn with the "
                 "Asia-Pacific States); each is listed with its status",)),
    "uncac-irm": Baseline(
        "uncac-irm", "The UNCAC Implementation Review Mechanism, for comparison",
        Citation(document=UNCAC_TOR, status=Status.SECONDARY,
                 note="same-region reviewer with a similar-legal-system preference (para. 19); "
                 "redraws at most twice; yearly groups proportional to the regional groups; "
                 "NGO briefings (res. 4/6); country report and executive summary"),
        Parameters(composition=Composition.SAME_REGION_LEGAL_SYSTEM, redraw_limit=2,
                   exceptional_redraws=True, start_groups=4),
        Policy(civil_society=CivilSociety.MARRAKECH, outcome=Outcome.COUNTRY_REPORT,
               secretariat=SecretariatRole.AS_UNDER_UNCAC),
        caveats=("inherits from the UNTOC model what it does not set: the four thematic "
                 "clusters and the 2020-2030 workplan (UNCAC reviews chapters in five-year "
                 "cycles), private-sector and academic participation (UNCAC res. 4/6 speaks of "
                 "NGOs), and every other process default (assumption)",)),
}


class Scenario(BaseModel):
    """A baseline, an ordered tuple of variant keys, and overrides of single values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    baseline: str = "untoc-2018"
    variants: tuple[str, ...] = ()
    overrides: dict[str, Any] = Field(default_factory=dict)
    rates: dict[str, float] = Field(
        default_factory=dict, description="cost rates changed by this scenario, by name "
        "(translation_per_word, pages.summary, ...); applied after the plugins' changes")
    name: str | None = Field(default=None, exclude=True, max_length=60,
                             description="what a comparison calls it (default: its file name, "
                             "else its key); not part of its key")
    source: str | None = Field(default=None, exclude=True,
                               description="the file it was read from, for error messages")

    @property
    def title(self) -> str:
        """Its name, else the name of its file, else its key."""
        if self.name:
            return self.name
        if self.source:
            return Path(self.source).stem
        return self.key

    @property
    def key(self) -> str:
        """A stable key, e.g. ``untoc-2018+marrakech+regular-budget``."""
        parts = [self.baseline, *self.variants]
        if self.overrides:
            digest = hashlib.sha256(json.dumps(self.overrides, sort_keys=True,
                                               default=str).encode()).hexdigest()[:8]
            parts.append(f"overrides-{digest}")
        if self.rates:
            digest = hashlib.sha256(json.dumps(self.rates, sort_keys=True).encode()
                                    ).hexdigest()[:8]
            parts.append(f"rates-{digest}")
        return "+".join(parts)

    @classmethod
    def from_file(cls, path: str | Path) -> Scenario:
        """Read a scenario from TOML (``.toml``) or JSON; errors name the file and key."""
        file = Path(path)
        text = read_text(file, what="scenario file")
        try:
            data = (load_toml(text, source=str(file)) if file.suffix.lower() == ".toml"
                    else load_json(text, source=str(file)))
        except InputError as exc:
            raise ScenarioError(str(exc).removeprefix(f"{file}: ")[:300], source=str(file)) \
                from None
        if not isinstance(data, dict):
            raise ScenarioError("a scenario is a table of baseline, variants, overrides",
                                source=str(file))
        known = ["name", "baseline", "variants", "overrides", "rates"]
        for key in data:
            if key not in known:
                raise ScenarioError(_unknown("key", key, known), source=str(file), column=key)
        try:
            return cls.model_validate({**data, "source": str(file)})
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise ScenarioError(f"{err['msg']} (got {err.get('input')!r})", source=str(file),
                                column=where) from None


def _unknown(kind: str, name: str, known: list[str]) -> str:
    hits = close_matches(name, known)
    hint = f"; did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
    return f"unknown {kind} {name!r}{hint}"


@dataclass(frozen=True)
class Resolved:
    """A scenario made concrete: parameters, policy, active constraints, what it trades.

    ``in_force`` gives, for every parameter and policy field, the citation of the value in
    force: the variant or override that set it, else the baseline's source for it.
    """

    parameters: Parameters
    policy: Policy
    constraints: tuple[str, ...]
    principles_traded: tuple[str, ...]
    citations: dict[str, Citation]
    in_force: dict[str, Citation]


def override_citation(name: str, value: Any, source: str | None) -> Citation:
    """The citation of a value set by the user in a scenario's overrides."""
    where = f" in {source}" if source else ""
    return Citation(document="scenario overrides", status=Status.ASSUMPTION,
                    note=f"{name} = {value!r} set by the user{where}")


def baseline_citations(base: Baseline) -> dict[str, Citation]:
    """Per field, the source of the baseline's value: the library's cited default, or the
    baseline's own citation where it departs from that default."""
    out: dict[str, Citation] = {}
    for model, defaults, cited in ((base.parameters, Parameters(), PARAMETER_CITATIONS),
                                   (base.policy, Policy(), POLICY_CITATIONS)):
        for name in type(model).model_fields:
            same = getattr(model, name) == getattr(defaults, name)
            out[name] = cited[name] if same else base.citation
    return out


def resolve(scenario: Scenario, variants: Mapping[str, Variant],
            constraint_ids: set[str]) -> Resolved:
    """Validate the whole scenario, then build it. Nothing is half applied."""
    source = scenario.source

    def fail(message: str, key: str | None = None) -> ScenarioError:
        return ScenarioError(message, source=source, column=key)

    if scenario.baseline not in BASELINES:
        raise fail(_unknown("baseline", scenario.baseline, list(BASELINES)), "baseline")
    base = BASELINES[scenario.baseline]
    owners: dict[str, str] = {}
    chosen: list[Variant] = []
    for key in scenario.variants:
        if key not in variants:
            raise fail(_unknown("variant", key, list(variants)), "variants")
        if key in (v.key for v in chosen):
            raise fail(f"variant {key!r} is listed twice", "variants")
        variant = variants[key]
        for thing in sorted(variant.touches()):
            if thing in owners:
                raise VariantConflict(f"variants {owners[thing]!r} and {key!r} both set "
                                      f"{thing}", source=source, column="variants")
            owners[thing] = key
        missing = [c for c in variant.constraints if c not in constraint_ids]
        if missing:
            raise fail(f"variant {key!r} switches on constraint {missing[0]!r}, which no "
                       "plugin registers", "variants")
        chosen.append(variant)
    params: dict[str, Any] = base.parameters.model_dump()
    policy: dict[str, Any] = base.policy.model_dump()
    for variant in chosen:
        params.update(variant.parameters)
        policy.update(variant.policy)
    fields = [*Parameters.model_fields, *Policy.model_fields]
    for name, value in scenario.overrides.items():
        if name in Parameters.model_fields:
            params[name] = value
        elif name in Policy.model_fields:
            policy[name] = value
        else:
            raise fail(_unknown("override", name, fields), f"overrides.{name}")
    try:
        built_params = Parameters.model_validate(params)
        built_policy = Policy.model_validate(policy)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(x) for x in err["loc"]) or "overrides"
        raise fail(f"{err['msg']} (got {err.get('input')!r})", f"overrides.{name}") from None
    traded = sorted({p for v in chosen for p in v.principles_traded})
    citations = {"baseline": base.citation, **{v.key: v.citation for v in chosen}}
    in_force = baseline_citations(base)
    for variant in chosen:
        in_force.update(dict.fromkeys([*variant.parameters, *variant.policy], variant.citation))
    for name, value in scenario.overrides.items():
        in_force[name] = override_citation(name, value, source)
    return Resolved(built_params, built_policy,
                    tuple(sorted({c for v in chosen for c in v.constraints})),
                    tuple(traded), citations, in_force)


__all__ = ["BASELINES", "Resolved", "Scenario", "ScenarioError", "TocreviewError",
           "VariantConflict", "resolve"]
