"""Is there any valid draw at all? If not, say why, in words a person understands.

Three checks, cheapest first:

1. every place has a pool the static rules leave non-empty (else: who is missing and why);
2. with a cap on reviews per reviewer, a maximum flow (networkx) from places to reviewers:
   if the flow cannot fill every place, the minimum cut is a Hall witness, a set of places
   that together need more reviews than their eligible reviewers may give;
3. an exact search for a complete valid filling, shrunk to a minimal witness if none exists.

Without a cap on reviews per reviewer, Hall's condition reduces to non-empty pools, so the
flow is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from tocreview.draw.matching import max_matching
from tocreview.draw.problem import Fill, Place, Problem
from tocreview.draw.search import complete, minimal_infeasible
from tocreview.errors import TocreviewError
from tocreview.model.instrument import Instrument
from tocreview.model.result import Side
from tocreview.rules import selection as sel
from tocreview.rules.registry import rule_of

if TYPE_CHECKING:
    import networkx as nx

_SIDE_WORDS = {Side.SAME_GROUP: "same-group", Side.OTHER_GROUP: "other-group"}


class Witness(BaseModel):
    """Places that cannot all be filled, the reviewers eligible for them, the rules that bind."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    places: tuple[tuple[str, Side], ...]
    eligible: tuple[str, ...]
    rules: tuple[str, ...]
    explanation: str


class InfeasibleDraw(TocreviewError):
    """No assignment satisfies every rule; ``witness`` says which places and rules."""

    def __init__(self, witness: Witness) -> None:
        self.witness = witness
        super().__init__(f"no valid draw exists: {witness.explanation}")


def _names(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _instrument_words(instruments: frozenset[Instrument]) -> str:
    order = list(Instrument)
    return " and ".join(i.full_title for i in sorted(instruments, key=order.index))


def _empty_pool_witness(problem: Problem, failing: list[Place]) -> Witness:
    by_need: dict[tuple[str, Side, frozenset[Instrument]], list[str]] = defaultdict(list)
    for sur, side in failing:
        pool = problem.main_pool[(sur, side)]
        # Without mains, the Convention is what is missing; otherwise the protocols no one has.
        need = frozenset({Instrument.CONVENTION}) if not pool else frozenset().union(
            *(problem.missing((sur, side), r) for r in pool))
        by_need[(problem.group_title(sur), side, need)].append(sur)
    parts = []
    eligible: set[str] = set()
    for (group, side, need), surs in sorted(by_need.items(), key=lambda kv: kv[1]):
        holders = sorted({r for s in surs for r in problem.main_pool[(s, side)]
                          if need <= problem.instruments[r]})
        eligible.update(holders)
        subject = (f"the {len(surs)} {group} under review ({_names(surs)})" if len(surs) > 1
                   else f"{surs[0]} ({group})")
        verb = "need" if len(surs) > 1 else "needs"
        parts.append(
            f"{subject} {verb} a {_SIDE_WORDS[side]} reviewer party to the "
            f"{_instrument_words(need)}; none is eligible under the rules"
        )
    places = tuple(sorted(failing))
    rules = (*problem.static_rules, *sorted({problem.side_rules[s] for _, s in failing}))
    return Witness(places=places, eligible=tuple(sorted(eligible)), rules=rules,
                   explanation="; ".join(parts))


def _flow_witness(problem: Problem, cap: int) -> Witness | None:
    places = problem.places
    # A maximum matching (the same flow) says at once when every place can be filled, as it
    # usually can; the network, which also finds the places that cannot, is built only then.
    edges = {p: [r for r in problem.main_pool[p] if problem.choices_count(p, r)]
             for p in places}
    if len(max_matching(places, edges, dict.fromkeys(problem.instruments, cap))) == len(places):
        return None
    import networkx as nx  # only a cap on reviews per reviewer needs the flow

    graph: nx.DiGraph[object] = nx.DiGraph()
    graph.add_node("sink")  # a network where no place has a reviewer still has its sink
    for place in places:
        graph.add_edge("source", place, capacity=1)
        for r in edges[place]:
            graph.add_edge(place, ("reviewer", r), capacity=1)
    for node in list(graph.nodes):
        if isinstance(node, tuple) and node[0] == "reviewer":
            graph.add_edge(node, "sink", capacity=cap)
    _, flow = nx.maximum_flow(graph, "source", "sink")
    # The smallest Hall set: what the source still reaches in the residual network.
    reachable: set[object] = {"source"}
    frontier: list[object] = ["source"]
    while frontier:
        node = frontier.pop()
        forward = [v for v, data in graph[node].items() if flow[node][v] < data["capacity"]]
        backward = [u for u in graph.predecessors(node) if flow[u][node] > 0]
        for nxt in (*forward, *backward):
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    hall = sorted(p for p in places if p in reachable)
    eligible = sorted(n[1] for n in reachable if isinstance(n, tuple) and n[0] == "reviewer")
    groups: dict[tuple[str, Side], list[str]] = defaultdict(list)
    for sur, side in hall:
        groups[(problem.group_title(sur), side)].append(sur)
    described = "; ".join(
        f"{len(surs)} {group} under review need {_SIDE_WORDS[side]} reviewers "
        f"({_names(surs)})" for (group, side), surs in sorted(groups.items())
    )
    explanation = (
        f"{described}; only {len(eligible)} are eligible ({_names(eligible)}), and each may "
        f"review at most {cap}, so at most {len(eligible) * cap} of the {len(hall)} places can "
        "be filled"
    )
    rules = (*problem.static_rules, rule_of(sel.within_reviewer_load).id)
    return Witness(places=tuple(hall), eligible=tuple(eligible), rules=rules,
                   explanation=explanation)


def find_valid_fill(problem: Problem) -> Fill:
    """A complete valid filling of every place, or :class:`InfeasibleDraw` with a witness."""
    failing = [p for p in problem.places if not problem.open_mains(p)]
    if failing:
        raise InfeasibleDraw(_empty_pool_witness(problem, failing))
    cap = problem.parameters.max_reviews_per_reviewer
    if cap is not None:
        witness = _flow_witness(problem, cap)
        if witness is not None:
            raise InfeasibleDraw(witness)
    found = complete(problem, Fill(problem))
    if found is not None:
        return found
    core = minimal_infeasible(problem, problem.places)
    eligible = sorted({r for p in core for r in problem.main_pool[p]})
    surs = sorted({s for s, _ in core})
    rules = (
        rule_of(sel.not_mutual).id, rule_of(sel.within_reviewer_load).id,
        rule_of(sel.within_reviewer_cap).id,
    )
    explanation = (
        f"the reviewer places of {_names(surs)} cannot all be filled together: the only "
        f"eligible reviewers ({_names(eligible)}) would have to review each other (no mutual "
        "reviews), review more States than allowed, or exceed the cap on reviewers"
    )
    raise InfeasibleDraw(Witness(places=tuple(core), eligible=tuple(eligible), rules=rules,
                                 explanation=explanation))
