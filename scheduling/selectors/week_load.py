"""A team's week as rows from the database, and as the rules' plain data.

Two doors to the same rows: `week_rows` for a reader (through the scoped querysets), and
`team_week_rows` for keeping the week's rule results current after a write, which has no reader
to scope by. The rules' results are the same for every member of the team (the cache keeps one
copy for all of them), so both give the rules the same plan; the orders are total (ties broken
by id) so that they give it in the same order too.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import override

from careteams import timeutil
from careteams.access import AnyUser
from careteams.models import Membership, Team
from careteams.selectors import team_members
from careteams.skills import Skill
from scheduling import access as scheduling_access
from scheduling import rules
from scheduling.bank_holidays import bank_holidays_between
from scheduling.models import Absence, AbsenceKind, Shift, Visit, VisitAssignment
from scheduling.selectors import working_time as working_time_rows


def member_name(member: Membership) -> str:
    return member.user.get_full_name() or member.user.email


@dataclass(frozen=True)
class WeekRows:
    """The rows of one team's week as loaded from the database, ready for the rules."""

    team: Team
    monday: dt.date
    start: dt.datetime
    end: dt.datetime
    members: list[Membership]
    shifts: list[Shift]  # from the day before the week to the day after: the rest rules need them
    absences: list[Absence]
    visits: list[Visit]  # the week's, cancelled ones included, with client and assignments
    holidays: dict[dt.date, str]
    # Minutes between clients visited one after the other, and the 16 weeks before (the rules
    # count travel as working time and average the 48 hours over 17 weeks).
    travel: dict[tuple[uuid.UUID, uuid.UUID], int] = field(default_factory=dict)
    worked_before: dict[uuid.UUID, rules.WorkedBefore] = field(default_factory=dict)

    @property
    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=n) for n in range(7)]


@dataclass(frozen=True)
class Sources:
    """Where the week's rows are read from: a reader's scoped querysets, or the team's own."""

    members: QuerySet[Membership]
    shifts: QuerySet[Shift]
    absences: QuerySet[Absence]
    visits: QuerySet[Visit]


def week_rows(
    *,
    user: AnyUser,
    team: Team,
    monday: dt.date,
    working_time: bool = True,
    visits_on: dt.date | None = None,
) -> WeekRows:
    """The week's rows; with `working_time`, also the travel between its visits and the 16
    weeks before (the rules need them, the board does not when their results are cached);
    with `visits_on`, the visits of that day only."""
    sources = Sources(
        members=team_members(user=user, team=team),
        shifts=scheduling_access.shifts_visible_to(user),
        absences=scheduling_access.absences_visible_to(user),
        visits=scheduling_access.visits_visible_to(user),
    )
    return _rows(sources, team=team, monday=monday, working_time=working_time, visits_on=visits_on)


def team_members_unscoped(team: Team) -> QuerySet[Membership]:
    """The team's current members in `team_members`' order: for keeping the team's results."""
    return (
        Membership.objects.active()
        .filter(team=team)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


def team_week_rows(*, team: Team, monday: dt.date) -> WeekRows:
    """The week's rows as every member of the team reads them, with no reader: for keeping the
    week's rule results current after a write (scheduling/selectors/week_refresh.py)."""
    sources = Sources(
        members=team_members_unscoped(team),
        shifts=Shift.objects.all(),
        absences=Absence.objects.all(),
        visits=Visit.objects.all(),
    )
    return _rows(sources, team=team, monday=monday, working_time=True, visits_on=None)


def visits_loaded(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits as the rules read them: with their client and carers, in the week's order."""
    return (
        visits.select_related("client")
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.order_by("assigned_at", "id"))
        )
        .order_by("planned_start", "client__family_name", "id")
    )


def _rows(
    sources: Sources,
    *,
    team: Team,
    monday: dt.date,
    working_time: bool,
    visits_on: dt.date | None,
) -> WeekRows:
    start, end = timeutil.week_bounds(team.zone, monday)
    first, last = timeutil.day_bounds(team.zone, visits_on) if visits_on else (start, end)
    around_start, around_end = start - dt.timedelta(days=1), end + dt.timedelta(days=1)
    members = list(sources.members)
    shifts = list(
        sources.shifts.filter(team=team, start__lt=around_end, end__gt=around_start).order_by(
            "start", "id"
        )
    )
    absences = list(
        sources.absences.filter(team=team, start__lt=end, end__gt=start).order_by("start", "id")
    )
    visits = list(
        visits_loaded(
            sources.visits.filter(team=team, planned_start__gte=first, planned_start__lt=last)
        )
    )
    holidays = bank_holidays_between(
        country=team.holiday_country,
        subdivision=team.holiday_subdivision,
        first=monday,
        last=monday + dt.timedelta(days=6),
    )
    return WeekRows(
        team,
        monday,
        start,
        end,
        members,
        shifts,
        absences,
        visits,
        holidays,
        travel=working_time_rows.week_travel(team=team, visits=visits) if working_time else {},
        worked_before=(
            working_time_rows.worked_before(team=team, monday=monday) if working_time else {}
        ),
    )


def _english(label: str | Promise) -> str:
    with override("en"):
        return str(label)


def rule_members(members: list[Membership]) -> dict[uuid.UUID, rules.Member]:
    return {
        m.id: rules.Member(
            m.id, member_name(m), frozenset(m.skills or []), float(m.contracted_hours), m.role
        )
        for m in members
    }


def rule_shift(shift: Shift) -> rules.Shift:
    return rules.Shift(shift.id, shift.member_id, shift.start, shift.end, shift.break_minutes)


def rule_absence(absence: Absence) -> rules.Absence:
    return rules.Absence(absence.id, absence.member_id, absence.kind, absence.start, absence.end)


def plan_of(rows: WeekRows) -> rules.Plan:
    """The week as the rules' plain data."""
    return rules.Plan(
        zone=rows.team.zone,
        week_start=rows.start,
        week_end=rows.end,
        members=rule_members(rows.members),
        shifts=[rule_shift(s) for s in rows.shifts],
        absences=[rule_absence(a) for a in rows.absences],
        visits=working_time_rows.rules_visits(rows.visits),
        continuity_limit=rows.team.continuity_limit,
        # In English whatever the reader's language: the problems are cached for every reader,
        # and each label is translated where it is shown (scheduling/words.py).
        absence_labels={kind.value: _english(kind.label) for kind in AbsenceKind},
        skill_labels={skill.value: _english(skill.label) for skill in Skill},
        travel=rows.travel,
        worked_before=rows.worked_before,
    )
