"""The named draw methods. Each says which distribution it draws from.

``sequential``
    The procedure as the rules describe it. The States under review are put in an order
    drawn by lot (a uniform shuffle). For each State in that order, first the same-group
    place, then the other-group place: the main reviewer is drawn uniformly from the pool the
    rules leave given every earlier choice; if that reviewer is not party to every instrument
    of the State, the supplementary reviewer is drawn uniformly from the pool for the missing
    instruments (one lot per slot: per missing instrument, or one for all of them, as the
    parameter ``supplementary_draw`` says). Lots are drawn from the pool of the rules that do
    not depend on other choices; a candidate that an earlier choice bars (no mutual reviews,
    reviews per reviewer, cap on reviewers), or after whom no valid completion of the whole
    draw exists, is set aside (named in the trace) and the lot is drawn again among the
    others. So the choice is uniform over the candidates that are allowed and keep the draw
    completable, and a choice elsewhere changes a State's lots only where it bars the
    candidate drawn. Where the cap on reviewers leaves room for no other State, only the
    State's reviewers already chosen may fill a supplementary slot, so its lots are drawn
    among those of them in the slot's pool (in pool order), which gives each the same chance
    as drawing from the whole pool and setting the rest aside. The draw never gets stuck,
    and it never needs to start over.

``uniform``
    Uniform over all valid complete assignments. Each place's (main, supplementary) choice is
    drawn uniformly from its static pool of choices; the two places of one State are drawn
    again, from that State's stream, until they meet the rules local to it (two different
    reviewers, the cap on reviewers); a whole draw that breaks a rule binding several States
    (no mutual reviews within the draw, reviews per reviewer) is drawn again from the start.
    Conditioning a uniform product on the valid set gives the uniform distribution on that set
    (rejection sampling). After ``max_uniform_attempts`` tries in all (a local or a whole
    redraw counts as one) it stops with an error, never with another method.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from tocreview.draw.completion import Asking, Keeper
from tocreview.draw.pools import Pool, nth_remaining
from tocreview.draw.problem import Choice, Fill, Place, Problem
from tocreview.draw.rng import Lots, StreamFactory, shuffled
from tocreview.draw.search import SearchLimit, candidate_choices, choices_with_main
from tocreview.draw.survival import Survival
from tocreview.draw.uniform_local import uniform_pair
from tocreview.errors import TocreviewError, UnknownNameError
from tocreview.model.result import Role, Side, TraceEntry
from tocreview.rules import selection as sel
from tocreview.rules.registry import rule_of

DYNAMIC_RULES = tuple(
    rule_of(f).id for f in (sel.not_mutual, sel.not_already_reviewing, sel.within_reviewer_load,
                            sel.within_reviewer_cap)
)
SUPPLEMENTARY_RULE = rule_of(sel.missing_instruments).id
RULE_WORDS = {
    "not_mutual": "no mutual reviews", "not_already_reviewing": "two different reviewers",
    "within_reviewer_load": "reviews per reviewer", "within_reviewer_cap": "cap on reviewers",
    "local": "one State's own rules, tries spent",
}
"""How the rules a rejection method checks are named in its error."""
ORDER_RULE = rule_of(sel.order_by_lot).id


class SamplingExhausted(TocreviewError):
    """A rejection method (``uniform``, ``lots``) used up ``max_uniform_attempts`` tries; it
    never falls back to another method. ``survival`` says how far its attempts got."""

    survival: Survival | None = None


class Tracer:
    """Collects the trace entries of one draw, numbering them. A tracer made with
    ``enabled=False`` keeps nothing: the same draw, with its trace switched off (the kernel
    a simulation runs); a method may test ``enabled`` to skip building entries."""

    def __init__(self, enabled: bool = True) -> None:
        self.entries: list[TraceEntry] = []
        self.enabled = enabled
        self._listed: dict[int, tuple[tuple[str, ...], int]] = {}  # id(list) -> (list, step)

    def add(self, **fields: Any) -> None:
        if not self.enabled:
            return
        # A shared Pool is written as its list (once per draw, in a 'pool' entry of its own)
        # and the few members it leaves out: the trace grows with the lots, not lots times
        # candidates. Any other pool is written out.
        pool = fields.get("pool")
        if isinstance(pool, Pool):
            fields["pool"] = ()
            fields["pool_from"] = self._list(pool.base)
            fields["pool_less"] = tuple(pool.base[i] for i in pool.removed)
        elif pool is not None and not isinstance(pool, tuple):
            fields["pool"] = tuple(pool)
        self._append(fields)

    def _list(self, members: tuple[str, ...]) -> int:
        found = self._listed.get(id(members))
        if found is None or found[0] is not members:
            self._append({"action": "pool", "pool": members,
                          "note": "candidates that later lots draw from, each less a few"})
            found = self._listed[id(members)] = (members, len(self.entries))
        return found[1]

    def _append(self, fields: dict[str, Any]) -> None:
        # model_construct: the engine builds these from validated data; validation would
        # dominate the cost of a draw.
        self.entries.append(TraceEntry.model_construct(step=len(self.entries) + 1, **fields))


Method = Callable[[Problem, Fill, StreamFactory, Tracer], Fill]


@dataclass(frozen=True)
class DrawMethod:
    """A way to draw: its name, its distribution in words, the function that draws, and the
    property of its distribution that the principle suite tests (``declares``)."""

    name: str
    distribution: str
    run: Method
    declares: Declaration | None = None
    """None: the method declares no distribution, and fails the principle suite."""


class Declaration(StrEnum):
    """What a draw method declares about its distribution, in a form a test can check."""

    EXCHANGEABLE = "exchangeable"
    """States the rules treat alike (same regional group, instruments, under review or not)
    are drawn alike: renaming them does not change the distribution. Each of them then
    reviews with the same probability, which the suite tests on the full roster."""


def _instruments(problem: Problem, place: Place, main: str | None) -> tuple[object, ...]:
    wanted = problem.instruments[place[0]]
    if main is None:
        return tuple(sorted(wanted))
    return tuple(sorted(problem.missing(place, main)))


def pick(
    pool: Sequence[str], lots: Lots, ok: Callable[[str], bool]
) -> tuple[str, list[str]]:
    """Draws from ``pool`` without replacement until ``ok`` accepts a candidate: each lot is
    ``below(number left)`` and takes that candidate from the ones left, in pool order (as if
    popped from a copy of the pool, which is never made). Returns it and the ones set aside."""
    size = len(pool)
    taken: list[int] = []
    set_aside: list[str] = []
    while len(taken) < size:
        position = nth_remaining(size, taken, lots.below(size - len(taken)))
        insort(taken, position)
        candidate = pool[position]
        if ok(candidate):
            return candidate, set_aside
        set_aside.append(candidate)
    raise LookupError("no candidate in the pool keeps the draw completable")


def at_cap(pool: Pool, chosen: Sequence[str]) -> tuple[str, ...]:
    """The members of ``pool`` among ``chosen``, in pool order: who may fill a supplementary
    slot when the cap on reviewers leaves room for no other State. Drawing among them gives
    each the chance that drawing from the whole pool and setting the others aside gives,
    with a lot per member instead of a lot per member of the pool."""
    return tuple(sorted({r for r in chosen if r in pool}, key=pool.where.__getitem__))


def sequential(problem: Problem, start: Fill, streams: StreamFactory, tracer: Tracer) -> Fill:
    keeper = Keeper(problem, start)
    decided = Fill(problem)
    asking = Asking(problem)
    order = shuffled(sorted(problem.states_under_review), streams(("order",)))
    tracer.add(action="order", pool=tuple(sorted(problem.states_under_review)),
               chosen=tuple(order), rules=(ORDER_RULE,), stream="order",
               note="order in which the States under review are taken, drawn by lot")

    def completable(place: Place, choice: Choice) -> bool:
        if keeper.accepts(place, choice):
            return True
        # Tried on the decided places themselves and taken back (a copy per candidate would
        # cost the whole draw's size each time); the whole search works on its own copy.
        decided.put(place, choice)
        try:
            # The partner place (same State, other side) is where a choice most often leaves
            # no room (the cap on reviewers): if it has no choice left, no completion exists,
            # and this says so without the whole search (choices only ever remove options).
            partner = (place[0], Side.OTHER_GROUP if place[1] is Side.SAME_GROUP
                       else Side.SAME_GROUP)
            if partner not in decided.choices and next(
                    candidate_choices(problem, decided, partner), None) is None:
                return False
            if keeper.repaired(place, choice):
                return True
            try:
                found = asking.complete(decided, place)
            except SearchLimit as undecided:
                # The witness of "why not": the question left open, not a guess at it.
                left = len(problem.places) - len(decided.choices)
                raise SearchLimit(
                    f"{undecided}: could not tell whether {' and '.join(Fill.reviewers(choice))}"
                    f" reviewing {place[0]} ({place[1].value.replace('_', '-')}) still lets the "
                    f"draw be completed ({len(decided.choices) - 1} places decided, {left} "
                    "left); the method sets a candidate aside only when no completion exists, "
                    "so it stops rather than guess") from None
        finally:
            decided.take(place)
        if found is None:
            return False
        keeper.completion = found
        return True

    for sur in order:
        for side in Side:
            place = (sur, side)
            key = ("review", sur, side.value)
            lots = streams(key)
            # Lots are drawn from the static pool: a candidate an earlier choice bars is set
            # aside when drawn, so other States' choices move few lots (per-review locality).
            pool = problem.open_mains(place)

            def extendable(main: str, prefix: tuple[str, ...], place: Place = place) -> bool:
                """Whether some choice with this main and these first supplementary
                reviewers keeps the draw completable (the one at hand first)."""
                held = keeper.completion.choices[place]
                if held[0] == main and held[1][:len(prefix)] == prefix:
                    return True
                return any(completable(place, c)
                           for c in choices_with_main(problem, decided, place, main,
                                                      prefix=prefix))

            main, aside = pick(pool, lots, lambda r: extendable(r, ()))
            rules = (*problem.static_rules, problem.side_rules[side], *DYNAMIC_RULES)
            if tracer.enabled:  # entries are only built when kept
                tracer.add(action="draw", state_under_review=sur, side=side, role=Role.MAIN,
                           instruments=_instruments(problem, place, None), pool=pool,
                           set_aside=tuple(aside), chosen=(main,), rules=rules,
                           stream="/".join(key))
            supps: tuple[str, ...] = ()
            cap = None if sur in problem.parameters.cap_waived_by \
                else problem.parameters.max_reviewers
            room = None if cap is None else cap - decided.distinct_for(sur)
            for slot, spool in zip(problem.slots(place, main), problem.slot_pools(place, main),
                                   strict=True):

                def supp_ok(s: str, main: str = main, prefix: tuple[str, ...] = supps) -> bool:
                    return extendable(main, (*prefix, s))

                drawn_from: Sequence[str] = spool
                said: dict[str, str] = {}
                if room is not None and len({main, *supps}) >= room:
                    drawn_from = at_cap(spool, (main, *supps))
                    said["note"] = (f"the cap on reviewers ({cap}) is reached: only a State "
                                    "already reviewing this State here may fill the slot")
                supp, aside = pick(drawn_from, lots, supp_ok)
                supps = (*supps, supp)
                if tracer.enabled:
                    tracer.add(action="draw", state_under_review=sur, side=side,
                               role=Role.SUPPLEMENTARY, instruments=tuple(sorted(slot)),
                               pool=drawn_from, set_aside=tuple(aside), chosen=(supp,),
                               rules=(*rules, SUPPLEMENTARY_RULE), stream="/".join(key),
                               **said)
            decided.put(place, (main, supps))
            keeper.completion.take(place)
            keeper.completion.put(place, (main, supps))
            keeper.decided.add(place)
    return decided


SIDES = (Side.SAME_GROUP, Side.OTHER_GROUP)
"""The two places of a State, in the order they are drawn and traced."""

PlaceSampler = Callable[[Problem, Place, Lots], Choice]
"""Draws one place's choice from its static pools."""

PairSampler = Callable[[Problem, str, Lots, list[int]], tuple[Choice, Choice] | None]
"""Draws both places of one State (same group, then other group) under the rules local to
it; None when the budget is spent."""


def _lots_place(problem: Problem, place: Place, lots: Lots) -> Choice:
    mains = problem.open_mains(place).indexed
    main = mains[lots.below(len(mains))]
    slots = problem.slot_pools(place, main)
    if not slots:  # the main reviewer is party to every instrument of the State
        return main, ()
    return main, tuple([pool.indexed[lots.below(len(pool))] for pool in slots])


def _lots_note(problem: Problem, place: Place) -> str:
    return (f"main reviewer by lot among {len(problem.open_mains(place))}, then one lot per "
            "missing-instrument slot")


def _uniform_note(problem: Problem, place: Place) -> str:
    return "uniform over the pairs of choices that meet this State's own rules"


def _by_rejection(name: str, pair: PairSampler,
                  note: Callable[[Problem, Place], str]) -> Method:
    """A method that draws every place independently with ``pair`` and conditions the
    whole draw on every rule holding: the rules local to one State by drawing its two places
    again from its own stream, the others by drawing the whole draw again. Conditioning a
    product measure on the valid set this way is exact (rejection sampling). ``note`` says
    in the trace how a place was drawn."""

    def run(problem: Problem, start: Fill, streams: StreamFactory, tracer: Tracer) -> Fill:
        del start  # feasibility is already established; no completion is needed at hand
        limit = problem.parameters.max_uniform_attempts
        budget = [limit]  # every try, local or whole, spends one
        surs = sorted(problem.states_under_review)
        broken: Counter[str] = Counter()  # which rule ended each lost attempt
        placed: Counter[int] = Counter()  # how many States each lost attempt placed
        for attempt in range(1, limit + 1):
            if budget[0] <= 0:
                break
            budget[0] -= 1
            fill = Fill(problem)
            reached = _attempt(problem, fill, surs, (name, str(attempt)), streams, budget,
                               pair, broken)
            if reached == len(surs):
                if tracer.enabled:
                    _trace(problem, fill, tracer, name, attempt, note)
                return fill
            placed[reached] += 1
        why = ", ".join(f"{RULE_WORDS.get(rule, rule)} {count:,}" for rule, count in
                        broken.most_common())
        survival = Survival.of(len(surs), placed)
        exhausted = SamplingExhausted(
            f"{name!r} found no draw meeting the rules the static pools cannot express (no "
            f"mutual reviews, reviews per reviewer, cap on reviewers) in {limit:,} tries: "
            f"{survival.words()}; each attempt was drawn "
            f"independently and lost at the first rule it broke ({why})"
        )
        exhausted.survival = survival
        raise exhausted

    run.__name__ = name
    return run


def _attempt(problem: Problem, fill: Fill, surs: list[str], tag: tuple[str, str],
             streams: StreamFactory, budget: list[int], pair: PairSampler,
             broken: Counter[str]) -> int:
    """One whole attempt: each State's two places in turn, from the State's own stream.
    Returns how many States it placed: all of them, or those before the first rule a choice
    broke (that rule is counted), since drawing the other States would not save it."""
    for placed, sur in enumerate(surs):
        drawn = pair(problem, sur, streams((*tag, sur)), budget)
        if drawn is None:
            broken["local"] += 1
            return placed
        for side, choice in zip(SIDES, drawn, strict=True):
            place = (sur, side)
            if not fill.admit(place, choice):
                broken[fill.broken_rule(place, choice) or "not_already_reviewing"] += 1
                return placed
    return len(surs)


def _trace(problem: Problem, fill: Fill, tracer: Tracer, name: str, attempt: int,
           note: Callable[[Problem, Place], str]) -> None:
    """The trace of the accepted attempt: a note on the attempts lost, then every place."""
    if attempt > 1:
        tracer.add(action="note", rules=DYNAMIC_RULES,
                   note=f"{attempt - 1} earlier attempt(s) broke a rule the static pools "
                   "cannot express and were drawn again from the start")
    for place, choice in fill.choices.items():
        sur, side = place
        tracer.add(
            action="draw", state_under_review=sur, side=side, role=Role.MAIN,
            instruments=_instruments(problem, place, None), pool=problem.main_pool[place],
            chosen=tuple(Fill.reviewers(choice)),
            rules=(*problem.static_rules, problem.side_rules[side], SUPPLEMENTARY_RULE),
            stream="/".join((name, str(attempt), sur)), note=note(problem, place),
        )


def _local_pair(sampler: PlaceSampler, problem: Problem, sur: str, lots: Lots,
                budget: list[int]) -> tuple[Choice, Choice] | None:
    """Both places of one State, drawn with ``sampler`` and conditioned on the rules local to
    that State (two different reviewers on the two sides, the cap on reviewers) by drawing
    again within the State's own stream; None when the budget of tries is spent (the first
    try of each State is part of the whole draw's try). These rules bind no other State, so
    the product of these draws is the product measure conditioned on them, and rejecting
    whole draws for the rest conditions it on every rule."""
    params = problem.parameters
    cap = None if sur in params.cap_waived_by else params.max_reviewers
    same_place, other_place = (sur, Side.SAME_GROUP), (sur, Side.OTHER_GROUP)
    first = True
    while first or budget[0] > 0:
        if not first:
            budget[0] -= 1
        first = False
        same_choice = sampler(problem, same_place, lots)
        other_choice = sampler(problem, other_place, lots)
        if not same_choice[1] and not other_choice[1]:  # two main reviewers and no more
            if same_choice[0] != other_choice[0] and (cap is None or cap >= 2):
                return same_choice, other_choice
            continue
        same, other = {same_choice[0], *same_choice[1]}, {other_choice[0], *other_choice[1]}
        if not same & other and (cap is None or len(same | other) <= cap):
            return same_choice, other_choice
    return None


uniform = _by_rejection("uniform", uniform_pair, _uniform_note)
lots_method = _by_rejection("lots", partial(_local_pair, _lots_place), _lots_note)

METHODS: dict[str, DrawMethod] = {
    "sequential": DrawMethod(
        "sequential",
        "States in an order drawn by lot; each reviewer uniform over the candidates the rules "
        "leave that keep the draw completable",
        sequential, Declaration.EXCHANGEABLE,
    ),
    "uniform": DrawMethod("uniform", "uniform over all valid complete assignments", uniform,
                          Declaration.EXCHANGEABLE),
    "lots": DrawMethod(
        "lots",
        "each place's main reviewer by lot among its eligible reviewers and one lot per "
        "missing-instrument slot, independently; the whole draw conditioned on every rule",
        lots_method, Declaration.EXCHANGEABLE,
    ),
}


def get_method(name: str, table: Mapping[str, DrawMethod] | None = None) -> DrawMethod:
    """The draw method with this name; an error naming close matches otherwise."""
    known = METHODS if table is None else table
    try:
        return known[name]
    except KeyError:
        raise UnknownNameError("draw method", name, list(known)) from None
