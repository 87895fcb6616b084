"""The facade users hold: a scenario and a roster, with their rules and plugins.

``Mechanism.untoc()`` is the adopted baseline. Each mechanism has its own plugin manager;
nothing is global.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from tocreview.draw.check import Violation, check
from tocreview.draw.engine import draw
from tocreview.draw.model import Draw, Pairing
from tocreview.draw.problem import PairingConstraint
from tocreview.draw.redraw import redraw
from tocreview.draw.rng import sha256_streams
from tocreview.draw.start_groups import StartGroups, divide
from tocreview.model.citation import Citation
from tocreview.model.roster import Roster, parse_date
from tocreview.plugins.manager import PluginManager
from tocreview.plugins.model import Effect, Variant
from tocreview.rules import start_groups as sg
from tocreview.rules.parameters import Parameters
from tocreview.rules.policy import Policy
from tocreview.scenario import BASELINES, Baseline, Scenario, resolve


class Coverage(BaseModel):
    """Who is reviewed under the scenario, who is not and why, and what that trades away."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reviewed: tuple[str, ...]
    not_reviewed: dict[str, str]
    principles_traded: tuple[str, ...]


class Mechanism:
    """A scenario applied to a roster: draw, check, effects, coverage."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        roster: Roster | None = None,
        *,
        plugins: Sequence[object] = (),
        load_entry_points: bool = True,
    ) -> None:
        self.scenario = scenario or Scenario()
        self.roster = roster or Roster.bundled()
        self.plugins = PluginManager(plugins, load_entry_points=load_entry_points)
        registered = self.plugins.constraints()
        resolved = resolve(self.scenario, self.plugins.variants(), set(registered))
        self.parameters: Parameters = resolved.parameters
        self.policy: Policy = resolved.policy
        self.constraints: tuple[PairingConstraint, ...] = tuple(
            registered[c] for c in resolved.constraints)
        self.principles_traded = resolved.principles_traded
        self.citations: dict[str, Citation] = resolved.citations

    @classmethod
    def untoc(cls, roster: Roster | None = None, **kwargs: object) -> Mechanism:
        """The adopted procedures and rules, on the bundled roster unless given one."""
        return cls(Scenario(), roster, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_file(cls, path: str | Path, roster: Roster | None = None) -> Mechanism:
        return cls(Scenario.from_file(path), roster)

    @property
    def key(self) -> str:
        return self.scenario.key

    @staticmethod
    def baselines() -> dict[str, Baseline]:
        return dict(BASELINES)

    def variants(self) -> dict[str, Variant]:
        return self.plugins.variants()

    # ----- what the mechanism computes ---------------------------------------------------

    def start_groups(self, seed: str | int, as_of: date | str | None = None) -> StartGroups:
        when = parse_date(as_of, what="as-of date") if as_of is not None else self.roster.as_of
        return divide(self.roster, self.parameters, sha256_streams(str(seed)), when)

    def draw(self, *, group: int, seed: str | int, method: str = "sequential",
             as_of: date | str | None = None, history: Iterable[Pairing] = (),
             excluded: Iterable[str] = (), deferring: Iterable[str] = (),
             groups: StartGroups | None = None) -> Draw:
        result = draw(self.roster, self.parameters, group=group, seed=seed, method=method,
                      as_of=as_of, history=history, excluded=excluded, deferring=deferring,
                      groups=groups, scenario=self.key, constraints=self.constraints,
                      methods=self.plugins.draw_methods())
        self.plugins.draw_completed(result)
        return result

    def redraw(self, result: Draw, *, state_under_review: str, rejected: str,
               exceptional: bool = False) -> Draw:
        again = redraw(result, self.roster, self.parameters,
                       state_under_review=state_under_review, rejected=rejected,
                       exceptional=exceptional, constraints=self.constraints)
        self.plugins.draw_completed(again)
        return again

    def check(self, pairings: Iterable[Pairing], *,
              history: Iterable[Pairing] = ()) -> list[Violation]:
        return check(pairings, self.roster, self.parameters, history=history,
                     constraints=self.constraints)

    def effects(self) -> list[Effect]:
        """What the options in force change, from every plugin, sorted."""
        return self.plugins.effects(self.policy, self.parameters)

    def metrics(self, result: Draw) -> dict[str, dict[str, int]]:
        return {name: m.compute(result) for name, m in self.plugins.metrics().items()}

    def coverage(self, as_of: date | str | None = None) -> Coverage:
        """Who is reviewed; who is not, and by which rule; which principles that trades."""
        when = parse_date(as_of, what="as-of date") if as_of is not None else self.roster.as_of
        reviewed, missing = [], {}
        for party in self.roster.parties:
            if party.is_party_to("convention", when) is not True:
                continue
            if sg.is_reviewed(party, self.parameters, when):
                reviewed.append(party.id)
            elif party.id in self.parameters.opted_out:
                missing[party.id] = "opted out (variant.selection.opted_out)"
            else:
                missing[party.id] = "regional economic integration organization not reviewed " \
                    "(untoc.start_groups.who_is_reviewed)"
        return Coverage(reviewed=tuple(reviewed), not_reviewed=missing,
                        principles_traded=self.principles_traded)
