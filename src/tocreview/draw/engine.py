"""The drawing of lots: from roster, parameters and seed to a traced, receipted draw."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from tocreview._version import __version__
from tocreview.draw.check import check
from tocreview.draw.feasibility import find_valid_fill
from tocreview.draw.methods import DrawMethod, Tracer, get_method
from tocreview.draw.problem import Fill, PairingConstraint, Problem, build_problem
from tocreview.draw.receipt import roster_caveats, rules_used, values_in_force
from tocreview.draw.rng import StreamFactory, StreamSignal, sha256_streams
from tocreview.draw.start_groups import divide
from tocreview.errors import (
    InputError,
    PluginError,
    TocreviewError,
    UnknownNameError,
    describe,
)
from tocreview.inputs import parse_date
from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.party import PartyKind
from tocreview.model.result import (
    Draw,
    DrawRequest,
    Pairing,
    Receipt,
    Redraw,
    Role,
    StartGroups,
    TraceEntry,
    canonical_hash,
)
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules import start_groups as sg
from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import rule_of

ALWAYS_USED = tuple(rule_of(f).id for f in (
    sel.order_by_lot, sel.counting_group, sel.instruments_under_review, sg.is_reviewed,
    sg.group_sizes, sel.not_already_reviewing))
"""Rules every draw rests on, whether or not a trace entry names them."""


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
    constraints: Sequence[PairingConstraint] | None = None,
    methods: Mapping[str, DrawMethod] | None = None,
    in_force: Mapping[str, Citation] | None = None,
) -> Draw:
    """Draw the reviewing States for start group ``group``.

    The start groups are divided by lot under the same seed unless ``groups`` is given.
    ``history`` holds the pairings of earlier draws (no mutual reviews spans them).
    ``streams`` replaces the standard generator (tests use it to enumerate every outcome).
    ``constraints`` are the pairing constraints in force (a mechanism passes those of its
    scenario and plugins); None means the built-in options the parameters switch on
    (opt-out, REIO members excluded). ``methods`` replaces the table of draw methods
    (a mechanism passes the built-in ones plus those its plugins register). ``in_force``
    gives the citation of each parameter's value (a mechanism passes its scenario's), so the
    receipt states the source of every value the draw used.
    """
    params = parameters or Parameters()
    chosen = get_method(method, methods)
    when = parse_date(as_of, what="as-of date") if as_of is not None else roster.as_of
    factory = streams or sha256_streams(str(seed))
    division = groups or divide(roster, params, factory, when)
    members = division.group(group)
    for party_id in (*excluded, *deferring):
        roster.get(party_id)
    history = tuple(history)
    history_warnings = checked_history(history, roster, params, when)
    if groups is not None:
        history_warnings += _left_out(roster, params, when, groups)
    request = DrawRequest(
        group=group, states_under_review=tuple(sorted(members)), seed=str(seed),
        method=chosen.name, as_of=when, history=history,
        excluded=frozenset(excluded), deferring=frozenset(deferring),
    )
    if constraints is None:
        constraints = sel.options_in_force(params)
    problem = build_problem(roster, params, request, constraints)
    start = find_valid_fill(problem)
    tracer = Tracer()
    if groups is None:
        for entry in division.trace:
            tracer.add(**{k: v for k, v in entry.model_dump().items() if k != "step"})
    fill = run_method(chosen, problem, start, factory, tracer)
    return finish(problem, fill, tracer.entries, scenario, (), in_force, history_warnings)


def run_method(chosen: DrawMethod, problem: Problem, start: Fill, streams: StreamFactory,
               tracer: Tracer) -> Fill:
    """Run a draw method; anything but a library error from it (a plugin's) is named."""
    try:
        return chosen.run(problem, start, streams, tracer)
    except (TocreviewError, KeyboardInterrupt, StreamSignal):
        raise
    except BaseException as exc:  # a method a plugin registered must not crash the caller
        raise PluginError(f"draw method {chosen.name}", "run", describe(exc)) from None


def _left_out(roster: Roster, parameters: Parameters, when: date | None,
              groups: StartGroups) -> tuple[str, ...]:
    """Start groups given by the caller (not drawn here) that leave States under review out:
    they are never reviewed in the cycle. A warning, not an error: a State that joined after
    the groups were drawn is rightly left out (see Mechanism.late_joiner)."""
    listed = {s for g in groups.groups for s in g}
    missing = sorted(p.id for p in roster.parties
                     if p.id not in listed and sg.is_reviewed(p, parameters, when))
    if not missing:
        return ()
    shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
    return (f"{len(missing)} States under review are in no start group given and are not "
            f"reviewed in this cycle: {shown} (if they joined later, see tocreview timeline "
            "--state)",)


def checked_history(history: Sequence[Pairing], roster: Roster, parameters: Parameters,
                    as_of: date | None) -> tuple[str, ...]:
    """Earlier draws' pairings, held to the rules they were drawn under: a self-review, a
    mutual review within the history, a party not in the roster, or a regional economic
    integration organization as reviewer (where it may not review) is an error; a reviewer
    not party to the instrument on the draw's date is a warning (party status may have
    changed since)."""
    pairs = {(p.under_review, p.reviewer) for p in history}
    warnings: list[str] = []
    for number, p in enumerate(history, start=1):
        where = f"history, pairing {number} ({p.under_review} reviewed by {p.reviewer})"
        for ident in (p.under_review, p.reviewer):
            if ident not in roster:
                raise InputError(f"{where}: {UnknownNameError('party id', ident, roster.ids())}")
        if p.under_review == p.reviewer:
            raise InputError(f"{where}: a State reviewing itself")
        if (p.reviewer, p.under_review) in pairs:
            raise InputError(f"{where}: {p.under_review} also reviews {p.reviewer} in the "
                             "history, a mutual review")
        reviewer = roster.get(p.reviewer)
        if reviewer.kind is PartyKind.REIO and not parameters.reio_may_review:
            raise InputError(f"{where}: {reviewer.name} does not serve as reviewer "
                             "(reio_may_review is off)")
        if reviewer.is_party_to(p.instrument, as_of) is False:
            warnings.append(f"{where}: {p.reviewer} is not party to the {p.instrument.value} "
                            f"on {as_of or 'the date of the facts'}")
    if len(warnings) > 3:
        warnings = [*warnings[:3], f"and {len(warnings) - 3} more such history pairings"]
    return tuple(warnings)


def pairings_of(problem: Problem, fill: Fill) -> tuple[Pairing, ...]:
    """The pairings of a complete filling: one per State under review, side and instrument,
    in a fixed order (by State, then side, then instrument). Built without validation: every
    field comes from the problem, and validating them costs more than the draw."""
    out = []
    for (sur, side), (main, supps) in sorted(fill.choices.items()):
        wanted = problem.instruments[sur]
        covering = {inst: supp for slot, supp in zip(problem.slots((sur, side), main), supps,
                                                     strict=True) for inst in slot}
        order = list(Instrument)
        make = Pairing.trusted
        for inst in sorted(wanted, key=order.index):
            if inst in problem.instruments[main]:
                out.append(make(under_review=sur, reviewer=main, instrument=inst, side=side,
                                role=Role.MAIN))
            else:
                out.append(make(under_review=sur, reviewer=covering[inst], instrument=inst,
                                side=side, role=Role.SUPPLEMENTARY))
    return tuple(out)


def verified(problem: Problem, fill: Fill, method_name: str | None = None
             ) -> tuple[Pairing, ...]:
    """The pairings of a filling, checked against every rule by the independent checker
    before any receipt is made: a draw method (built-in or a plugin's) cannot hand back a
    draw that breaks the rules or leaves a State without reviewers. ``method_name`` names
    the method in an error (by default the request's)."""
    request = problem.request
    method = f"draw method {method_name or request.method}"
    try:
        pairings = pairings_of(problem, fill)
    except (TocreviewError, KeyboardInterrupt):
        raise
    except BaseException as exc:
        raise PluginError(method, "result", f"left the draw incomplete ({describe(exc)})") \
            from None
    covered = {p.under_review for p in pairings}
    missing = sorted(set(request.states_under_review) - covered)
    if missing:
        raise PluginError(method, "result", f"left {len(missing)} States without reviewers: "
                          f"{', '.join(missing[:5])}")
    violations = check(pairings, problem.roster, problem.parameters, history=request.history,
                       as_of=request.as_of, constraints=problem.constraints,
                       excluded=request.excluded, deferring=request.deferring)
    if violations:
        first = violations[0]
        raise PluginError(method, "result", f"{len(violations)} pairings break the rules, "
                          f"e.g. {first.rule}: {first.message}")
    return pairings


def finish(problem: Problem, fill: Fill, entries: list[TraceEntry], scenario: str,
           redraws: tuple[Redraw, ...],
           in_force: Mapping[str, Citation] | None = None,
           notes: tuple[str, ...] = ()) -> Draw:
    """The draw with its receipt: hashes, and what the draw rests on."""
    pairings = verified(problem, fill)
    trace = tuple(entries)
    roster, params, request = problem.roster, problem.parameters, problem.request
    inputs_hash = canonical_hash({
        "roster": roster.content_hash(),
        "parameters": params.model_dump(mode="json"),
        "request": request.model_dump(mode="json"),
        "scenario": scenario,
    })
    result_hash = canonical_hash({
        "pairings": [p.model_dump(mode="json") for p in pairings],
        "trace": [t.model_dump(mode="json") for t in trace],
        "redraws": [r.model_dump(mode="json") for r in redraws],
    })
    named = sorted({r for t in trace for r in t.rules} | set(ALWAYS_USED))
    citations = {i: RULES.get(i).citations for i in named if i in RULES}
    extra = ["max_uniform_attempts"] if request.method == "uniform" else []
    values = values_in_force(params, named, in_force, extra)
    used = rules_used(named)
    provisional = sorted(
        [f"parameter {v.name} [{v.status.value}]" for v in values
         if v.status is not Status.ADOPTED]
        + [f"rule {r.id} [{r.status.value}]" for r in used if r.status is not Status.ADOPTED]
    )
    involved = {*request.states_under_review, *(p.reviewer for p in pairings)}
    wanted = {i for sur in request.states_under_review for i in problem.instruments[sur]}
    warnings = list(notes)
    if request.group > 1 and not request.history:
        warnings.append(
            f"start group {request.group} was drawn without the pairings of the earlier "
            "groups: mutual reviews with their States are not prevented (give the history)")
    valid = "; ".join(f"{i.value} {d.isoformat()}" for i, d in sorted(
        roster.data_valid_for.items()))
    receipt = Receipt(
        package_version=__version__, method=request.method, seed=request.seed, scenario=scenario,
        inputs_hash=inputs_hash, result_hash=result_hash, redraws=redraws,
        as_of=request.as_of, history_given=bool(request.history), in_force=values, rules=used,
        roster_caveats=roster_caveats(roster, request.as_of, involved, wanted),
        warnings=tuple(warnings), provisional=tuple(provisional),
    )
    return Draw(request=request, pairings=pairings, trace=trace, receipt=receipt,
                data_valid_for=valid, citations=citations)
