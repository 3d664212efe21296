"""The planner's data: plain frozen dataclasses in, proposals and blocking rules out.

Datetimes are aware; the planner converts them to minutes from an origin and plans calendar days in
the origin's timezone (the team's), so across a clock change a duration stays real minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

Location = tuple[float, float]
Span = tuple[datetime, datetime]

REGISTERED_NURSE = "registered_nurse"
NURSING_ASSOCIATE = "nursing_associate"
CARE_WORKER = "care_worker"
STUDENT = "student"


def _empty() -> Mapping[str, int]:
    return MappingProxyType({})


@dataclass(frozen=True)
class PlanMember:
    id: str
    name: str
    role: str
    skills: frozenset[str]
    shifts: tuple[Span, ...]
    absences: tuple[Span, ...]
    contracted_minutes_per_week: int
    busy: tuple[Span, ...] = ()
    worked_minutes_before: int = 0
    weeks_before: int = 0
    preferences: Mapping[str, int] = field(default_factory=_empty)
    # Where their working day starts and ends (StartPoint): the travel from it to the day's first
    # work and back from the last counts as work. None: not given, no such travel counted.
    home: Location | None = None


@dataclass(frozen=True)
class PlanVisit:
    id: str
    client_id: str
    client_name: str
    start: datetime
    end: datetime
    window_start: datetime | None
    window_end: datetime | None
    required_skills: frozenset[str]
    required_role: str | None
    carers_needed: int
    location: Location | None
    assigned: tuple[str, ...] = ()
    # The client's preferred language ("" none recorded: no preference) and whether they need it.
    language: str = ""
    language_needed: bool = False
    # Set on the planner's own copies of a visit at another start within its window (prepare.py):
    # the start the team planned.
    moved_from: datetime | None = None


@dataclass(frozen=True)
class PlanRules:
    daily_rest_hours: float = 11
    weekly_rest_hours: float = 24
    max_average_weekly_hours: float = 48
    reference_weeks: int = 17
    continuity_limit: int | None = None
    break_after_hours: float = 6
    break_minutes: int = 20


def _no_history() -> Mapping[tuple[str, str], int]:
    return MappingProxyType({})


def _no_primary() -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class PlanInput:
    members: tuple[PlanMember, ...]
    visits: tuple[PlanVisit, ...]
    rules: PlanRules
    travel_minutes: Callable[[Location | None, Location | None], int]
    history: Mapping[tuple[str, str], int] = field(default_factory=_no_history)
    primary: Mapping[str, tuple[str, ...]] = field(default_factory=_no_primary)


@dataclass(frozen=True)
class Proposal:
    visit_id: str
    member_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    # When the planner moves the visit within its window: its new start and end.
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Unassignable:
    visit_id: str
    rule: str
    reason: str


@dataclass(frozen=True)
class PlanResult:
    proposals: tuple[Proposal, ...]
    unassignable: tuple[Unassignable, ...]
    status: str
    objective: float
    seconds: float
