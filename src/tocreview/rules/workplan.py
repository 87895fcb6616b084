"""The multi-year workplan: clusters, phases and start groups, under each sequencing option."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from tocreview.model.citation import LIBRARY, UNODC_OVERVIEW, Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.rules.policy import Sequencing
from tocreview.rules.registry import RuleKind, rule
from tocreview.rules.timeline import add_months


class Cluster(IntEnum):
    """The four thematic clusters, in the order they are reviewed."""

    CRIMINALIZATION_AND_JURISDICTION = 1
    PREVENTION_ASSISTANCE_PROTECTION = 2
    LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM = 3
    INTERNATIONAL_COOPERATION = 4

    @property
    def full_title(self) -> str:
        return _CLUSTER_TITLES[self]


_CLUSTER_TITLES = {
    Cluster.CRIMINALIZATION_AND_JURISDICTION: "Criminalization and jurisdiction",
    Cluster.PREVENTION_ASSISTANCE_PROTECTION:
        "Prevention, technical assistance, protection measures and other measures",
    Cluster.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM: "Law enforcement and judicial system",
    Cluster.INTERNATIONAL_COOPERATION:
        "International cooperation, mutual legal assistance and confiscation",
}
CLUSTER_CITATION = Citation(
    document=UNODC_OVERVIEW, status=Status.SECONDARY,
    note="four thematic clusters, two years each; cluster 1 confirmed, the titles of clusters "
    "2-4 are unconfirmed",
)
PROCESS_START = date(2020, 11, 1)
"""The date start group 1 begins: see :data:`PROCESS_START_CITATION`."""
PROCESS_START_CITATION = Citation(
    document="UNODC news and front pages (2021, 2022)", status=Status.INFERRED,
    note="group 2 started on 1 November 2021 and group 3 on 1 November 2022; that group 1 "
    "started on 1 November 2020 is inferred from the consecutive years and from the review "
    "process starting in October 2020 (UNODC secretariat page); no source states that date",
)


class Phase(BaseModel):
    """One phase of a start group's reviews: which clusters and instruments, from when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start_group: int
    starts: date
    ends: date
    clusters: tuple[Cluster, ...]
    instruments: tuple[Instrument, ...]


@rule(
    "untoc.workplan.phases", RuleKind.DERIVATION,
    "Each start group reviews the four clusters in turn, two years each, the groups starting "
    "in consecutive years; other sequencing options change what each phase covers.",
    CLUSTER_CITATION,
    Citation(document=LIBRARY, status=Status.INFERRED,
             note="group g reviews cluster k in years (g-1)+2(k-1)+1 and +2 of the process"),
    PROCESS_START_CITATION,
)
def phases(sequencing: Sequencing, start_group: int,
           instruments: tuple[Instrument, ...] = tuple(Instrument)) -> list[Phase]:
    """The phases of ``start_group`` (1-based) for a State party to ``instruments``."""
    held = tuple(i for i in Instrument if i in instruments)
    return list(_phases(sequencing, start_group, held))


@lru_cache(maxsize=1024)
def _phases(sequencing: Sequencing, start_group: int,
            instruments: tuple[Instrument, ...]) -> tuple[Phase, ...]:
    # A pure function of few values, asked for every State of every simulated cycle.
    first = add_months(PROCESS_START, 12 * (start_group - 1))
    held = instruments
    parts: list[tuple[tuple[Cluster, ...], tuple[Instrument, ...]]]
    if sequencing is Sequencing.CLUSTERS:
        parts = [((c,), held) for c in Cluster]
    elif sequencing is Sequencing.ALL_AT_ONCE:
        parts = [(tuple(Cluster), held)]
    else:
        parts = [(tuple(Cluster), (i,)) for i in held]
    out = []
    for k, (clusters, covered) in enumerate(parts):
        starts = add_months(first, 24 * k)
        out.append(Phase(start_group=start_group, starts=starts, ends=add_months(starts, 24),
                         clusters=clusters, instruments=covered))
    return tuple(out)


@rule(
    "untoc.workplan.late_joiner", RuleKind.DERIVATION,
    "A State that becomes party after the start groups were drawn joins the first start group "
    "that has not started by then; after all have started, it starts its review with the "
    "next phase of the last group that begins after it joined; after the last phase has "
    "begun, in the next cycle.",
    Citation(document=LIBRARY, status=Status.ASSUMPTION,
             note="no UNTOC rule found; UNCAC reviews late ratifiers in the fifth year of the "
             "cycle (UNODC country pairings page)"),
)
def entry_for(joined: date, groups: int = 3,
              sequencing: Sequencing = Sequencing.CLUSTERS) -> tuple[int, date | None]:
    """(start group, date its review starts) for a State party since ``joined``. The date is
    never before ``joined``; it is None when every phase of the cycle has begun by then (the
    State waits for the next cycle, which is not modelled)."""
    for g in range(1, groups + 1):
        starts = add_months(PROCESS_START, 12 * (g - 1))
        if starts > joined:
            return g, starts
    later = [p.starts for p in phases(sequencing, groups) if p.starts > joined]
    return groups, (later[0] if later else None)
