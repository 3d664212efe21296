"""Reads for one person's day, the team's offers and the team's figures."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from careteams import access, timeutil
from careteams.access import AnyUser
from careteams.models import Membership, Team
from careteams.selectors import team_for_member
from scheduling import access as scheduling_access
from scheduling import hooks, rules
from scheduling.models import (
    RotaNotice,
    Shift,
    SwapOffer,
    SwapStatus,
    Visit,
    VisitAssignment,
    VisitStatus,
)
from scheduling.rules.lateness import Timing, visit_timing
from scheduling.rules.plan import LANGUAGE_SKILLS
from scheduling.selectors.week import membership_in, team_for_reader
from scheduling.selectors.week_load import member_name, plan_of, week_rows


@dataclass
class MyDay:
    team: Team
    member: Membership
    day: dt.date
    visits: list[Visit]
    shifts: list[Shift]
    notices: list[RotaNotice]
    cursor: int
    late_ids: frozenset[uuid.UUID] = frozenset()
    # What the apps above the rota add (medicines: my missed doses, time-critical doses soon).
    parts: hooks.DayParts = field(default_factory=lambda: hooks.DayParts([]))
    now: dt.datetime | None = None

    @property
    def refresh_in(self) -> int | None:
        return self.parts.refresh_in(self.now) if self.now else None

    @property
    def next_visit(self) -> Visit | None:
        """The visit to do now: the first of the day not yet done, missed or cancelled."""
        open_ = (VisitStatus.PLANNED, VisitStatus.IN_PROGRESS)
        return next((v for v in self.visits if v.status in open_), None)

    @property
    def other_visits(self) -> list[Visit]:
        """The rest of the day, in order, below the next visit."""
        first = self.next_visit
        return [v for v in self.visits if v is not first]

    @property
    def previous(self) -> dt.date:
        return self.day - dt.timedelta(days=1)

    @property
    def next(self) -> dt.date:
        return self.day + dt.timedelta(days=1)

    @property
    def monday(self) -> dt.date:
        return timeutil.monday_of(self.day)


def my_day(*, user: AnyUser, team_id: uuid.UUID, day: dt.date | None = None) -> MyDay:
    team = team_for_member(user=user, team_id=team_id)
    member = membership_in(user=user, team=team)
    day = day or timeutil.local_today(team.zone)
    start, end = timeutil.day_bounds(team.zone, day)
    visits = list(
        scheduling_access.visits_visible_to(user)
        .filter(
            team=team, assignments__member=member, planned_start__gte=start, planned_start__lt=end
        )
        .select_related("client")
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.select_related("member__user"))
        )
        .order_by("planned_start")
    )
    shifts = list(
        scheduling_access.shifts_visible_to(user)
        .filter(member=member, start__lt=end, end__gt=start)
        .order_by("start")
    )
    notices = list(
        RotaNotice.objects.filter(member=member, seen_at__isnull=True).order_by("created_at")
    )
    now = timezone.now()
    late = frozenset(
        v.id
        for v in visits
        if v.status == VisitStatus.PLANNED
        and visit_timing(
            planned_start=v.planned_start,
            window_end=v.window_end,
            grace_minutes=team.late_grace_minutes,
            zone=team.zone,
            now=now,
            checked_in_at=None,
        )
        == Timing.LATE
    )
    # Missed and coming doses are today's business: other days (and the tablet's bundle of
    # the days ahead) ask the registered apps nothing.
    ask = hooks.DayAsk(
        user=user, team=team, start=start, end=end, now=now, visits=visits, member=member
    )
    parts = hooks.day_parts(ask) if start <= now < end else hooks.DayParts([])
    return MyDay(
        team,
        member,
        day,
        visits,
        shifts,
        notices,
        team.last_change_seq,
        late,
        parts,
        now,
    )


@dataclass
class Offers:
    team: Team
    me: Membership
    open: list[SwapOffer]
    recent: list[SwapOffer]
    cursor: int


def swap_offers(*, user: AnyUser, team_id: uuid.UUID) -> Offers:
    team = team_for_member(user=user, team_id=team_id)
    me = membership_in(user=user, team=team)
    offers = (
        SwapOffer.objects.filter(team=team)
        .select_related("offered_by__user", "taken_by__user", "shift", "visit__client")
        .order_by("-created_at")
    )
    open_offers = list(offers.filter(status=SwapStatus.OPEN))
    recent = list(offers.exclude(status=SwapStatus.OPEN)[:20])
    return Offers(team, me, open_offers, recent, team.last_change_seq)


# Figures -----------------------------------------------------------------------------------


@dataclass
class MemberFigures:
    name: str
    role: str
    contracted: float
    expected: float
    planned: float
    visits: int
    bank_holiday_hours: float

    @property
    def difference(self) -> float:
        return self.planned - self.expected


@dataclass
class ClientFigures:
    label: str
    visits: int
    carers: int
    primary_share: float | None  # None when the client has no primary nurse


@dataclass
class TeamFigures:
    team: Team
    monday: dt.date
    members: list[MemberFigures]
    clients: list[ClientFigures]
    visits: int
    unassigned: int
    holidays: dict[dt.date, str]
    identifies_clients: bool
    # Visits nobody checked in to by the end of their day, or recorded as missed (issue 13).
    missed: int = 0
    # Of those, the ones whose reason is recorded (the team's day asks for the others).
    missed_explained: int = 0
    # Lines the apps above the rota add (medicines: missed doses); no client identity.
    more: list[hooks.WeekFigure] = field(default_factory=list)
    # Visits with a carer to clients who prefer Cymraeg, and those with a Welsh speaker among
    # their carers (issue 30): numbers only, coaches too.
    language_visits: int = 0
    language_met: int = 0

    @property
    def language_share(self) -> float | None:
        return self.language_met / self.language_visits if self.language_visits else None

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def _bank_holiday_hours(
    team: Team, shifts: list[Shift], holidays: dict[dt.date, str]
) -> dict[uuid.UUID, float]:
    totals: dict[uuid.UUID, float] = defaultdict(float)
    for day in holidays:
        lo, hi = timeutil.day_bounds(team.zone, day)
        for shift in shifts:
            if shift.start < hi and shift.end > lo:
                totals[shift.member_id] += timeutil.hours_between(
                    max(shift.start, lo), min(shift.end, hi)
                )
    return totals


def missed_visits(
    *,
    user: AnyUser,
    team: Team,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
) -> int:
    """Missed visits between two instants, for the team and its coaches (no client identity
    is read: only times and status)."""
    rows = (
        Visit.objects.filter(
            team__in=access.teams_visible_to(user),
            team=team,
            planned_start__gte=start,
            planned_start__lt=end,
        )
        .exclude(status=VisitStatus.CANCELLED)
        .values("planned_start", "window_end", "checked_in_at", "status")
    )
    now = now or timezone.now()
    return sum(
        1
        for row in rows
        if row["status"] == VisitStatus.MISSED
        or (
            row["status"] == VisitStatus.PLANNED
            and visit_timing(
                planned_start=row["planned_start"],
                window_end=row["window_end"],
                grace_minutes=team.late_grace_minutes,
                zone=team.zone,
                now=now,
                checked_in_at=row["checked_in_at"],
            )
            == Timing.MISSED
        )
    )


def _language_met(
    visits: list[dict[str, Any]],
    carers: dict[uuid.UUID, set[uuid.UUID]],
    skills: dict[uuid.UUID, frozenset[str]],
) -> tuple[int, int]:
    """Of the visits with a carer to clients who prefer a language the planner knows, how many
    had a carer who speaks it."""
    counted = met = 0
    for visit in visits:
        skill = LANGUAGE_SKILLS.get(visit["client__language"])
        if skill is None or not carers[visit["id"]]:
            continue
        counted += 1
        met += any(skill in skills.get(m, frozenset()) for m in carers[visit["id"]])
    return counted, met


def team_figures(
    *, user: AnyUser, team_id: uuid.UUID, monday: dt.date, now: dt.datetime | None = None
) -> TeamFigures:
    """For the team and its coaches. Coaches never learn who a client is: clients are numbered."""
    team = team_for_reader(user=user, team_id=team_id)
    identifies = access.membership_of(user, team) is not None
    rows = week_rows(user=user, team=team, monday=monday)
    plan = plan_of(rows)
    start, end = rows.start, rows.end
    fields: tuple[str, ...] = (
        "id",
        "client_id",
        "client__primary_nurse_id",
        "status",
        "planned_start",
        "client__language",
    )
    base: QuerySet[Visit, Any]
    if identifies:
        base = scheduling_access.visits_visible_to(user).filter(team=team)
        fields += ("client__given_name", "client__family_name")
    else:
        # Client ids are used only to count carers per client; no identity leaves this function.
        base = scheduling_access.visits_for_coach(user).filter(team=team)
    week_visits = base.filter(planned_start__gte=start, planned_start__lt=end).exclude(
        status=VisitStatus.CANCELLED
    )
    visits = list(week_visits.order_by("planned_start").values(*fields))
    carers: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for row in VisitAssignment.objects.filter(visit__in=week_visits.values("id")).values(
        "visit_id", "member_id"
    ):
        carers[row["visit_id"]].add(row["member_id"])

    per_member: dict[uuid.UUID, int] = defaultdict(int)
    per_client: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for visit in visits:
        per_client[visit["client_id"]].append(visit)
        for member_id in carers[visit["id"]]:
            per_member[member_id] += 1

    planned = rules.planned_hours(plan)
    in_week = [s for s in rows.shifts if start <= s.start < end]
    holiday_hours = _bank_holiday_hours(team, in_week, rows.holidays)
    members = [
        MemberFigures(
            name=member_name(m),
            role=m.get_role_display(),
            contracted=float(m.contracted_hours),
            expected=rules.expected_hours(plan, plan.members[m.id]),
            planned=planned.get(m.id, 0.0),
            visits=per_member.get(m.id, 0),
            bank_holiday_hours=holiday_hours.get(m.id, 0.0),
        )
        for m in rows.members
    ]
    clients = []
    for number, client_visits in enumerate(per_client.values(), start=1):
        first = client_visits[0]
        label = (
            f"{first['client__given_name']} {first['client__family_name']}"
            if identifies
            else gettext("Client %(number)s") % {"number": number}
        )
        primary = first["client__primary_nurse_id"]
        seen_by = set().union(*(carers[v["id"]] for v in client_visits))
        share = (
            sum(1 for v in client_visits if primary in carers[v["id"]]) / len(client_visits)
            if primary
            else None
        )
        clients.append(ClientFigures(label, len(client_visits), len(seen_by), share))
    clients.sort(key=lambda c: (-c.carers, c.label))
    skills = {m.id: frozenset(m.skills or []) for m in rows.members}
    language_visits, language_met = _language_met(visits, carers, skills)
    return TeamFigures(
        language_visits=language_visits,
        language_met=language_met,
        more=hooks.week_figures(team, start, end, now or timezone.now()),
        missed=missed_visits(user=user, team=team, start=start, end=end, now=now),
        team=team,
        monday=monday,
        members=members,
        clients=clients,
        visits=len(visits),
        unassigned=sum(1 for v in visits if not carers[v["id"]]),
        missed_explained=sum(1 for v in visits if v["status"] == VisitStatus.MISSED),
        holidays=rows.holidays,
        identifies_clients=identifies,
    )
