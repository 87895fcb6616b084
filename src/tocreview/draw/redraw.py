"""Redraw requests: the State under review rejects a drawn reviewer and a new one is drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tocreview.draw.engine import finish
from tocreview.draw.methods import Tracer, pick
from tocreview.draw.model import Draw, Redraw, Role, Side
from tocreview.draw.problem import (
    Choice,
    Fill,
    PairingConstraint,
    Place,
    Problem,
    build_problem,
)
from tocreview.draw.rng import Lots, sha256_streams
from tocreview.draw.search import complete
from tocreview.errors import TocreviewError
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import rule_of


class RedrawRefused(TocreviewError):
    """A redraw the rules do not allow: limit reached, reviewer not drawn, or no one left."""


def redraw(
    result: Draw,
    roster: Roster,
    parameters: Parameters | None = None,
    *,
    state_under_review: str,
    rejected: str,
    exceptional: bool = False,
    constraints: Sequence[PairingConstraint] = (),
) -> Draw:
    """Replace a reviewer that ``state_under_review`` rejects; returns the new draw.

    The replacement is drawn by lot, uniformly, from the candidates the rules leave for that
    place, less every reviewer this State has rejected before, among those that keep a valid
    completion of the draw. When a main reviewer is replaced, the supplementary reviewer of
    that place is kept if still needed and valid, dropped if no longer needed, and drawn anew
    otherwise. Each redraw uses its own stream ``redraw/<State>/<n>``.
    """
    params = parameters or Parameters()
    problem = build_problem(roster, params, result.request, constraints)
    earlier = [r for r in result.receipt.redraws if r.state_under_review == state_under_review]
    if not sel.redraw_allowed(len(earlier), exceptional, params):
        hint = ("; pass exceptional=True (--exceptional) for a redraw in exceptional "
                "circumstances" if params.exceptional_redraws and not exceptional else "")
        raise RedrawRefused(
            f"{state_under_review} has made {len(earlier)} redraw request(s); the limit is "
            f"{params.redraw_limit} ({Parameters.citation('redraw_limit').short()}){hint}"
        )
    fill, place, role = _rebuild(problem, result, state_under_review, rejected)
    old_main, old_supp = fill.take(place)
    refused = {r.rejected for r in earlier} | {rejected}
    key = ("redraw", state_under_review, str(len(earlier) + 1))
    lots = sha256_streams(result.request.seed)(key)
    tracer = Tracer()
    for entry in result.trace:
        tracer.add(**{k: v for k, v in entry.model_dump().items() if k != "step"})
    side: Side = place[1]
    rules = (*problem.static_rules, problem.side_rules[side], rule_of(sel.redraw_allowed).id)
    note = f"replaces {rejected} at the request of {state_under_review}" + (
        " (exceptional circumstances)" if exceptional else "")

    def completable(choice: Choice) -> bool:
        if not fill.allows_choice(place, choice):
            return False
        trial = fill.copy()
        trial.put(place, choice)
        return complete(problem, trial) is not None

    if role is Role.MAIN:
        pool = [r for r in problem.main_pool[place] if r not in refused]
        main = _pick_or_refuse(pool, lots, lambda r: _supplement(problem, place, r, old_supp,
                                                                   refused, completable) != "")
        supp_or_none = _supplement(problem, place, main, old_supp, refused, completable)
        tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                   role=Role.MAIN, pool=tuple(pool), chosen=(main,), rules=rules,
                   stream="/".join(key), note=note)
        supp: str | None = supp_or_none or None
        missing = problem.missing(place, main)
        if missing and supp != old_supp:
            spool = [s for s in problem.supplementary_pool(place, missing) if s not in refused]
            supp = _pick_or_refuse(spool, lots, lambda s: completable((main, s)))
            tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                       role=Role.SUPPLEMENTARY, instruments=tuple(sorted(missing)),
                       pool=tuple(spool), chosen=(supp,), stream="/".join(key),
                       rules=(*rules, rule_of(sel.missing_instruments).id),
                       note="supplementary reviewer drawn anew for the new main reviewer")
        elif old_supp is not None and supp is None:
            tracer.add(action="note", state_under_review=state_under_review, side=side,
                       rules=(rule_of(sel.missing_instruments).id,),
                       note=f"supplementary reviewer {old_supp} no longer needed")
        choice: Choice = (main, supp)
    else:
        missing = problem.missing(place, old_main)
        pool = [s for s in problem.supplementary_pool(place, missing) if s not in refused]
        supp = _pick_or_refuse(pool, lots, lambda s: completable((old_main, s)))
        tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                   role=Role.SUPPLEMENTARY, instruments=tuple(sorted(missing)), pool=tuple(pool),
                   chosen=(supp,), rules=rules, stream="/".join(key), note=note)
        choice = (old_main, supp)
    fill.put(place, choice)
    redraws = (*result.receipt.redraws, Redraw(state_under_review=state_under_review,
                                               rejected=rejected, exceptional=exceptional))
    return finish(problem, fill, tracer.entries, result.receipt.scenario, redraws)


def _rebuild(problem: Problem, result: Draw, sur: str, rejected: str) -> tuple[Fill, Place, Role]:
    mains: dict[Place, str] = {}
    supps: dict[Place, str] = {}
    target: tuple[Place, Role] | None = None
    for p in result.pairings:
        if p.side is None or p.role is None:
            continue
        place = (p.under_review, p.side)
        (mains if p.role is Role.MAIN else supps)[place] = p.reviewer
        if p.under_review == sur and p.reviewer == rejected:
            target = (place, p.role)
    if target is None:
        raise RedrawRefused(f"{rejected} was not drawn as a reviewer of {sur}")
    fill = Fill(problem, {place: (main, supps.get(place)) for place, main in mains.items()})
    return fill, target[0], target[1]


def _supplement(problem: Problem, place: Place, main: str, old_supp: str | None,
                refused: set[str], completable: Callable[[Choice], bool]) -> str | None:
    """The supplementary reviewer to keep with ``main``: None if none is needed, the old one
    if still valid, else any valid one; "" if ``main`` cannot be completed at all."""
    check = completable
    missing = problem.missing(place, main)
    if not missing:
        return None if check((main, None)) else ""
    options = [s for s in problem.supplementary_pool(place, missing) if s not in refused]
    if old_supp in options and check((main, old_supp)):
        return old_supp
    return next((s for s in options if check((main, s))), "")


def _pick_or_refuse(pool: list[str], lots: Lots, check: Callable[[str], bool]) -> str:
    if not pool:
        raise RedrawRefused("no candidate is left in the pool for this place")
    try:
        chosen, _ = pick(pool, lots, check)
    except LookupError:
        raise RedrawRefused("no remaining candidate keeps a valid draw") from None
    return chosen
