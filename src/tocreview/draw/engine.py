"""The drawing of lots: from roster, parameters and seed to a traced, receipted draw."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from tocreview.draw.feasibility import find_valid_fill
from tocreview.draw.methods import DrawMethod, Tracer, get_method
from tocreview.draw.model import (
    Draw,
    DrawRequest,
    Pairing,
    Receipt,
    Redraw,
    Role,
    TraceEntry,
    canonical_hash,
)
from tocreview.draw.problem import Fill, PairingConstraint, Problem, build_problem
from tocreview.draw.rng import StreamFactory, sha256_streams
from tocreview.draw.start_groups import StartGroups, divide
from tocreview.model.citation import Citation
from tocreview.model.instrument import Instrument
from tocreview.model.roster import Roster, parse_date
from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import Parameters


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
    constraints: Sequence[PairingConstraint] = (),
    methods: Mapping[str, DrawMethod] | None = None,
) -> Draw:
    """Draw the reviewing States for start group ``group``.

    The start groups are divided by lot under the same seed unless ``groups`` is given.
    ``history`` holds the pairings of earlier draws (no mutual reviews spans them).
    ``streams`` replaces the standard generator (tests use it to enumerate every outcome).
    ``constraints`` add pairing constraints; ``methods`` replaces the table of draw methods
    (a mechanism passes the built-in ones plus those its plugins register).
    """
    params = parameters or Parameters()
    chosen = get_method(method, methods)
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
    problem = build_problem(roster, params, request, constraints)
    start = find_valid_fill(problem)
    tracer = Tracer()
    if groups is None:
        for entry in division.trace:
            tracer.add(**{k: v for k, v in entry.model_dump().items() if k != "step"})
    fill = chosen.run(problem, start, factory, tracer)
    return finish(problem, fill, tracer.entries, scenario, ())


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


def finish(problem: Problem, fill: Fill, entries: list[TraceEntry], scenario: str,
            redraws: tuple[Redraw, ...]) -> Draw:
    from tocreview import __version__

    pairings = _pairings(problem, fill)
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
