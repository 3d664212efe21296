"""Which tasks a visit has: the care plan's interventions due at this kind of visit, then the
visit's own tasks. Pure: plain data in, tasks out (no ORM, no Django).

How the two kinds coexist (docs/clients.md, "Tasks of a visit"): an intervention says which
visits it belongs to (parts of the day, weekdays, every N days); `Visit.tasks` (copied from its
`VisitPattern.tasks` by the week generator, or typed on a one-off visit) holds the visit's own
free-text tasks, such as "Put the bins out". A visit's checklist is the due interventions, in
care plan order, followed by its own tasks. Each task has a stable key, which outcomes name.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class PartOfDay(StrEnum):
    MORNING = "morning"  # from midnight to noon
    AFTERNOON = "afternoon"  # noon to 5pm
    EVENING = "evening"  # 5pm to midnight


AFTERNOON_FROM = dt.time(12, 0)
EVENING_FROM = dt.time(17, 0)
PART_WORDS = {
    PartOfDay.MORNING: "morning visits",
    PartOfDay.AFTERNOON: "afternoon visits",
    PartOfDay.EVENING: "evening visits",
}
INTERVENTION_KEY = "intervention:"
OWN_KEY = "visit:"


def part_of_day(local_time: dt.time) -> PartOfDay:
    if local_time < AFTERNOON_FROM:
        return PartOfDay.MORNING
    if local_time < EVENING_FROM:
        return PartOfDay.AFTERNOON
    return PartOfDay.EVENING


@dataclass(frozen=True)
class Schedule:
    """Which visits an intervention belongs to. Empty parts and weekdays mean any; every_days
    greater than 1 counts days from `every_days_from` (the first such day)."""

    parts: frozenset[str] = frozenset()
    weekdays: frozenset[int] = frozenset()  # ISO, 1 = Monday
    every_days: int = 1
    every_days_from: dt.date | None = None

    def includes(self, local_start: dt.datetime) -> bool:
        """Whether a visit starting at this local (team time zone) time is one of them."""
        day = local_start.date()
        if self.parts and part_of_day(local_start.time()) not in self.parts:
            return False
        if self.weekdays and day.isoweekday() not in self.weekdays:
            return False
        if self.every_days > 1:
            origin = self.every_days_from or day
            gap = (day - origin).days
            if gap < 0 or gap % self.every_days:
                return False
        return True

    def words(self) -> str:
        """In plain words, for the care plan: "every visit", "morning visits on Mon, Thu"."""
        parts = [PART_WORDS[PartOfDay(p)] for p in PartOfDay if p in self.parts]
        said = " and ".join(parts) if parts else "every visit"
        if self.weekdays:
            names = ", ".join(
                dt.date(2024, 1, day).strftime("%a") for day in sorted(self.weekdays)
            )  # 1 January 2024 was a Monday: day n of that week is ISO weekday n
            said += f" on {names}"
        if self.every_days > 1:
            start = f" from {self.every_days_from:%-d %b %Y}" if self.every_days_from else ""
            said += f", every {self.every_days} days{start}"
        return said


@dataclass(frozen=True)
class PlannedIntervention:
    id: uuid.UUID
    label: str
    schedule: Schedule = field(default_factory=Schedule)


@dataclass(frozen=True)
class Task:
    key: str
    label: str
    intervention_id: uuid.UUID | None = None


def intervention_key(intervention_id: uuid.UUID) -> str:
    return f"{INTERVENTION_KEY}{intervention_id}"


def own_key(text: str) -> str:
    return f"{OWN_KEY}{text}"


def tasks_for_visit(
    *,
    local_start: dt.datetime,
    interventions: Iterable[PlannedIntervention],
    own_tasks: Sequence[str] = (),
) -> list[Task]:
    """The checklist of a visit starting at `local_start` (in the team's time zone), from the
    client's active interventions (in care plan order) and the visit's own tasks."""
    tasks = [
        Task(intervention_key(i.id), i.label, i.id)
        for i in interventions
        if i.schedule.includes(local_start)
    ]
    seen: set[str] = set()
    for text in own_tasks:
        if text.strip() and text not in seen:
            seen.add(text)
            tasks.append(Task(own_key(text), text))
    return tasks
