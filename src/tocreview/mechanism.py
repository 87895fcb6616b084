"""The facade users hold: a scenario and a roster, with their rules and plugins.

``Mechanism.untoc()`` is the adopted baseline. Each mechanism has its own plugin manager;
nothing is global.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from tocreview.draw.check import check
from tocreview.draw.engine import draw
from tocreview.draw.problem import PairingConstraint
from tocreview.draw.redraw import redraw
from tocreview.draw.rng import sha256_streams
from tocreview.draw.start_groups import divide
from tocreview.errors import (
    NoApplicableRule,
    ParameterError,
    PluginError,
    TocreviewError,
    UnknownNameError,
    describe,
)
from tocreview.inputs import parse_date
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import GroupStatus, Language
from tocreview.model.result import Draw, Pairing, StartGroups, Violation
from tocreview.model.roster import Roster
from tocreview.plugins.manager import PluginManager
from tocreview.plugins.model import Effect, Variant
from tocreview.rules import selection as sel
from tocreview.rules import start_groups as sg
from tocreview.rules.access import Actor, DocumentStage, combine, documents, within_ceiling
from tocreview.rules.costs import CostRates, Costs, cycle_costs, review_volume
from tocreview.rules.languages import LanguagePlan, parse_languages, working_language
from tocreview.rules.parameters import Parameters
from tocreview.rules.policy import Policy
from tocreview.rules.registry import rule_of
from tocreview.rules.timeline import Timeline, timeline
from tocreview.rules.workplan import PROCESS_START, Phase, entry_for, phases
from tocreview.scenario import BASELINES, Baseline, Scenario, resolve


class Coverage(BaseModel):
    """Who is reviewed under the scenario, who is not and why, and what that trades away."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reviewed: tuple[str, ...]
    not_reviewed: dict[str, str]
    principles_traded: tuple[str, ...]


class AccessLine(BaseModel):
    """Whether one actor may see one document at one stage, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str
    actor: Actor
    stage: DocumentStage
    allowed: bool
    reason: str


class LateEntry(BaseModel):
    """Where a State that became party after the start groups were drawn enters the cycle."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: str
    joined: date
    start_group: int
    starts: date | None
    answer: str
    citation: Citation


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
        self._made_with = (tuple(plugins), load_entry_points)
        self.scenario = scenario or Scenario()
        # `is None`, not falsiness: an empty roster given by the user is an error, never
        # replaced by the bundled one.
        self.roster = Roster.bundled() if roster is None else roster
        self.plugins = PluginManager(plugins, load_entry_points=load_entry_points)
        registered = self.plugins.constraints()
        resolved = resolve(self.scenario, self.plugins.variants(), set(registered))
        self.parameters: Parameters = resolved.parameters
        self.policy: Policy = resolved.policy
        # Named by a variant, or switched on by the parameters (the built-in options).
        self.constraints: tuple[PairingConstraint, ...] = tuple(
            c for key, c in sorted(registered.items())
            if key in resolved.constraints
            or (c.in_force is not None and c.in_force(self.parameters)))
        self.principles_traded = resolved.principles_traded
        self.citations: dict[str, Citation] = resolved.citations
        self.in_force: dict[str, Citation] = resolved.in_force
        """Per parameter and policy field, the citation of the value in force."""
        check_parameter_ids(self.parameters, self.roster)
        CostRates().with_changes(self.scenario.rates)  # a bad rate name or value fails here

    def __getstate__(self) -> dict[str, object]:
        # The plugin manager holds functions that do not pickle; a mechanism is rebuilt from
        # what it was made of, so it can be sent to another process (an executor).
        plugins, load_entry_points = self._made_with
        return {"scenario": self.scenario, "roster": self.roster, "plugins": plugins,
                "load_entry_points": load_entry_points}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["scenario"], state["roster"],  # type: ignore[misc]
                      plugins=state["plugins"], load_entry_points=state["load_entry_points"])

    @classmethod
    def untoc(cls, roster: Roster | None = None, *, plugins: Sequence[object] = (),
              load_entry_points: bool = True) -> Mechanism:
        """The adopted procedures and rules, on the bundled roster unless given one."""
        return cls(Scenario(), roster, plugins=plugins, load_entry_points=load_entry_points)

    def on(self, roster: Roster) -> Mechanism:
        """The same scenario, parameters and plugins on another roster."""
        # Not re-checked: the principle suite runs a scenario on sub-rosters that leave out
        # States the scenario names; the ids were checked against the roster it was made for.
        other = copy.copy(self)
        other.roster = roster
        return other

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
                      methods=self.plugins.draw_methods(), in_force=self.in_force)
        self.plugins.draw_completed(result)
        return result

    def redraw(self, result: Draw, *, state_under_review: str, rejected: str,
               exceptional: bool = False) -> Draw:
        again = redraw(result, self.roster, self.parameters,
                       state_under_review=state_under_review, rejected=rejected,
                       exceptional=exceptional, constraints=self.constraints,
                       in_force=self.in_force)
        self.plugins.draw_completed(again)
        return again

    def check(self, pairings: Iterable[Pairing], *,
              history: Iterable[Pairing] = ()) -> list[Violation]:
        return check(pairings, self.roster, self.parameters, history=history,
                     constraints=self.constraints)

    def effects(self) -> list[Effect]:
        """What the options in force change, from every plugin, sorted; who sees which
        document comes from the access table itself (:meth:`access`), never from a text."""
        return sorted([*self.plugins.effects(self.policy, self.parameters, self.in_force,
                                             self.scenario.variants),
                       *self.access_effects()], key=lambda e: (e.option, e.item))

    def access_effects(self) -> list[Effect]:
        """Who sees which final document, read off the access table with and without the
        consent of the State under review. Each carries the least sure of its sources."""
        docs = {d.kind: d for d in documents(self.policy.outcome)}
        table = {consent: [line for line in self.access(consent=consent)
                           if line.stage is DocumentStage.FINAL and line.allowed]
                 for consent in (False, True)}
        items = (
            ("public without the consent of the State under review", False, Actor.PUBLIC),
            ("public with the consent of the State under review", True, Actor.PUBLIC),
            ("seen by the other States parties without consent", False, Actor.OTHER_STATES),
            ("reached by civil society without consent", False, Actor.CIVIL_SOCIETY),
        )
        out = []
        for item, consent, actor in items:
            kinds = [line.document for line in table[consent] if line.actor is actor]
            sources = [self.in_force["outcome"]] + [
                docs[k].publication if consent else docs[k].citation for k in kinds]
            weakest = Status.weakest([c.status for c in sources])
            citation = next(c for c in sources if c.status is weakest)
            value = ", ".join(docs[k].title for k in kinds) or "none"
            out.append(Effect(option="access", item=item, value=value, citation=citation))
        return out

    def metrics(self, result: Draw) -> dict[str, dict[str, int]]:
        """Every registered metric of a draw: counts by name. Each metric gets its own copy
        of the draw; one that raises or answers anything but counts is named in the error."""
        out: dict[str, dict[str, int]] = {}
        for name, metric in self.plugins.metrics().items():
            where = f"metric {name}"
            try:
                answer = metric.compute(result.model_copy(deep=True))
            except (KeyboardInterrupt, TocreviewError):
                raise
            except BaseException as exc:
                raise PluginError(metric.source, where, describe(exc)) from None
            if not isinstance(answer, dict) or not all(
                    isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                    for k, v in answer.items()):
                raise PluginError(metric.source, where, "must return a dict of str to int")
            out[name] = answer
        return out

    # ----- the review process -------------------------------------------------------------

    def workplan(self, start_group: int,
                 instruments: Iterable[Instrument] = tuple(Instrument)) -> list[Phase]:
        """The phases of a start group's reviews under the scenario's sequencing."""
        return phases(self.policy.sequencing, start_group, tuple(instruments))

    def timeline(self, start: date | str, *, as_of: date | str | None = None,
                 events: Mapping[str, date | str] | None = None,
                 end: date | str | None = None) -> Timeline:
        """The stages of one country review from ``start``, and their status on ``as_of``."""
        return timeline(parse_date(start, what="start date"),
                        as_of=parse_date(as_of, what="as-of date") if as_of is not None
                        else None,
                        events={k: parse_date(v, what=f"date of {k}")
                                for k, v in (events or {}).items()},
                        end=parse_date(end, what="end date") if end else None,
                        experts_listed_before_draw=self.policy.experts_listed_before_draw)

    def working_language(self, state_under_review: str,
                         reviewers: Iterable[str],
                         languages: Mapping[str, Iterable[str]] | None = None) -> LanguagePlan:
        """The working language(s) of a review. ``languages`` gives a party's official UN
        languages where the roster does not know them."""
        given = {k: parse_languages(v) for k, v in (languages or {}).items()}
        known: dict[str, frozenset[Language] | None] = {}
        for party_id in (state_under_review, *reviewers):
            party = self.roster.get(party_id)
            recorded = frozenset(party.languages) if party.languages else None
            known[party_id] = given.get(party_id, recorded)
        return working_language(state_under_review, known)

    def late_joiner(self, state: str) -> LateEntry:
        """Where ``state`` enters the review cycle from the date it became party to the
        Convention (never a phase that began before that date). A State party before the
        start groups were drawn is placed by the draw, not by this rule: that is an error."""
        party = self.roster.get(state)
        consent = party.consent(Instrument.CONVENTION)
        joined = consent.deposited if consent is not None else None
        if joined is None:
            raise NoApplicableRule(f"{state}: the date it became party to the Convention is "
                                   "not known, so no entry into the cycle can be given")
        if joined < PROCESS_START:
            raise NoApplicableRule(
                f"{state} became party on {joined.isoformat()}, before the start groups began "
                f"({PROCESS_START.isoformat()}): it is placed by the drawing of start groups")
        group, starts = entry_for(joined, self.parameters.start_groups, self.policy.sequencing)
        record = rule_of(entry_for)
        answer = (f"joins start group {group}; its review starts on {starts.isoformat()}"
                  if starts else f"joins after every phase of this cycle began (last group "
                  f"{group}): its review falls in the next cycle, which is not modelled")
        return LateEntry(state=state, joined=joined, start_group=group, starts=starts,
                         answer=answer,
                         citation=next(c for c in record.citations
                                       if c.status is record.status))

    def access(self, *, consent: bool = False) -> list[AccessLine]:
        """Who may see each document of a review at each stage, under the scenario's options:
        the plugins' verdicts combined default-deny, then the core's ceiling (computed from a
        private copy of the documents' confidentiality that no plugin can reach)."""
        if not isinstance(consent, bool):  # "no" is a truthy string, not a refusal
            raise ParameterError(f"consent must be True or False, not {consent!r:.40}")
        out = []
        for document in documents(self.policy.outcome):
            for stage in DocumentStage:
                for actor in Actor:
                    # each plugin sees its own copy: writing to it changes nothing here
                    verdicts = self.plugins.access_verdicts(document.model_copy(deep=True),
                                                            actor, stage, self.policy, consent,
                                                            self.scenario.variants)
                    allowed, reason = combine(verdicts)
                    if allowed and not within_ceiling(document, actor, stage, consent):
                        allowed, reason = False, "not without the consent of the State under " \
                            f"review ({rule_of(within_ceiling).id})"
                    out.append(AccessLine(document=document.kind, actor=actor, stage=stage,
                                          allowed=allowed, reason=reason))
        return out

    def costs(self, rates: CostRates | None = None, *, changes: Mapping[str, float] | None = None,
              seed: str | int = "costs", as_of: date | str | None = None,
              groups: StartGroups | None = None) -> Costs:
        """Costs per review phase, per year and per cycle, by funding source. The number of
        review phases starting each year comes from the start groups (``groups``, or drawn
        under ``seed``) and the workplan, for the instruments each State is party to.

        The rates are ``rates`` (default: the assumed rates), then the plugins' changes
        (``cost_rates`` hook), then the scenario's ``[rates]``, then ``changes``; each changed
        rate is cited to what changed it."""
        base, citations = self.rates_in_force(rates, changes)
        division = groups or self.start_groups(seed, as_of)
        when = parse_date(as_of, what="as-of date") if as_of is not None else self.roster.as_of
        per_year, volume, _ = self.review_phases(division, when)
        result = cycle_costs(self.policy, base, per_year, volume)
        return result.model_copy(update={"citations": {**result.citations, **citations}})

    def rates_in_force(self, rates: CostRates | None = None,
                       changes: Mapping[str, float] | None = None
                       ) -> tuple[CostRates, dict[str, Citation]]:
        """The cost rates :meth:`costs` uses, and the citation of each one changed."""
        base = rates or CostRates()
        citations: dict[str, Citation] = {}
        plugin_changes = self.plugins.cost_rates(self.policy, self.parameters,
                                                 self.scenario.variants)
        base = base.with_changes({c.name: c.value for c in plugin_changes})
        citations |= {c.name: c.citation for c in plugin_changes}
        user = Citation(document=self.scenario.source or "scenario rates",
                        status=Status.ASSUMPTION, note="cost rates set by the scenario")
        base = base.with_changes(self.scenario.rates)
        citations |= {name: user for name in self.scenario.rates}
        if changes:
            base = base.with_changes(changes)
            given = Citation(document="rates given by the user", status=Status.ASSUMPTION)
            citations |= {name: given for name in changes}
        return base, citations

    def review_phases(self, division: StartGroups, as_of: date | None = None
                      ) -> tuple[dict[int, int], dict[int, float], dict[str, int]]:
        """Review phases starting each year, what they review (in units of one cluster of
        all four instruments), and the phases each State hosts: each State under review for
        the instruments it is party to, under the scenario's sequencing."""
        per_year: dict[int, int] = {}
        volume: dict[int, float] = {}
        hosted: dict[str, int] = {}
        held_by = self._instruments_on(as_of)
        alike: dict[tuple[int, tuple[Instrument, ...]], int] = {}
        for number, members in enumerate(division.groups, start=1):
            for member in members:
                held = held_by[member]
                alike[(number, held)] = alike.get((number, held), 0) + 1
                hosted[member] = len(self.workplan(number, held))
        # States of one start group party to the same instruments have the same phases:
        # counted once per kind (a simulation asks this for every run).
        for (number, held), count in alike.items():
            for phase in self.workplan(number, held):
                year = phase.starts.year
                per_year[year] = per_year.get(year, 0) + count
                volume[year] = volume.get(year, 0.0) + count * review_volume(
                    len(phase.clusters), len(phase.instruments))
        return per_year, volume, hosted

    def _instruments_on(self, as_of: date | None) -> dict[str, tuple[Instrument, ...]]:
        """Each party's instruments on ``as_of``, worked out once per date."""
        # Kept with the roster it was made from: a copy made by `on` must not reuse it.
        held = self.__dict__.get("_held_on")
        if held is None or held[0] is not self.roster:
            held = self.__dict__["_held_on"] = (self.roster, {})
        cache: dict[date | None, dict[str, tuple[Instrument, ...]]] = held[1]
        found = cache.get(as_of)
        if found is None:
            found = cache[as_of] = {p.id: tuple(p.instruments(as_of))
                                    for p in self.roster.parties}
        return found

    def coverage(self, as_of: date | str | None = None) -> Coverage:
        """Who is reviewed; who is not, and by which rule; which principles that trades."""
        when = parse_date(as_of, what="as-of date") if as_of is not None else self.roster.as_of
        reviewed, missing = [], {}
        for party in self.roster.parties:
            if party.is_party_to("convention", when) is not True:
                continue
            if sg.is_reviewed(party, self.parameters, when):
                reviewed.append(party.id)
            elif sel.opted_out(party.id, self.parameters):
                missing[party.id] = f"opted out ({rule_of(sel.not_opted_out).id})"
            else:
                missing[party.id] = "regional economic integration organization not reviewed " \
                    f"({rule_of(sg.is_reviewed).id})"
        return Coverage(reviewed=tuple(reviewed), not_reviewed=missing,
                        principles_traded=self.principles_traded)


def check_parameter_ids(parameters: Parameters, roster: Roster) -> None:
    """Every party id a scenario adds to the parameters is in the roster, and a no-group
    mapping it adds is for a party in no regional group: a typo would otherwise silently
    change nothing. (The defaults name parties, e.g. the Cook Islands, that a smaller roster
    may not hold; they are not the user's to correct.)"""
    default = Parameters()
    named = {
        "opted_out": sorted(parameters.opted_out - default.opted_out),
        "cap_waived_by": sorted(parameters.cap_waived_by - default.cap_waived_by),
        "legal_systems": sorted(set(parameters.legal_systems) - set(default.legal_systems)),
        "no_group_mapping": sorted(
            k for k, v in parameters.no_group_mapping.items()
            if default.no_group_mapping.get(k) != v),
    }
    ids = roster.ids()
    for key, values in named.items():
        for party_id in values:
            if party_id not in roster:
                raise ParameterError(
                    f"{key}: {UnknownNameError('party id', party_id, ids)}")
    for party_id in named["no_group_mapping"]:
        party = roster.get(party_id)
        observer = party.group_status is GroupStatus.OBSERVER
        if party.regional_group is not None and (not observer or parameters.observers_in_group):
            raise ParameterError(
                f"no_group_mapping: {party_id} ({party.name}) is in the "
                f"{party.regional_group.value} group; the mapping is for parties in no "
                "regional group")
