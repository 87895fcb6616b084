"""The draw with its trace and receipt switched off: what a simulation runs thousands of times.

A :class:`Kernel` is made once per roster, parameters, date, exclusions and constraints. It
keeps the pools those inputs fix (:class:`~tocreview.draw.problem.BasePools`), so each draw
only applies its history and its States under review. :meth:`Kernel.compile` goes one step
further: a :class:`CompiledDraw` is one start group with its history, its pools built once,
drawn under as many seeds as asked (what a study of one draw's distribution runs). Both draw
with the same methods, the same generator and the same rules as
:func:`tocreview.draw.engine.draw`, so for the same seed they give exactly the pairings the
traced draw gives (tests/test_kernel.py holds them to that); they skip what only a published
draw needs: the trace entries, the receipt and its hashes.

Two shortcuts change no outcome:

- a built-in method's output is not checked again (the traced draw checks every one, and the
  tests check the two agree); a plugin's method, or a plugin constraint's list of whom it
  bars, is always checked, as in the traced draw;
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

    def compile(
        self,
        *,
        group: int,
        groups: StartGroups,
        history: Sequence[Pairing] = (),
    ) -> CompiledDraw:
        """Start group ``group`` of ``groups``, with ``history``, ready to be drawn under any
        seed: its pools are built here, once."""
        request = DrawRequest.model_construct(
            group=group, states_under_review=tuple(sorted(groups.group(group))),
            seed="", method="", as_of=self.as_of, history=tuple(history),
            excluded=self.excluded, deferring=self.deferring,
        )
        problem = build_problem(self.roster, self.parameters, request, self.constraints,
                                self.base)
        return CompiledDraw(problem, self.methods)

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
        factory = streams or sha256_streams(str(seed))
        division = groups or divide(self.roster, self.parameters, factory, self.as_of)
        compiled = self.compile(group=group, groups=division, history=history)
        return compiled.pairings(seed, method, streams=factory)


class CompiledDraw:
    """One start group's draw with its history, compiled: the pools are built, and each
    :meth:`fill` only draws. Made by :meth:`Kernel.compile`."""

    def __init__(self, problem: Problem, methods: Mapping[str, DrawMethod] | None) -> None:
        self.problem = problem
        self.methods = methods
        self._start: Fill | None = None
        self._open: bool | None = None

    def fill(self, seed: str | int, method: str = "sequential",
             streams: StreamFactory | None = None) -> Fill:
        """The choices of every place drawn under ``seed``: what :meth:`pairings` lists."""
        chosen = get_method(method, self.methods)
        factory = streams or sha256_streams(str(seed))
        builtin = METHODS.get(chosen.name) is chosen
        try:
            return run_method(chosen, self.problem, self._begin(builtin, chosen.name),
                              factory, Tracer(enabled=False))
        except SamplingExhausted:
            self._valid_fill()  # an infeasible draw is reported as such
            raise

    def pairings(self, seed: str | int, method: str = "sequential",
                 streams: StreamFactory | None = None) -> tuple[Pairing, ...]:
        """The pairings the traced draw of this start group gives under ``seed``."""
        chosen = get_method(method, self.methods)
        fill = self.fill(seed, method, streams)
        # A plugin's method, or a plugin's list of whom its constraint bars, is checked as
        # the traced draw checks it; the library's own are held to the traced draw by tests.
        trusted = METHODS.get(chosen.name) is chosen and all(
            c.bars is None or any(c is own for own in sel.OPTIONS)
            for c in self.problem.constraints)
        if trusted:
            return pairings_of(self.problem, fill)
        return verified(self.problem, fill, chosen.name)

    def _begin(self, builtin: bool, name: str) -> Fill:
        """What the method starts from: a valid filling, which ``sequential`` and a plugin's
        method are given; ``uniform`` and ``lots`` need none at hand, so they start empty once
        every place is known to have a choice (a draw without one is infeasible)."""
        if not builtin or name == "sequential":
            return self._valid_fill().copy()
        if self._open is None:
            self._open = all(self.problem.open_mains(p) for p in self.problem.places)
        return Fill(self.problem) if self._open else self._valid_fill().copy()

    def _valid_fill(self) -> Fill:
        if self._start is None:
            self._start = find_valid_fill(self.problem)
        return self._start
