"""Small planner inputs for the tests: a grid town, a Monday in London, members and visits."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling.planner.model import PlanMember, PlanVisit

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 11, 30, tzinfo=LONDON)


def at(day: int, hour: float) -> datetime:
    midnight = datetime.combine((MONDAY + timedelta(days=day)).date(), datetime.min.time(), LONDON)
    return midnight + timedelta(minutes=round(hour * 60))


def grid_travel(a: tuple[float, float] | None, b: tuple[float, float] | None) -> int:
    """Ten minutes per grid step, Manhattan distance (keeps the triangle inequality)."""
    if a is None or b is None:
        return 0
    return math.ceil(10 * (abs(a[0] - b[0]) + abs(a[1] - b[1])))


def member(
    mid: str,
    role: str = "care_worker",
    *,
    skills: frozenset[str] = frozenset(),
    days: range = range(7),
    hours: tuple[float, float] = (6, 23),
    absences: tuple[tuple[datetime, datetime], ...] = (),
    busy: tuple[tuple[datetime, datetime], ...] = (),
    contract_hours: int = 37,
    worked_before_hours: float = 0,
    weeks_before: int = 0,
    home: tuple[float, float] | None = None,
) -> PlanMember:
    return PlanMember(
        id=mid,
        name=mid.capitalize(),
        role=role,
        skills=skills,
        shifts=tuple((at(d, hours[0]), at(d, hours[1])) for d in days),
        absences=absences,
        contracted_minutes_per_week=contract_hours * 60,
        busy=busy,
        worked_minutes_before=round(worked_before_hours * 60),
        weeks_before=weeks_before,
        home=home,
    )


def visit(
    vid: str,
    day: int,
    start: float,
    minutes: int = 30,
    *,
    client: str = "c1",
    where: tuple[float, float] | None = (0, 0),
    role: str | None = None,
    skills: frozenset[str] = frozenset(),
    carers: int = 1,
    assigned: tuple[str, ...] = (),
    window: tuple[float, float] | None = None,
) -> PlanVisit:
    """A visit; `window` the earliest and latest start it may have, in hours of its day."""
    begin = at(day, start)
    return PlanVisit(
        id=vid,
        client_id=client,
        client_name=f"Client {client}",
        start=begin,
        end=begin + timedelta(minutes=minutes),
        window_start=at(day, window[0]) if window else None,
        window_end=at(day, window[1]) if window else None,
        required_skills=skills,
        required_role=role,
        carers_needed=carers,
        location=where,
        assigned=assigned,
    )
