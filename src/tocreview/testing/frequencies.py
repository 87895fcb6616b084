"""Per-State reviewer frequencies on the full roster, held to each draw method's declaration.

A method that declares its distribution :attr:`~Declaration.EXCHANGEABLE` promises that
States the rules treat alike are drawn alike. Then, over independent seeds, every State of
one *class* (same regional group(s) as reviewer and as State under review, same instruments,
under review in the draw or not; a State a parameter names stands alone) reviews in a draw
with the same probability ``p``, so its count over ``SEEDS`` seeds is Binomial(SEEDS, p).

The test: start group 1 of the roster is drawn under ``SEEDS`` fixed seeds; for each State
in a class of two or more, the two-sided exact binomial p-value of its count under the
class's pooled ``p`` is compared with ``FALSE_ALARM / N`` (N: the States tested, Bonferroni).
So a method keeping its promise fails with chance about ``FALSE_ALARM`` or less; the seeds are
fixed, so a given method either always passes or always fails. The draws use the adopted
parameters with only the built-in options in force: a plugin's constraints are checked by
the pool comparison, not here. A method that declares nothing fails at once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from tocreview.draw.feasibility import InfeasibleDraw
from tocreview.draw.kernel import Kernel
from tocreview.draw.methods import METHODS, Declaration, DrawMethod, SamplingExhausted
from tocreview.draw.search import SearchLimit
from tocreview.mechanism import Mechanism
from tocreview.rules import selection as sel

SEEDS = 24
FALSE_ALARM = 0.001
_BUILT_IN: dict[tuple[str, str, str], str | None] = {}
"""Results for the built-in methods, per roster (their code never changes)."""


def binomial_p_value(count: int, trials: int, p: float) -> float:
    """Two-sided exact p-value: the probability of a count no more likely than ``count``."""
    if p <= 0.0 or p >= 1.0:
        return 1.0 if count == round(p * trials) else 0.0
    probability = [math.comb(trials, k) * p ** k * (1 - p) ** (trials - k)
                   for k in range(trials + 1)]
    observed = probability[count]
    return min(1.0, sum(q for q in probability if q <= observed * (1 + 1e-9)))


def frequency_problem(m: Mechanism, name: str, method: DrawMethod) -> str | None:
    """None if the method keeps its declaration on ``m``'s roster, else what it breaks."""
    if method.declares is not Declaration.EXCHANGEABLE:
        return (f"draw method {name!r} declares no distribution the suite can test (set "
                "DrawMethod.declares, e.g. Declaration.EXCHANGEABLE)")
    # A built-in method is the same code under every scenario (the exact tests cover its
    # distribution under each parameter), so it is tested once per roster and process.
    key = (m.roster.content_hash(), "" if METHODS.get(name) is method
           else m.parameters.model_dump_json(), name)
    if METHODS.get(name) is method and key in _BUILT_IN:
        return _BUILT_IN[key]
    found = _test(m, name)
    if METHODS.get(name) is method:
        _BUILT_IN[key] = found
    return found


def _test(m: Mechanism, name: str) -> str | None:
    params = m.parameters
    kernel = Kernel(m.roster, params, constraints=sel.options_in_force(params),
                    methods=m.plugins.draw_methods())
    groups = kernel.start_groups("frequencies")
    under_review = set(groups.group(1))
    counts: Counter[str] = Counter()
    compiled = kernel.compile(group=1, groups=groups)  # one start group, many seeds
    for seed in range(SEEDS):
        try:
            pairings = compiled.pairings(f"frequencies/{seed}", name)
        except (InfeasibleDraw, SamplingExhausted, SearchLimit):
            return None  # the draw itself fails: reported by the other checks
        counts.update({p.reviewer for p in pairings})
    classes = _classes(m, under_review)
    tested = [s for members in classes.values() if len(members) > 1 for s in members]
    if not tested:
        return None
    level = FALSE_ALARM / len(tested)
    worst: tuple[float, str, int, float, int] | None = None
    for members in classes.values():
        if len(members) < 2:
            continue
        pooled = sum(counts[s] for s in members) / (len(members) * SEEDS)
        for s in members:
            value = binomial_p_value(counts[s], SEEDS, pooled)
            if value < level and (worst is None or value < worst[0]):
                worst = (value, s, counts[s], pooled, len(members))
    if worst is None:
        return None
    value, state, count, pooled, size = worst
    return (f"draw method {name!r} does not draw alike States the rules treat alike: {state} "
            f"reviews in {count} of {SEEDS} draws where the {size} States of its class "
            f"(same groups, instruments and status) review in {pooled:.0%} of draws on "
            f"average (p = {value:.1g}, below {level:.1g}: a false alarm has chance "
            f"{FALSE_ALARM})")


def _classes(m: Mechanism, under_review: set[str]) -> dict[object, list[str]]:
    """States grouped by the facts the rules read; a State a parameter names stands alone."""
    params = m.parameters
    named = {*params.opted_out, *params.cap_waived_by, *params.legal_systems,
             *params.no_group_mapping}
    groups_of: dict[str, object] = {p.id: sel.reviewer_groups(p, params)
                                    for p in m.roster.parties}
    lookup: Callable[[str], object] = groups_of.__getitem__
    out: dict[object, list[str]] = {}
    for party in m.roster.parties:
        if party.kind.value != "state":
            continue
        if party.id in named or party.also_participates_in or party.members:
            key: object = ("alone", party.id)
        else:
            reviewed = party.id in under_review
            key = (groups_of[party.id], party.instruments(m.roster.as_of), reviewed,
                   sel.groups_under_review(party, lookup, params) if reviewed else None)  # type: ignore[arg-type]
        out.setdefault(key, []).append(party.id)
    return out
