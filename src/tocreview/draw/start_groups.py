"""Dividing the States parties into start groups by lot, balanced across regional groups."""

from __future__ import annotations

from datetime import date

from tocreview.draw.rng import StreamFactory, shuffled
from tocreview.errors import NoApplicableRule
from tocreview.model.party import RegionalGroup
from tocreview.model.result import StartGroups, TraceEntry
from tocreview.model.roster import Roster
from tocreview.rules import selection as sel
from tocreview.rules import start_groups as sg
from tocreview.rules.parameters import Parameters
from tocreview.rules.registry import rule_of

RULES = tuple(rule_of(f).id for f in (sg.is_reviewed, sg.group_sizes, sg.regional_share))


def divide(roster: Roster, parameters: Parameters, streams: StreamFactory,
           as_of: date | None = None) -> StartGroups:
    """Divide the States under review into ``parameters.start_groups`` groups by lot.

    For each regional group in a fixed order, its members (sorted by id) are shuffled by lot;
    each start group takes its whole share in turn; the remainder go, by lot, to the start
    groups that are smallest so far, so that group sizes differ by at most one.
    """
    when = roster.as_of if as_of is None else as_of
    count = parameters.start_groups
    reviewed = [p for p in roster.parties if sg.is_reviewed(p, parameters, when)]
    by_region: dict[RegionalGroup | None, list[str]] = {g: [] for g in RegionalGroup}
    by_region[None] = []  # a reviewed REIO counting in its members' groups
    for p in reviewed:
        region = sel.counting_group(p, parameters)
        if region is None and not (p.members and parameters.reio_groups_from_members):
            raise NoApplicableRule(
                f"{p.id} is in no regional group and no_group_mapping gives none for it, so "
                "it cannot be placed in a start group; add it to no_group_mapping"
            )
        by_region[region].append(p.id)
    groups: list[list[str]] = [[] for _ in range(count)]
    trace: list[TraceEntry] = []
    for region, members in by_region.items():
        if not members:
            continue
        label = region.value if region else "no-group"
        key = ("start-groups", label)
        lots = streams(key)
        order = shuffled(sorted(members), lots)
        share, remainder = sg.regional_share(len(order), count)
        for g in range(count):
            groups[g].extend(order[g * share:(g + 1) * share])
        extras = order[count * share:]
        smallest = sorted(range(count), key=lambda g: len(groups[g]))
        size = len(groups[smallest[0]])
        candidates = [g for g in range(count) if len(groups[g]) == size]
        others = [g for g in smallest if g not in candidates]
        # The smallest groups first, ties broken by lot; then the others, also by lot.
        picked = shuffled(candidates, lots) + shuffled(others, lots)
        for party, g in zip(extras, picked[:remainder], strict=True):
            groups[g].append(party)
        trace.append(TraceEntry(
            step=len(trace) + 1, action="start group", pool=tuple(sorted(members)),
            chosen=tuple(order), rules=RULES, stream="/".join(key),
            note=f"{region.full_title if region else 'No regional group'}: {share} to each "
                 "group; remainder "
                 f"{', '.join(extras) or 'none'} to group(s) "
                 f"{', '.join(str(g + 1) for g in picked[:remainder]) or '-'}",
        ))
    return StartGroups(groups=tuple(tuple(sorted(g)) for g in groups), trace=tuple(trace))
