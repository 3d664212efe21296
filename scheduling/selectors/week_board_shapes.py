"""What the week board shows: days, members' shifts, the visit rows of the shown day."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext

from careteams import timeutil
from careteams.models import Membership, Team
from scheduling import rules
from scheduling.models import (
    Absence,
    PlanRun,
    RotaNotice,
    RotaStatus,
    RotaWeek,
    Shift,
    Visit,
)


def open_proposal_count(run: PlanRun | None) -> int:
    if run is None or run.active:
        return 0
    return sum(1 for item in run.proposals if item["state"] == "open")


@dataclass
class Day:
    date: dt.date
    holiday: str | None
    is_today: bool


@dataclass
class Cell:
    """One member's day in the week's overview: shifts and absences, the hours on shift and of
    visits planned, and the problems of that day about them (errors; warnings)."""

    day: Day
    shifts: list[Shift] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    visit_hours: float = 0.0
    errors: int = 0
    warnings: int = 0

    @property
    def shift_hours(self) -> float:
        """Hours on shift that day, breaks left out."""
        seconds = sum((s.end - s.start).total_seconds() - s.break_minutes * 60 for s in self.shifts)
        return seconds / 3600


@dataclass
class MemberRow:
    member: Membership
    name: str
    cells: list[Cell]
    planned_hours: float
    expected_hours: float
    problem_count: int
    contracted_hours: float = 0.0
    week_errors: int = 0  # the week's problems about them that belong to no one day
    week_warnings: int = 0

    @property
    def over_contract(self) -> bool:
        return self.planned_hours > self.contracted_hours > 0


@dataclass(frozen=True)
class TravelIn:
    """A carer's journey from their previous visit of the day to this one."""

    name: str
    minutes: int
    short_by: int  # minutes the gap between the visits is shorter than the journey (0: enough)
    member_id: uuid.UUID | None = None  # whose journey (the rota grid draws it in their row)


@dataclass
class VisitRow:
    visit: Visit
    carers: list[Membership | None]
    open_places: int
    problem_level: str | None
    # From the latest "Suggest carers" run, while a person has not yet decided.
    proposal: "Suggestion | None" = None
    blocked: "Blocked | None" = None
    # Each assigned carer's journey here from their previous visit (none for the first).
    travel: list[TravelIn] = field(default_factory=list)
    # Shown several times in the row: made once here, not looked up and filtered each time.
    client_name: str = ""
    start_text: str = ""  # HH:MM in the team's time zone
    end_text: str = ""

    @property
    def needs_carer(self) -> bool:
        return bool(self.open_places)


@dataclass
class VisitDay:
    day: Day
    visits: list[VisitRow]
    # For a day whose visits were counted, not loaded (the board shows one day): visits, and
    # of those needing a carer.
    tally: tuple[int, int] | None = None

    @property
    def count(self) -> int:
        return len(self.visits) if self.tally is None else self.tally[0]

    @property
    def unassigned(self) -> int:
        if self.tally is not None:
            return self.tally[1]
        return sum(1 for row in self.visits if row.open_places and row.visit.status != "cancelled")


@dataclass(frozen=True)
class Suggestion:
    """A planner's proposal for one visit, as stored on its run, with the names to show."""

    visit_id: uuid.UUID
    names: tuple[str, ...]
    reasons: tuple[str, ...]
    state: str  # open | accepted | refused | dismissed
    note: str
    moved_to: str = ""  # its new start and end when the planner moves the visit in its window

    @property
    def names_text(self) -> str:
        """The names in one phrase, in the reader's language ("Aoife and Bryn")."""
        *others, last = self.names or ("",)
        if not others:
            return last
        return gettext("%(names)s and %(last)s") % {"names": ", ".join(others), "last": last}


@dataclass(frozen=True)
class Blocked:
    visit_id: uuid.UUID
    rule: str
    reason: str


# A day's list of problems stops here: a day of a big team's first draft can have hundreds.
LISTED_PROBLEMS = 20


@dataclass
class WeekBoard:
    team: Team
    monday: dt.date
    days: list[Day]
    rows: list[MemberRow]
    visit_days: list[VisitDay]
    problems: list[rules.Problem]
    rota_week: RotaWeek | None
    notices: list[RotaNotice]
    open_offers: int
    cursor: int
    # The day whose visits the board shows (today when in the week), and the filter.
    day: Day
    need_only: bool = False
    plan_run: PlanRun | None = None
    blocked: list[tuple[Blocked, Visit]] = field(default_factory=list)

    @property
    def shown(self) -> VisitDay:
        return next(vd for vd in self.visit_days if vd.day.date == self.day.date)

    @property
    def shown_rows(self) -> list[VisitRow]:
        rows = self.shown.visits
        return [r for r in rows if r.needs_carer] if self.need_only else rows

    @property
    def needing(self) -> int:
        return sum(vd.unassigned for vd in self.visit_days)

    @property
    def open_proposals(self) -> int:
        return open_proposal_count(self.plan_run)

    @property
    def day_problems(self) -> list[rules.Problem]:
        """The problems of the day shown, and those of the week as a whole (hours, rest)."""
        start, end = timeutil.day_bounds(self.team.zone, self.day.date)
        on_day = {r.visit.id for r in self.shown.visits}
        return [
            p
            for p in self.problems
            if (p.visit_ids and on_day.intersection(p.visit_ids))
            or (not p.visit_ids and (p.at is None or start <= p.at < end))
        ]

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def published(self) -> bool:
        return self.rota_week is not None and self.rota_week.status == RotaStatus.PUBLISHED

    @property
    def problem_groups(self) -> list[tuple[str, list[rules.Problem], str, int, int]]:
        """Per level: its title, the day's problems (the first LISTED_PROBLEMS: the rest are
        marked on their visits, and all are on the publish summary), the level, the week's
        count and the day's."""
        titles = {
            rules.Level.ERROR: gettext("Errors"),
            rules.Level.WORKING_TIME: gettext("Working time warnings"),
            rules.Level.PLANNING: gettext("Planning warnings"),
        }
        shown = self.day_problems
        return [
            (
                title,
                [p for p in shown if p.level == level][:LISTED_PROBLEMS],
                level.value,
                sum(1 for p in self.problems if p.level == level),
                sum(1 for p in shown if p.level == level),
            )
            for level, title in titles.items()
        ]
