"""Redraw requests: the State under review rejects a drawn reviewer and a new one is drawn."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from tocreview.draw.engine import finish
from tocreview.draw.methods import Tracer, pick
from tocreview.draw.problem import (
    Choice,
    Fill,
    PairingConstraint,
    Place,
    Problem,
    build_problem,
)
from tocreview.draw.rng import Lots, sha256_streams
from tocreview.draw.search import choices_with_main, complete
from tocreview.errors import TocreviewError
from tocreview.model.citation import Citation
from tocreview.model.instrument import Instrument
from tocreview.model.result import Draw, Redraw, Role, Side
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
    constraints: Sequence[PairingConstraint] | None = None,
    in_force: Mapping[str, Citation] | None = None,
) -> Draw:
    """Replace a reviewer that ``state_under_review`` rejects; returns the new draw.

    The replacement is drawn by lot, uniformly, from the candidates the rules leave for that
    place, less every reviewer this State has rejected before, among those that keep a valid
    completion of the draw. When a main reviewer is replaced, the supplementary reviewer of
    that place is kept if still needed and valid, dropped if no longer needed, and drawn anew
    otherwise. Each redraw uses its own stream ``redraw/<State>/<n>``.
    """
    params = parameters or Parameters()
    if constraints is None:  # as in draw(): the built-in options the parameters switch on
        constraints = sel.options_in_force(params)
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
    old_main, old_supps = fill.take(place)
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
        if refused & set(choice[1]) or not fill.allows_choice(place, choice):
            return False
        trial = fill.copy()
        trial.put(place, choice)
        return complete(problem, trial) is not None

    def fits(main: str, prefix: tuple[str, ...]) -> bool:
        return any(completable(c) for c in choices_with_main(problem, fill, place, main,
                                                              prefix=prefix))

    def draw_slots(main: str, keep: tuple[str, ...], why: str) -> tuple[str, ...]:
        """Each slot keeps its reviewer where it still fits and was not rejected; the others
        are drawn anew from the same stream."""
        supps: tuple[str, ...] = ()
        for k, (slot, spool) in enumerate(zip(problem.slots(place, main),
                                              problem.slot_pools(place, main), strict=True)):
            old = keep[k] if k < len(keep) else None
            if old is not None and old not in refused and fits(main, (*supps, old)):
                supps = (*supps, old)
                continue
            pool = [s for s in spool if s not in refused]
            def slot_ok(s: str, prefix: tuple[str, ...] = supps) -> bool:
                return fits(main, (*prefix, s))

            supp = _pick_or_refuse(pool, lots, slot_ok)
            supps = (*supps, supp)
            tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                       role=Role.SUPPLEMENTARY, instruments=tuple(sorted(slot)),
                       pool=tuple(pool), chosen=(supp,), stream="/".join(key),
                       rules=(*rules, rule_of(sel.missing_instruments).id), note=why)
        return supps

    if role is Role.MAIN:
        pool = [r for r in problem.main_pool[place] if r not in refused]
        main = _pick_or_refuse(pool, lots, lambda r: fits(r, ()))
        tracer.add(action="redraw", state_under_review=state_under_review, side=side,
                   role=Role.MAIN, pool=tuple(pool), chosen=(main,), rules=rules,
                   stream="/".join(key), note=note)
        same_slots = problem.slots(place, main) == problem.slots(place, old_main)
        supps = draw_slots(main, old_supps if same_slots else (),
                           "supplementary reviewer drawn anew for the new main reviewer")
        dropped = sorted(set(old_supps) - set(supps))
        if dropped and not supps:
            tracer.add(action="note", state_under_review=state_under_review, side=side,
                       rules=(rule_of(sel.missing_instruments).id,),
                       note=f"supplementary reviewer(s) {', '.join(dropped)} no longer needed")
        choice: Choice = (main, supps)
    else:
        choice = (old_main, draw_slots(old_main, old_supps, note))
    fill.put(place, choice)
    redraws = (*result.receipt.redraws, Redraw(state_under_review=state_under_review,
                                               rejected=rejected, exceptional=exceptional))
    kept = tuple(w for w in result.receipt.warnings if not w.startswith("start group"))
    return finish(problem, fill, tracer.entries, result.receipt.scenario, redraws, in_force,
                  kept)


def _rebuild(problem: Problem, result: Draw, sur: str, rejected: str) -> tuple[Fill, Place, Role]:
    mains: dict[Place, str] = {}
    covering: dict[Place, dict[Instrument, str]] = {}
    target: tuple[Place, Role] | None = None
    for p in result.pairings:
        if p.side is None or p.role is None:
            continue
        place = (p.under_review, p.side)
        if p.role is Role.MAIN:
            mains[place] = p.reviewer
        else:
            covering.setdefault(place, {})[p.instrument] = p.reviewer
        if p.under_review == sur and p.reviewer == rejected:
            target = (place, p.role)
    if target is None:
        raise RedrawRefused(f"{rejected} was not drawn as a reviewer of {sur}")
    choices: dict[Place, Choice] = {}
    for place, main in mains.items():
        by_instrument = covering.get(place, {})
        supps = tuple(by_instrument[min(slot, key=list(Instrument).index)]
                      for slot in problem.slots(place, main))
        choices[place] = (main, supps)
    return Fill(problem, choices), target[0], target[1]


def _pick_or_refuse(pool: list[str], lots: Lots, check: Callable[[str], bool]) -> str:
    if not pool:
        raise RedrawRefused("no candidate is left in the pool for this place")
    try:
        chosen, _ = pick(pool, lots, check)
    except LookupError:
        raise RedrawRefused("no remaining candidate keeps a valid draw") from None
    return chosen
