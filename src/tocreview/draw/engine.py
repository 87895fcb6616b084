"""The drawing of lots: from roster, parameters and seed to a traced, receipted draw."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tocreview.draw.feasibility import find_valid_fill
from tocreview.draw.methods import Tracer, get_method
from tocreview.draw.model import (
    Draw,
    DrawRequest,
    Pairing,
    Receipt,
    Redraw,
    Role,
    Side,
    TraceEntry,
    canonical_hash,
)
from tocreview.draw.problem import SIDE_RULE, STATIC_RULES, Fill, Problem, build_problem
from tocreview.draw.rng import StreamFactory, sha256_streams
from tocreview.draw.search import complete
from tocreview.draw.start_groups import StartGroups, divide
from tocreview.errors import TocreviewError
from tocreview.model.citation import Citation
from tocreview.model.instrument import Instrument
from tocreview.model.roster import Roster, parse_date
from tocreview.rules import selection as sel
from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import rule_of


class RedrawRefused(TocreviewError):
    """A redraw request the rules do not allow (limit reached, reviewer not drawn, no one left)."""


def start_groups(roster: Roster, parameters: Parameters, seed: str | int,
                 as_of: date | str | None = None) -> StartGroups:
    """Divide the States under review into start groups by lot under ``seed``."""
    when = parse_date(as_of, what="as-of date") if as_of is not None else roster.as_of
    return divide(roster, parameters, sha256_streams(str(seed)), when)


def draw(
    roster: Roster,
    parameters: Parameters | None = None,
    *,
    group: int,
    seed: str | int,
    method: str = "sequential",
    as_of: date | str | None = None,
    history: Iterable[Pairing] = (),
    excluded: Iterable[str] = (),
    deferring: Iterable[str] = (),
    groups: StartGroups | None = None,
    scenario: str = "untoc-2018",
    streams: StreamFactory | None = None,
) -> Draw:
    """Draw the reviewing States for start group ``group``.

    The start groups are divided by lot under the same seed unless ``groups`` is given.
    ``history`` holds the pairings of earlier draws (no mutual reviews spans them).
    ``streams`` replaces the standard generator (tests use it to enumerate every outcome).
    """
    params = parameters or Parameters()
    chosen = get_method(method)
    when = parse_date(as_of, what="as-of date") if as_of is not None else roster.as_of
    factory = streams or sha256_streams(str(seed))
    division = groups or divide(roster, params, factory, when)
    members = division.group(group)
    for party_id in (*excluded, *deferring):
        roster.get(party_id)
    request = DrawRequest(
        group=group, states_under_review=tuple(sorted(members)), seed=str(seed),
        method=chosen.name, as_of=when, history=tuple(history),
        excluded=frozenset(excluded), deferring=frozenset(deferring),
    )
    problem = build_problem(roster, params, request)
    start = find_valid_fill(problem)
    tracer = Tracer()
    if groups is None:
        for entry in division.trace:
            tracer.add(**{k: v for k, v in entry.model_dump().items() if k != "step"})
    fill = chosen.run(problem, start, factory, tracer)
    return _finish(problem, fill, tracer.entries, scenario, ())


def _pairings(problem: Problem, fill: Fill) -> tuple[Pairing, ...]:
    out = []
    for (sur, side), (main, supp) in sorted(fill.choices.items()):
        wanted = problem.instruments[sur]
        order = list(Instrument)
        for inst in sorted(wanted, key=order.index):
            if inst in problem.instruments[main]:
                out.append(Pairing(under_review=sur, reviewer=main, instrument=inst, side=side,
                                   role=Role.MAIN))
            elif supp is not None:
                out.append(Pairing(under_review=sur, reviewer=supp, instrument=inst, side=side,
                                   role=Role.SUPPLEMENTARY))
    return tuple(out)


def _finish(problem: Problem, fill: Fill, entries: list[TraceEntry], scenario: str,
            redraws: tuple[Redraw, ...]) -> Draw:
    from tocreview import __version__

    pairings = _pairings(problem, fill)
    trace = tuple(entries)
    roster, params, request = problem.roster, problem.parameters, problem.request
    inputs_hash = canonical_hash({
        "roster": roster.model_dump(mode="json"),
        "parameters": params.model_dump(mode="json"),
        "request": request.model_dump(mode="json"),
        "scenario": scenario,
    })
    result_hash = canonical_hash({
        "pairings": [p.model_dump(mode="json") for p in pairings],
        "trace": [t.model_dump(mode="json") for t in trace],
        "redraws": [r.model_dump(mode="json") for r in redraws],
    })
    named = sorted({r for t in trace for r in t.rules} | {"untoc.draw.order_by_lot"})
    citations: dict[str, Citation] = {}
    for rule_id in named:
        if rule_id in RULES:
            citations[rule_id] = RULES.get(rule_id).citations[0]
    provisional = sorted(
        [f"parameter {n} [{c.status.value}]" for n, c in params.provisional().items()]
        + [f"rule {i} [{RULES.get(i).status.value}]" for i in named
           if i in RULES and RULES.get(i).status.value != "adopted"]
    )
    valid = "; ".join(f"{i.value} {d.isoformat()}" for i, d in sorted(
        roster.data_valid_for.items()))
    receipt = Receipt(
        package_version=__version__, method=request.method, seed=request.seed, scenario=scenario,
        inputs_hash=inputs_hash, result_hash=result_hash, redraws=redraws,
        provisional=tuple(provisional),
    )
    return Draw(request=request, pairings=pairings, trace=trace, receipt=receipt,
                data_valid_for=valid, citations=citations)


def redraw(
    result: Draw,
    roster: Roster,
    parameters: Parameters | None = None,
    *,
    state_under_review: str,
    rejected: str,
    exceptional: bool = False,
    scenario: str = "untoc-2018",
) -> Draw:
    """Replace a reviewer the State under review rejects, drawing from the remaining pool.

    The replacement is drawn uniformly from the candidates that the rules leave, excluding
    every reviewer this State has rejected before, among those that keep a valid completion.
    If the rejected reviewer was a main reviewer, the supplementary reviewer of that place is
    kept when still needed and valid, dropped when no longer needed, and drawn anew otherwise.
    """
    params = parameters or Parameters()
    problem = build_problem(roster, params, result.request)
    earlier = [r for r in result.receipt.redraws if r.state_under_review == state_under_review]
    if not sel.redraw_allowed(len(earlier), exceptional, params):
        limit = params.redraw_limit
        raise RedrawRefused(
            f"{state_under_review} has already made {len(earlier)} redraw request(s); the limit "
            f"is {limit} ({Parameters.citation('redraw_limit').short()})"
            + ("; an exceptional redraw may be requested" if params.exceptional_redraws else "")
        )
    fill = Fill(problem)
    target = None
    for p in result.pairings:
        if p.side is None:
            continue
        place = (p.under_review, p.side)
        main, supp = fill.choices.get(place, (None, None))
        if p.role is Role.MAIN:
            main = p.reviewer
        else:
            supp = p.reviewer
        fill.choices[place] = (main, supp)  # type: ignore[assignment]
        if p.under_review == state_under_review and p.reviewer == rejected:
            target = (place, p.role)
    if target is None:
        raise RedrawRefused(f"{rejected} was not drawn as a reviewer of {state_under_review}")
    fill = Fill(problem, dict(fill.choices))
    place, role = target
    old_main, old_supp = fill.take(place)
    refused = {r.rejected for r in earlier} | {rejected}
    key = ("redraw", state_under_review, str(len(earlier) + 1))
    lots = sha256_streams(result.request.seed)(key)
    tracer = Tracer()
    for entry in result.trace:
        tracer.add(**{k: v for k, v in entry.model_dump().items() if k != "step"})
    side: Side = place[1]
    rules = (*STATIC_RULES, SIDE_RULE[side], rule_of(sel.redraw_allowed).id)

    def completable(choice: tuple[str, str | None]) -> bool:
        if not fill.allows_choice(place, choice):
            return False
        trial = fill.copy()
        trial.put(place, choice)
        return trial.distinct_for(place[0]) >= 0 and complete(problem, trial) is not None

    if role is Role.MAIN:
        pool = [r for r in problem.main_pool[place] if r not in refused]
        new_main, new_supp = _redraw_main(problem, place, pool, old_supp, lots, completable)
        tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                   role=Role.MAIN, pool=tuple(pool), chosen=(new_main,), rules=rules,
                   stream="/".join(key), note=f"replaces {rejected} at the request of "
                   f"{state_under_review}" + (" (exceptional)" if exceptional else ""))
        choice = (new_main, new_supp)
        if new_supp is not None and new_supp != old_supp:
            tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                       role=Role.SUPPLEMENTARY, chosen=(new_supp,), stream="/".join(key),
                       rules=(*rules, rule_of(sel.missing_instruments).id),
                       note="supplementary reviewer drawn anew for the new main reviewer")
    else:
        missing = problem.missing(place, old_main)
        pool = [s for s in problem.supplementary_pool(place, missing) if s not in refused]
        supp = _pick_completable(pool, lots, lambda s: completable((old_main, s)))
        choice = (old_main, supp)
        tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                   role=Role.SUPPLEMENTARY, pool=tuple(pool), chosen=(supp,), rules=rules,
                   stream="/".join(key), note=f"replaces {rejected}")
    fill.put(place, choice)
    redraws = (*result.receipt.redraws,
               Redraw(state_under_review=state_under_review, rejected=rejected,
                      exceptional=exceptional))
    return _finish(problem, fill, tracer.entries, scenario, redraws)


def _pick_completable(pool: list[str], lots: object, ok: object) -> str:
    from tocreview.draw.methods import _pick

    if not pool:
        raise RedrawRefused("no candidate is left in the pool for this place")
    try:
        chosen, _ = _pick(pool, lots, ok)  # type: ignore[arg-type]
    except AssertionError:
        raise RedrawRefused("no remaining candidate keeps a valid draw") from None
    return chosen


def _redraw_main(problem: Problem, place: tuple[str, Side], pool: list[str],
                 old_supp: str | None, lots: object,
                 completable: object) -> tuple[str, str | None]:
    ok = completable  # a callable taking a choice

    def with_supp(main: str) -> str | None | bool:
        missing = problem.missing(place, main)
        if not missing:
            return None if ok((main, None)) else False  # type: ignore[operator]
        options = problem.supplementary_pool(place, missing)
        if old_supp in options and ok((main, old_supp)):  # type: ignore[operator]
            return old_supp
        for s in options:
            if ok((main, s)):  # type: ignore[operator]
                return s
        return False

    found: dict[str, str | None] = {}

    def main_ok(main: str) -> bool:
        result = with_supp(main)
        if result is False:
            return False
        found[main] = result  # type: ignore[assignment]
        return True

    main = _pick_completable(pool, lots, main_ok)
    supp = found[main]
    missing = problem.missing(place, main)
    if missing and supp != old_supp:
        options = [s for s in problem.supplementary_pool(place, missing) if ok((main, s))]  # type: ignore[operator]
        supp = options[lots.below(len(options))]  # type: ignore[attr-defined]
    return main, supp
