"""Deciding a completion exactly with a constraint solver, when one is installed.

Under a tight cap on reviews per reviewer, a few of the questions "can the draw still be
completed with this choice?" are a "no" that neither Hall's condition nor the guided search
settles within its budget: places that each need several Protocols covered compete for the
few reviewers left (docs/benchmarks.md). OR-Tools' CP-SAT, the optional ``exact`` extra
(``pip install "tocreview[exact]"``), decides such a question in milliseconds from a model of
the rules the places left must meet.

The answer is exact either way, and a completion only says *that* one exists, so whether
the solver is installed changes no lot of any draw: only whether a hard question is decided
or ends in :class:`~tocreview.draw.search.SearchLimit`. A completion the solver gives is
checked against the rules (``Fill``) before it is used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from tocreview.draw.matching import allowed_reviewers, open_sets
from tocreview.draw.problem import Choice, Fill, Place, Problem
from tocreview.model.instrument import Instrument
from tocreview.rules.parameters import SupplementaryDraw

SOLVER_SECONDS = 20.0
"""The solver's limit per question, in its deterministic time units (about seconds); past it
the question stays undecided."""


@cache
def installed() -> bool:
    """Whether the solver (OR-Tools) can be imported (asked once per process)."""
    try:
        import ortools.sat.python.cp_model  # noqa: F401
    except ImportError:
        return False
    return True


def solver_completion(problem: Problem, fill: Fill, todo: Sequence[Place],
                      limit: float = SOLVER_SECONDS,
                      allowed: Mapping[Place, list[str]] | None = None
                      ) -> tuple[bool, Fill | None]:
    """``(True, completion)`` or ``(True, None)`` (no completion exists) when the solver
    decides whether ``fill`` extends to the places in ``todo``; ``(False, None)`` when it is
    not installed or stops at its time limit. ``allowed`` is
    :func:`~tocreview.draw.matching.allowed_reviewers` of ``fill`` when the caller has it."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return False, None
    model = cp_model.CpModel()
    main: dict[tuple[Place, str], Any] = {}
    supp: dict[tuple[Place, str], Any] = {}
    if allowed is None:
        allowed = allowed_reviewers(problem, fill, todo)
    if not _state_rules(problem, fill, todo, model, main, supp, allowed):
        return True, None
    solver = cp_model.CpSolver()
    # One thread and a limit in the solver's deterministic time: the same search, and the
    # same question left undecided, on every run and machine (a clock limit would not be).
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = limit
    # The full linear relaxation: it proves at once the covering "no"s the default left
    # open for minutes (seed 3's group 3 under a cap of one: 0.07 s).
    solver.parameters.linearization_level = 2
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return True, None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, None
    heads = {key for key, var in main.items() if solver.value(var)}
    others = {key for key, var in supp.items() if solver.value(var)}
    return _checked(problem, fill, todo, heads, others)


def _state_rules(problem: Problem, fill: Fill, todo: Sequence[Place], model: Any,
                 main: dict[tuple[Place, str], Any], supp: dict[tuple[Place, str], Any],
                 allowed: Mapping[Place, list[str]]) -> bool:
    """Add the rules to ``model``; False if a place has no candidate at all."""
    params = problem.parameters
    serving: dict[tuple[str, str], list[Any]] = defaultdict(list)  # (State, reviewer)
    for place in todo:
        sur = place[0]
        # The pairing rules, the history, and the rules the places already filled fix
        # which reviewers are left to this place at all.
        pool = allowed[place]
        mains, _ = open_sets(problem, place)
        for r in pool:
            supp[(place, r)] = model.new_bool_var("")
            if r in mains:
                main[(place, r)] = model.new_bool_var("")
                model.add(main[(place, r)] + supp[(place, r)] <= 1)
            serving[(sur, r)].extend(v for v in (main.get((place, r)), supp[(place, r)])
                                     if v is not None)
        mains_here = [main[(place, r)] for r in pool if (place, r) in main]
        if not mains_here:
            return False
        model.add_exactly_one(mains_here)
        wanted = problem.instruments[sur]
        # Every instrument held by one of them, in a fixed order (a set of names iterates
        # in an order that changes from process to process; the model must not).
        for instrument in (i for i in Instrument if i in wanted):
            model.add(sum(v for r in pool if instrument in problem.instruments[r]
                          for v in (main.get((place, r)), supp[(place, r)]) if v is not None)
                      >= 1)
        if params.supplementary_draw is SupplementaryDraw.ONE_FOR_ALL_MISSING:
            model.add(sum(supp[(place, r)] for r in pool) <= 1)
    by_reviewer: dict[str, list[Any]] = defaultdict(list)
    by_state: dict[str, list[Any]] = defaultdict(list)
    for (sur, r), chosen in serving.items():
        model.add(sum(chosen) <= 1)  # one place per State under review (two sides differ)
        by_reviewer[r].extend(chosen)
        by_state[sur].extend(chosen)
        if (r, sur) in serving and sur < r:  # no mutual reviews within the places left
            model.add(sum(chosen) + sum(serving[(r, sur)]) <= 1)
    if params.max_reviews_per_reviewer is not None:
        for r, chosen in by_reviewer.items():
            model.add(sum(chosen) <= params.max_reviews_per_reviewer - fill.load.get(r, 0))
    if params.max_reviewers is not None:
        for sur, chosen in by_state.items():
            if sur not in params.cap_waived_by:
                model.add(sum(chosen) <= params.max_reviewers - fill.taken.get(sur, 0))
    return True


def _checked(problem: Problem, fill: Fill, todo: Sequence[Place],
             heads: set[tuple[Place, str]], others: set[tuple[Place, str]]
             ) -> tuple[bool, Fill | None]:
    """The solver's answer as choices: each place's main reviewer, and each supplementary
    slot filled by the first of its other reviewers in pool order who holds the slot's
    instruments (one no slot needs is left out, which only relaxes the rules); put on a copy
    of ``fill`` with every rule checked, and undecided if one fails."""
    work = fill.copy()
    for place in todo:
        head = next((r for r in problem.main_pool[place] if (place, r) in heads), None)
        if head is None:
            return False, None
        chosen = [r for r in problem.main_pool[place] if (place, r) in others]
        supps = []
        for slot_pool in problem.slot_pools(place, head):
            pick = next((r for r in chosen if r in slot_pool), None)
            if pick is None:
                return False, None
            supps.append(pick)
        choice: Choice = (head, tuple(supps))
        if not work.allows_choice(place, choice):
            return False, None
        work.put(place, choice)
    return True, work
