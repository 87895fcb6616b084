"""Checking a mechanism (the adopted rules, an option, a plugin) against the guiding
principles. Every check is exact: no sampling, nothing that can fail at random."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.methods import METHODS, SamplingExhausted, at_cap
from tocreview.draw.problem import Problem, build_problem
from tocreview.mechanism import Mechanism
from tocreview.model import Citation, Consent, Instrument, Party, RegionalGroup, Roster, Status
from tocreview.model.result import Draw, Pairing, Role, Side, StartGroups
from tocreview.rules import selection as sel
from tocreview.rules.catalogue import RULES
from tocreview.rules.principles import PRINCIPLES, Principle, per_state_signals, ranking_fields
from tocreview.testing.audit import rederive
from tocreview.testing.exact import enumerate_distribution, relabel
from tocreview.testing.frequencies import FALSE_ALARM, SEEDS, frequency_problem


class Verdict(StrEnum):
    HOLDS = "holds"
    TRADED = "traded"
    """An option of the scenario gives the principle up, and says so."""
    VIOLATED = "violated"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    principle: Principle
    verdict: Verdict
    detail: str
    example: str | None = None
    citation: Citation


class PrincipleReport(BaseModel):
    """What the principle suite found for one scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: str
    findings: tuple[Finding, ...]

    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict is Verdict.VIOLATED]

    def traded(self) -> set[Principle]:
        return {f.principle for f in self.findings if f.verdict is Verdict.TRADED}

    def verdict(self, principle: Principle) -> Verdict:
        mine = [f.verdict for f in self.findings if f.principle is principle]
        if Verdict.VIOLATED in mine:
            return Verdict.VIOLATED
        return Verdict.TRADED if Verdict.TRADED in mine else Verdict.HOLDS


def _finding(principle: Principle, verdict: Verdict, detail: str,
             example: str | None = None) -> Finding:
    return Finding(principle=principle, verdict=verdict, detail=detail, example=example,
                   citation=PRINCIPLES[principle].citation)


def check_principles(mechanism: Mechanism, *, seed: str = "principles",
                     as_of: date | str | None = None,
                     method: str = "sequential") -> PrincipleReport:
    """Run every principle check on ``mechanism``: draws of every start group on its roster
    with ``method`` (a plugin's method too), and an exact relabelling check of its draw
    methods on a small instance."""
    m = mechanism if as_of is None else mechanism.on(mechanism.roster.on(as_of))
    draws: list[Draw] = []
    history: list[Pairing] = []
    groups = m.start_groups(seed)
    for number in range(1, len(groups.groups) + 1):
        try:
            result = m.draw(group=number, seed=seed, history=history, groups=groups,
                            method=method)
        except (InfeasibleDraw, SamplingExhausted) as exc:
            # The scenario leaves some State without a valid review: that is the finding.
            return PrincipleReport(scenario=m.key, findings=(_finding(
                Principle.NON_SELECTIVE, Verdict.VIOLATED,
                f"start group {number} cannot be drawn under the scenario",
                str(exc)[:300]),))
        draws.append(result)
        history.extend(result.pairings)
    # the places and static pools of each draw, built once for the checks that read them
    problems = [build_problem(m.roster, m.parameters, d.request, m.constraints) for d in draws]
    findings = [
        *_non_selective(m, draws),
        *_inclusive(m, groups),
        *_impartial_pools(m, draws, problems),
        *_impartial_exact(m),
        *_impartial_frequencies(m),
        *_no_ranking(m, draws),
        *_transparent(m, draws, groups, problems),
    ]
    return PrincipleReport(scenario=m.key, findings=tuple(findings))


def assert_principles(mechanism: Mechanism, *, allow_traded: bool = True,
                      **kwargs: Any) -> PrincipleReport:
    """Raise AssertionError naming the principle and a minimal example on any violation."""
    report = check_principles(mechanism, **kwargs)
    bad = report.violations()
    if not allow_traded:
        bad += [f for f in report.findings if f.verdict is Verdict.TRADED]
    if bad:
        lines = [f"{f.principle.value} ({f.verdict.value}): {f.detail}"
                 + (f"\n    minimal example: {f.example}" if f.example else "") for f in bad]
        raise AssertionError(f"scenario {report.scenario} breaks the guiding principles:\n  "
                             + "\n  ".join(lines))
    return report


def _non_selective(m: Mechanism, draws: list[Draw]) -> list[Finding]:
    for result in draws:
        for sur in result.request.states_under_review:
            wanted = m.roster.get(sur).instruments(result.request.as_of)
            got = result.reviewers_of(sur)
            short = [i.value for i in wanted if len(set(got.get(i, []))) != 2]
            if set(got) != set(wanted) or short:
                return [_finding(Principle.NON_SELECTIVE, Verdict.VIOLATED,
                                 "a State under review did not get the full prescribed review",
                                 f"{sur} in group {result.request.group}: instruments "
                                 f"{sorted(i.value for i in wanted)}, reviewers {got}")]
    return [_finding(Principle.NON_SELECTIVE, Verdict.HOLDS, "every State under review got "
                     "two reviewers for every instrument it is party to")]


def _inclusive(m: Mechanism, groups: StartGroups) -> list[Finding]:
    coverage = m.coverage()
    placed = [s for g in groups.groups for s in g]
    twice = sorted({s for s in placed if placed.count(s) > 1})
    missing = sorted(set(coverage.reviewed) - set(placed))
    if twice or missing:
        return [_finding(Principle.INCLUSIVE, Verdict.VIOLATED,
                         "a State party is reviewed twice or not at all in the cycle",
                         f"twice: {twice[:3]}, never: {missing[:3]}")]
    out = []
    opted = {k: v for k, v in coverage.not_reviewed.items() if "opted out" in v}
    if opted and Principle.INCLUSIVE.value not in coverage.principles_traded:
        # A State left out must be explained by a variant that says what it trades.
        source = m.in_force.get("opted_out")
        return [_finding(Principle.NON_SELECTIVE, Verdict.VIOLATED,
                         "States parties are not reviewed but no variant of the scenario "
                         "declares the principle this trades",
                         f"{', '.join(sorted(opted)[:5])} not reviewed; opted_out set by "
                         f"{source.document if source else 'the scenario'}")]
    if Principle.INCLUSIVE.value in coverage.principles_traded or opted:
        out.append(_finding(Principle.INCLUSIVE, Verdict.TRADED,
                            "the scenario lets States stay out of the review (opt-out); "
                            f"not reviewed: {', '.join(sorted(opted)) or 'none so far'}"))
    else:
        others = ", ".join(f"{k}: {v}" for k, v in sorted(coverage.not_reviewed.items()))
        out.append(_finding(Principle.INCLUSIVE, Verdict.HOLDS,
                            "every State party is in exactly one start group"
                            + (f"; not reviewed, by rule: {others}" if others else "")))
    return out


def _profile(problem: Problem, sur: str, c: str) -> tuple[object, ...]:
    """Every fact about candidate ``c`` that a rule may use for ``sur``'s places. Of the
    regional groups only the relation counts (same group as the State, or another): the rules
    name no group, so a pool that depends on which other group is discrimination."""
    party, sur_party = problem.by_party[c], problem.by_party[sur]
    p = problem.parameters
    history = problem.history_pairs
    home = problem.sur_groups[sur]
    relation = (sel.in_same_group(problem.groups_of[c], home),
                sel.in_other_group(problem.groups_of[c], home))
    return (
        relation, problem.instruments[c], party.kind, c == sur,
        (sur, c) in history, (c, sur) in history, c in problem.request.excluded,
        c in problem.request.deferring, c in p.opted_out, c in sur_party.members,
        c in problem.request.states_under_review,
        p.legal_systems.get(c) == p.legal_systems.get(sur) if c in p.legal_systems else None,
    )


def _impartial_pools(m: Mechanism, draws: list[Draw], problems: list[Problem]
                     ) -> list[Finding]:
    """Two States with the same facts must stand in the same pools (a transposition of their
    names changes nothing): exact, on the full roster."""
    for problem in problems:
        everyone = [p.id for p in m.roster.parties]
        for (sur, side), pool in problem.main_pool.items():
            members = set(pool)
            classes: dict[tuple[object, ...], list[str]] = defaultdict(list)
            for c in everyone:
                classes[_profile(problem, sur, c)].append(c)
            for same in classes.values():
                inside = [c for c in same if c in members]
                outside = [c for c in same if c not in members]
                if inside and outside:
                    blamed = [f"{c.id} (plugin {c.source})" for c in m.constraints
                              if not c.permits(m.roster.get(outside[0]), m.roster.get(sur),
                                               m.parameters)]
                    return [_finding(
                        Principle.IMPARTIAL, Verdict.VIOLATED,
                        "two States with the same facts are treated differently"
                        + (f" by {', '.join(blamed)}" if blamed else ""),
                        f"{inside[0]} and {outside[0]} stand in the same relation to "
                        f"{sur}'s regional group and have the same instruments and history, "
                        f"yet only {inside[0]} may take {sur}'s {side.value} place (rules "
                        f"applied: {', '.join(problem.static_rules)})")]
    return [_finding(Principle.IMPARTIAL, Verdict.HOLDS, "States with the same facts stand in "
                     "the same pools in every draw")]


_SOURCE = Citation(document="principle suite", status=Status.ASSUMPTION)
_SMALL = (("PAA", RegionalGroup.AFRICAN, 2), ("PBB", RegionalGroup.AFRICAN, 1),
          ("PCC", RegionalGroup.AFRICAN, 2), ("PDD", RegionalGroup.WEOG, 2),
          ("PEE", RegionalGroup.WEOG, 1), ("PFF", RegionalGroup.WEOG, 3))
# The renaming reverses the name order inside each group, so a method that favours names
# cannot pass by luck.
_RENAME = {"PAA": "ZAA", "PBB": "YBB", "PCC": "BCC", "PDD": "YDD", "PEE": "MEE", "PFF": "BFF"}


def _small_roster(names: dict[str, str]) -> Roster:
    held = (Instrument.CONVENTION, Instrument.TIP, Instrument.FIREARMS)
    parties = [
        Party(id=names[ident], name=f"State {names[ident]}", regional_group=group,
              group_source=_SOURCE,
              consents=tuple(Consent(instrument=i, deposited=date(2010, 1, 1), source=_SOURCE)
                             for i in held[:count]))
        for ident, group, count in _SMALL
    ]
    return Roster.build(parties)


def _namings(m: Mechanism, name: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    """Pairs of namings of the small instance. Built-in methods: the synthetic ids and their
    reversal. A plugin's method, in addition: every id of the roster, six at a time, each set
    once as given and once with its two halves swapped, so a method that favours any real
    State (not only the synthetic ones) meets that State in both positions."""
    keys = [k for k, _, _ in _SMALL]
    pairs = [({k: k for k in keys}, dict(_RENAME))]
    if name in METHODS:
        return pairs
    ids = [p.id for p in m.roster.parties if p.kind.value == "state"]
    for start in range(0, len(ids), 6):
        chunk = ids[start:start + 6]
        chunk += [k for k in ("QAA", "QBB", "QCC", "QDD", "QEE", "QFF")
                  if k not in ids][:6 - len(chunk)]
        swapped = chunk[3:] + chunk[:3]
        pairs.append((dict(zip(keys, chunk, strict=True)), dict(zip(keys, swapped, strict=True))))
    return pairs


def _impartial_exact(m: Mechanism) -> list[Finding]:
    """The exact outcome distribution of each draw method on a small instance, and on the
    same instance with the States renamed, must be the same up to the renaming."""
    params = m.parameters.with_changes(opted_out=frozenset(), cap_waived_by=frozenset(),
                                       legal_systems={}, no_group_mapping={},
                                       max_uniform_attempts=1)
    worst = None
    for name in sorted(m.plugins.draw_methods()):
        for first, second in _namings(m, name):
            dists = []
            for names in (first, second):
                roster = _small_roster(names)
                clone = m.on(roster)
                # Names in the parameters (opted-out States...) do not exist here.
                clone.parameters = params
                groups = StartGroups(groups=((names["PAA"],),), trace=())

                def run(streams: Any, c: Mechanism = clone, g: StartGroups = groups,
                        n: str = name) -> Draw:
                    return _draw_small(c, g, n, streams)

                try:
                    found = enumerate_distribution(run)
                except (InfeasibleDraw, SamplingExhausted):
                    # the constraints leave this naming no draw; the other must fare the same
                    found = {}
                back = {v: k for k, v in names.items()}
                dists.append({relabel(o, back): p for o, p in found.items()})
            if dists[0] != dists[1]:
                diff = sorted(set(dists[0]) ^ set(dists[1]), key=sorted)
                odd = sorted(diff[0]) if diff else "same outcomes, other probabilities"
                worst = _finding(Principle.IMPARTIAL, Verdict.VIOLATED,
                                 f"draw method {name!r} treats States differently by name",
                                 f"six States (two groups) named {', '.join(first.values())},"
                                 f" then renamed; {first['PAA']} under review; renaming "
                                 f"changes the distribution, e.g. at outcome {odd}")
                break
        if worst:
            break
    return [worst or _finding(Principle.IMPARTIAL, Verdict.HOLDS,
                              "every draw method's exact distribution on a small instance is "
                              "unchanged by renaming the States (for a plugin's method, with "
                              "every State of the roster)")]


def _impartial_frequencies(m: Mechanism) -> list[Finding]:
    """Each draw method's per-State frequencies on the full roster, against what it declares
    (tocreview.testing.frequencies states the test and its false-alarm rate)."""
    for name, method in sorted(m.plugins.draw_methods().items()):
        problem = frequency_problem(m, name, method)
        if problem is not None:
            return [_finding(Principle.IMPARTIAL, Verdict.VIOLATED, problem)]
    return [_finding(Principle.IMPARTIAL, Verdict.HOLDS,
                     f"every draw method's reviewer frequencies over {SEEDS} seeds on the "
                     f"full roster agree with the distribution it declares (false-alarm "
                     f"rate {FALSE_ALARM})")]


def _draw_small(m: Mechanism, groups: StartGroups, method: str, streams: Any) -> Draw:
    from tocreview.draw.engine import draw

    return draw(m.roster, m.parameters, group=1, seed="x", method=method, groups=groups,
                constraints=m.constraints, methods=m.plugins.draw_methods(), streams=streams)


def _no_ranking(m: Mechanism, draws: list[Draw]) -> list[Finding]:
    results: dict[str, object] = {
        "draw": draws[0], "coverage": m.coverage(), "effects": m.effects(),
        "metrics": m.metrics(draws[0]), "check": m.check(draws[0].pairings),
        "timeline": m.timeline("2021-11-01"), "access": m.access(),
        "costs": m.costs(), "workplan": m.workplan(1),
        "start_groups": m.start_groups("principles"),
        "working_language": m.working_language(
            draws[0].request.states_under_review[0], [], {}),
    }
    for name, value in results.items():
        found = list(ranking_fields(value, name))
        if found:
            return [_finding(Principle.NO_RANKING, Verdict.VIOLATED,
                             "a result orders or scores States", found[0])]
    # What plugins and options produce is also scanned by shape, whatever its keys are called.
    # (Traces are left out: they list States in the order the lots fell, which is the
    # record of a draw, not a judgement.)
    ids = frozenset(m.roster.ids())
    for name in results:
        found = list(per_state_signals(results[name], ids, name))
        if found:
            return [_finding(Principle.NO_RANKING, Verdict.VIOLATED,
                             "a result speaks of single States by number or order", found[0])]
    # However its keys are spelt (lower case, codes of its own), a metric with about as many
    # counts as there are States is a table of States: aggregates are by group or category.
    limit = max(len(RegionalGroup) * 4, len(ids) // 4)
    metrics: dict[str, dict[str, int]] = results["metrics"]  # type: ignore[assignment]
    for metric, counts in metrics.items():
        if len(counts) > limit:
            return [_finding(Principle.NO_RANKING, Verdict.VIOLATED,
                             "a metric has about one count per State",
                             f"metrics[{metric!r}] has {len(counts)} entries (more than "
                             f"{limit}: aggregates are by group or category)")]
    return [_finding(Principle.NO_RANKING, Verdict.HOLDS,
                     f"no ranking in any public result ({', '.join(results)})")]


def _untrue_pool(problem: Problem, result: Draw) -> tuple[str, str] | None:
    """The first lot on a review stream whose traced pool is not the one the rules give:
    a main reviewer's lot draws from the place's open pool, a supplementary lot from its
    slot's pool (only the State's reviewers already chosen, in pool order, where the cap on
    reviewers leaves room for no other). A trace that claims a smaller pool (one candidate,
    say) would make any choice look drawn by lot. None when every pool is true."""
    params = problem.parameters
    chosen: dict[tuple[str, Side], list[str]] = {}  # per place, in trace order
    for entry in result.trace:
        sur, side = entry.state_under_review, entry.side
        if (entry.action != "draw" or not entry.stream.startswith("review/") or sur is None
                or side is None or (sur, side) not in problem.main_pool):
            continue
        place, traced = (sur, side), result.pool_of(entry)
        if len(entry.chosen) != 1:
            return ("a lot in the trace does not name one choice",
                    f"trace step {entry.step}: chosen {list(entry.chosen)[:3]}")
        if entry.role is not Role.SUPPLEMENTARY:
            chosen[place] = list(entry.chosen[:1])
            if traced != tuple(problem.open_mains(place)):
                return ("a lot's pool in the trace is not the place's pool",
                        f"trace step {entry.step}: {len(traced)} candidates traced, "
                        f"{len(problem.open_mains(place))} in the pool")
            continue
        so_far = chosen.get(place, [])
        # Slots follow from a main reviewer of the place's pool (a trace naming another
        # fails here rather than being asked about its instruments).
        valid_main = bool(so_far) and so_far[0] in problem.open_mains(place)
        pools = problem.slot_pools(place, so_far[0]) if valid_main else ()
        if not so_far or len(so_far) > len(pools):
            return ("a supplementary lot in the trace has no slot",
                    f"trace step {entry.step}: {sur} ({side.value})")
        expected: Sequence[str] = pools[len(so_far) - 1]
        cap = None if sur in params.cap_waived_by else params.max_reviewers
        partner = (sur, Side.OTHER_GROUP if side is Side.SAME_GROUP else Side.SAME_GROUP)
        if cap is not None and len(set(so_far)) >= cap - len(set(chosen.get(partner, ()))):
            expected = at_cap(pools[len(so_far) - 1], so_far)
        if traced != tuple(expected):
            return ("a supplementary lot's pool in the trace is not the slot's pool",
                    f"trace step {entry.step}: {len(traced)} candidates traced, "
                    f"{len(expected)} in the slot's pool")
        so_far.append(entry.chosen[0])
    return None


def _transparent(m: Mechanism, draws: list[Draw], groups: StartGroups,
                 problems: list[Problem]) -> list[Finding]:
    known = {r.id for r in RULES} | {c.id for c in m.constraints}
    for result, problem in zip(draws, problems, strict=True):
        untrue = _untrue_pool(problem, result)
        if untrue is not None:
            return [_finding(Principle.TRANSPARENT, Verdict.VIOLATED, untrue[0], untrue[1])]
        # every place of the draw must have a traced choice: a draw without a trace cannot be
        # re-derived, whatever it drew
        traced = {(t.state_under_review, t.side) for t in result.trace
                  if t.action in ("draw", "redraw")}
        untraced = sorted({(p.under_review, p.side.value if p.side else "?")
                           for p in result.pairings} - {(s, d.value) for s, d in traced
                                                        if s and d})
        if untraced:
            return [_finding(Principle.TRANSPARENT, Verdict.VIOLATED,
                             f"{len(untraced)} places were filled without a traced lot",
                             f"group {result.request.group}: {untraced[0]}")]
        for entry in result.trace:
            if entry.action not in ("draw", "redraw"):
                continue
            unknown = [r for r in entry.rules if r not in known]
            drawn_from = result.pool_of(entry)
            strays = [c for c in entry.chosen if drawn_from and c not in drawn_from]
            if not entry.stream or not entry.rules or unknown or strays:
                return [_finding(Principle.TRANSPARENT, Verdict.VIOLATED,
                                 "a choice is not traced to its rules, pool and stream",
                                 f"trace step {entry.step}: {entry.model_dump_json()[:200]}")]
        # An independent auditor (hashlib only) re-derives every lot it can from the seed
        # and the trace; re-running the same code would not catch a method whose trace lies.
        audit = rederive(result.model_dump(mode="json"))
        if not audit.ok:
            return [_finding(Principle.TRANSPARENT, Verdict.VIOLATED,
                             "a lot in the trace does not follow from the seed",
                             f"group {result.request.group}: {audit.mismatches[0]}")]
        if audit.rederived and not audit.not_rederived:
            continue  # every lot re-derived independently: re-running adds nothing
        again = m.draw(group=result.request.group, seed=result.request.seed,
                       history=result.request.history, groups=groups,
                       method=result.request.method)
        if again.receipt.result_hash != result.receipt.result_hash:
            return [_finding(Principle.TRANSPARENT, Verdict.VIOLATED,
                             "the same inputs and seed gave another draw",
                             f"group {result.request.group}, seed {result.request.seed!r}")]
    return [_finding(Principle.TRANSPARENT, Verdict.HOLDS, "every lot names its pool, rules "
                     "and stream; the lots of the sequential method and the shuffles re-derive "
                     "independently from the seed, and a draw of another method re-runs to "
                     "the same receipt")]
