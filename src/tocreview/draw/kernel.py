"""The draw with its trace and receipt switched off: what a simulation runs thousands of times.

A :class:`Kernel` is made once per roster, parameters, date, exclusions and constraints. It
keeps the pools those inputs fix (:class:`~tocreview.draw.problem.BasePools`), so each draw
only applies its history and its States under review. It draws with the same methods, the
same generator and the same rules as :func:`tocreview.draw.engine.draw`, so for the same seed
it gives exactly the pairings the traced draw gives (tests/test_kernel.py holds it to that);
it skips what only a published draw needs: the trace entries, the receipt and its hashes.

Two shortcuts change no outcome:

- a built-in method's output is not checked again (the traced draw checks every one, and the
  tests check the two agree); a plugin's method is always checked, as in the traced draw;
- ``uniform`` and ``lots`` need no valid filling at hand, so feasibility is decided only if
  they fail (an infeasible draw is still reported as :class:`InfeasibleDraw`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from tocreview.draw.engine import pairings_of, run_method, verified
from tocreview.draw.feasibility import find_valid_fill
from tocreview.draw.methods import METHODS, DrawMethod, SamplingExhausted, Tracer, get_method
from tocreview.draw.problem import BasePools, Fill, PairingConstraint, Problem, build_problem
from tocreview.draw.rng import StreamFactory, sha256_streams
from tocreview.draw.start_groups import divide
from tocreview.inputs import parse_date
from tocreview.model.result import DrawRequest, Pairing, StartGroups
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules.parameters import Parameters


class Kernel:
    """Untraced draws on one roster under one set of parameters (see the module docstring)."""

    def __init__(
        self,
        roster: Roster,
        parameters: Parameters | None = None,
        *,
        as_of: date | str | None = None,
        excluded: Iterable[str] = (),
        deferring: Iterable[str] = (),
        constraints: Sequence[PairingConstraint] | None = None,
        methods: Mapping[str, DrawMethod] | None = None,
    ) -> None:
        self.roster = roster
        self.parameters = parameters or Parameters()
        self.as_of = parse_date(as_of, what="as-of date") if as_of is not None else roster.as_of
        self.excluded = frozenset(excluded)
        self.deferring = frozenset(deferring)
        for party_id in (*self.excluded, *self.deferring):
            roster.get(party_id)
        self.constraints = tuple(sel.options_in_force(self.parameters) if constraints is None
                                 else constraints)
        self.methods = methods
        self.base = BasePools.of(roster, self.parameters, self.as_of, self.excluded,
                                 self.deferring, self.constraints)

    def start_groups(self, seed: str | int) -> StartGroups:
        """The start groups by lot under ``seed`` (as :func:`engine.start_groups`)."""
        return divide(self.roster, self.parameters, sha256_streams(str(seed)), self.as_of)

    def pairings(
        self,
        *,
        group: int,
        seed: str | int,
        method: str = "sequential",
        history: Sequence[Pairing] = (),
        groups: StartGroups | None = None,
        streams: StreamFactory | None = None,
    ) -> tuple[Pairing, ...]:
        """The pairings the traced draw with these arguments gives, without its trace."""
        chosen = get_method(method, self.methods)
        factory = streams or sha256_streams(str(seed))
        division = groups or divide(self.roster, self.parameters, factory, self.as_of)
        request = DrawRequest.model_construct(
            group=group, states_under_review=tuple(sorted(division.group(group))),
            seed=str(seed), method=chosen.name, as_of=self.as_of, history=tuple(history),
            excluded=self.excluded, deferring=self.deferring,
        )
        problem = build_problem(self.roster, self.parameters, request, self.constraints,
                                self.base)
        builtin = METHODS.get(chosen.name) is chosen
        needs_start = not builtin or chosen.name == "sequential"
        start = find_valid_fill(problem) if needs_start or not _pools_open(problem) \
            else Fill(problem)
        try:
            fill = run_method(chosen, problem, start, factory, Tracer(enabled=False))
        except SamplingExhausted:
            find_valid_fill(problem)  # an infeasible draw is reported as such
            raise
        if builtin:
            return pairings_of(problem, fill)
        return verified(problem, fill)


def _pools_open(problem: Problem) -> bool:
    """Whether every place has at least one (main, supplementary) choice."""
    return all(problem.open_mains(p) for p in problem.places)
