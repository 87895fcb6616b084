"""The stages of a country review and their deadlines, and the calendar arithmetic.

Deadlines are durations from the start of the review, or from the stage before. Months are
calendar months: a deadline that falls on a day the month does not have moves to the last
day of that month (31 August + 6 months = 28 February, or 29 in a leap year).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from tocreview.errors import InputError, UnknownNameError
from tocreview.model.citation import LIBRARY, PROCEDURES_AND_RULES, Citation, Status
from tocreview.rules.registry import RuleKind, rule


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the end of the month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Stage(StrEnum):
    FOCAL_POINT = "focal_point"
    EXPERTS = "experts"
    SELF_ASSESSMENT = "self_assessment"
    FEEDBACK = "feedback"
    LIST_OF_OBSERVATIONS = "list_of_observations"
    SUMMARY = "summary"


class StageRule(BaseModel):
    """When a stage is due: a duration after the review start or after an earlier stage."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: Stage
    title: str
    after: Stage | None = Field(default=None, description="None: after the review starts")
    weeks: int = 0
    months: int = 0
    citation: Citation


_NEWS_2022 = Citation(
    document="UNODC news, launch of the third group of country reviews (1 Nov 2022)",
    status=Status.SECONDARY, note="'in line with the timeline provided by the procedures and "
    "rules'; the paragraph is not known")
_OVERVIEW = Citation(document="UNODC, UNTOC Review Mechanism: overview page",
                     status=Status.SECONDARY)
_UNKNOWN = Citation(document=LIBRARY, status=Status.ASSUMPTION,
                    note="the deadline was not found; assumed: before the end of the two-year "
                    "phase (24 months from the start)")

STAGES: tuple[StageRule, ...] = (
    StageRule(stage=Stage.FOCAL_POINT, title="appoint one focal point", weeks=2,
              citation=_NEWS_2022),
    StageRule(stage=Stage.EXPERTS, title="appoint governmental experts", weeks=4,
              citation=_NEWS_2022),
    StageRule(stage=Stage.SELF_ASSESSMENT, title="submit the self-assessment questionnaire",
              months=6, citation=_OVERVIEW),
    StageRule(stage=Stage.FEEDBACK, title="reviewing States' written feedback",
              after=Stage.SELF_ASSESSMENT, months=6, citation=_OVERVIEW.model_copy(
                  update={"note": "within six months of receiving the responses"})),
    StageRule(stage=Stage.LIST_OF_OBSERVATIONS, title="list of observations", months=24,
              citation=_UNKNOWN),
    StageRule(stage=Stage.SUMMARY, title="summary of the list of observations", months=24,
              citation=_UNKNOWN),
)


@rule(
    "untoc.timeline.deadline", RuleKind.DERIVATION,
    "Each stage of a country review is due a set time after the review starts or after the "
    "stage it follows.",
    Citation(document=PROCEDURES_AND_RULES, status=Status.SECONDARY,
             note="deadlines as reported by UNODC; paragraph numbers not known"),
)
def due_date(stage: StageRule, start: date, previous_done: date | None,
             previous_due: date | None) -> date:
    """When ``stage`` is due: from the review start, or from when the stage before it was
    done (or, if not yet done, was due)."""
    anchor = start if stage.after is None else (previous_done or previous_due or start)
    return add_months(anchor, stage.months) + timedelta(weeks=stage.weeks)


class StageStatus(StrEnum):
    DONE = "done"
    DONE_LATE = "done late"
    DUE = "due"
    OVERDUE = "overdue"


class StageLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: Stage
    title: str
    due: date
    done: date | None
    status: StageStatus
    citation: Citation


class Timeline(BaseModel):
    """The stages of one country review with their due dates and, as of a date, status."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    as_of: date
    stages: tuple[StageLine, ...]


EXPERTS_FROM_LIST = StageRule(
    stage=Stage.EXPERTS, title="designate governmental experts from the list compiled before "
    "the draw", weeks=0, citation=Citation(
        document=LIBRARY, status=Status.ASSUMPTION,
        note="where the list of experts is compiled before the drawing of lots (2017 meeting "
        "report, para. 13, a question), the experts are taken to be known when the review "
        "starts"))


def stages(experts_listed_before_draw: bool = False) -> tuple[StageRule, ...]:
    """The stages of a review; experts are due at the start where the list precedes the draw."""
    if not experts_listed_before_draw:
        return STAGES
    return tuple(EXPERTS_FROM_LIST if s.stage is Stage.EXPERTS else s for s in STAGES)


def timeline(start: date, *, as_of: date | None = None, events: Mapping[str, date] = (),  # type: ignore[assignment]
             end: date | None = None, experts_listed_before_draw: bool = False) -> Timeline:
    """Due dates from ``start``; with ``events`` (stage -> date done) and ``as_of``, the status
    of each stage. ``end`` (optional) is the end of the phase, which must follow the start."""
    when = as_of or start
    if end is not None and end <= start:
        raise InputError(f"the start date {start} is not before the end date {end}")
    names = [s.value for s in Stage]
    done: dict[Stage, date] = {}
    for name, day in dict(events).items():
        if name not in names:
            raise UnknownNameError("stage", name, names)
        if day < start:
            raise InputError(f"stage {name} is dated {day}, before the review starts ({start})")
        done[Stage(name)] = day
    lines: list[StageLine] = []
    due_by: dict[Stage, date] = {}
    for rule_ in stages(experts_listed_before_draw):
        previous = rule_.after
        due = due_date(rule_, start, done.get(previous) if previous else None,
                       due_by.get(previous) if previous else None)
        due_by[rule_.stage] = due
        finished = done.get(rule_.stage)
        if finished is not None:
            status = StageStatus.DONE if finished <= due else StageStatus.DONE_LATE
        else:
            status = StageStatus.OVERDUE if when > due else StageStatus.DUE
        lines.append(StageLine(stage=rule_.stage, title=rule_.title, due=due, done=finished,
                               status=status, citation=rule_.citation))
    return Timeline(start=start, as_of=when, stages=tuple(lines))
