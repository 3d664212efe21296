"""The rows behind the team's figures over time, loaded in a fixed number of queries for any
number of teams and weeks (a coach's home shows all their teams at once); the figures
themselves are worked out by teamwork.figures, in memory."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from careteams import access, timeutil
from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients.models import OutcomeRating
from scheduling.models import Absence, Shift, Visit, VisitAssignment
from scheduling.visit_models import MissedVisit, VisitAttendance
from teamwork import figures
from teamwork.figures import AbsenceRow, MemberRow, PeriodFigures, RatingRow, ShiftRow, VisitRow

Scale = Literal["week", "month"]
SCALES: tuple[Scale, ...] = ("week", "month")
COUNTS: dict[Scale, int] = {"week": 8, "month": 6}


@dataclass(frozen=True)
class TeamTrend:
    team: Team
    scale: Scale
    rows: list[PeriodFigures]

    @property
    def grace_minutes(self) -> int:
        """How long after its latest start a visit not checked in counts as late."""
        return self.team.late_grace_minutes


def _periods(team: Team, scale: Scale, today: dt.date) -> list[figures.Period]:
    if scale == "week":
        return figures.weeks_to(timeutil.monday_of(today), COUNTS["week"], team.zone)
    return figures.months_to(today.replace(day=1), COUNTS["month"], team.zone)


@dataclass(frozen=True)
class TeamRows:
    """The plain rows behind the figures, per team id (teamwork.figures works them out)."""

    members: dict[uuid.UUID, list[MemberRow]]
    shifts: dict[uuid.UUID, list[ShiftRow]]
    absences: dict[uuid.UUID, list[AbsenceRow]]
    visits: dict[uuid.UUID, list[VisitRow]]
    ratings: dict[uuid.UUID, list[RatingRow]]


def team_rows(ids: Sequence[uuid.UUID], *, start: dt.datetime, end: dt.datetime) -> TeamRows:
    """Six queries for any number of teams, over [start, end) (ratings by their local day):
    the callers have scoped the teams already. The commissioners' figures (sharing) read the
    same rows over the months they ask for."""
    # Ratings are dated: the days of [start, end), both local midnights of the teams' zones.
    first_day, last_day = start.date(), end.date()

    members: dict[uuid.UUID, list[MemberRow]] = defaultdict(list)
    for row in (
        Membership.objects.active()
        .filter(team_id__in=ids)
        .values("id", "team_id", "contracted_hours")
    ):
        members[row["team_id"]].append(MemberRow(str(row["id"]), float(row["contracted_hours"])))
    shifts: dict[uuid.UUID, list[ShiftRow]] = defaultdict(list)
    for sh in Shift.objects.filter(team_id__in=ids, start__gte=start, start__lt=end).values(
        "team_id", "member_id", "start", "end", "break_minutes"
    ):
        shifts[sh["team_id"]].append(
            ShiftRow(str(sh["member_id"]), sh["start"], sh["end"], sh["break_minutes"])
        )
    absences: dict[uuid.UUID, list[AbsenceRow]] = defaultdict(list)
    for ab in Absence.objects.filter(
        team_id__in=ids, kind=figures.SICKNESS, start__lt=end, end__gt=start
    ).values("team_id", "member_id", "kind", "start", "end"):
        absences[ab["team_id"]].append(
            AbsenceRow(str(ab["member_id"]), ab["kind"], ab["start"], ab["end"])
        )
    live = VisitAttendance.objects.filter(visit=OuterRef("pk"), withdrawn_at__isnull=True)
    visit_rows = list(
        Visit.objects.filter(team_id__in=ids, planned_start__gte=start, planned_start__lt=end)
        .annotate(
            # Late is judged from the first live check-in (withdrawn ones do not count); a
            # visit checked in before attendances were recorded keeps its own time.
            first_in=Subquery(live.order_by("checked_in_at").values("checked_in_at")[:1]),
            attended=Exists(VisitAttendance.objects.filter(visit=OuterRef("pk"))),
            missed_recorded=Exists(MissedVisit.objects.filter(visit=OuterRef("pk"))),
        )
        .values(
            "id",
            "team_id",
            "client_id",
            "planned_start",
            "planned_end",
            "status",
            "window_end",
            "checked_in_at",
            "checked_out_at",
            "first_in",
            "attended",
            "missed_recorded",
        )
    )
    carers: dict[uuid.UUID, list[str]] = defaultdict(list)
    for va in VisitAssignment.objects.filter(
        visit__team_id__in=ids, visit__planned_start__gte=start, visit__planned_start__lt=end
    ).values("visit_id", "member_id"):
        carers[va["visit_id"]].append(str(va["member_id"]))
    visits: dict[uuid.UUID, list[VisitRow]] = defaultdict(list)
    for v in visit_rows:
        visits[v["team_id"]].append(
            VisitRow(
                id=str(v["id"]),
                client_id=str(v["client_id"]),
                planned_start=v["planned_start"],
                planned_end=v["planned_end"],
                status=v["status"],
                carers=tuple(carers[v["id"]]),
                window_end=v["window_end"],
                checked_in_at=v["first_in"] if v["attended"] else v["checked_in_at"],
                checked_out_at=v["checked_out_at"],
                missed_recorded=v["missed_recorded"],
            )
        )
    ratings: dict[uuid.UUID, list[RatingRow]] = defaultdict(list)
    # Numbers only: which problem, when, and the three scores. No client, no problem name.
    for r in OutcomeRating.objects.filter(
        problem__client__team_id__in=ids, rated_on__gte=first_day, rated_on__lt=last_day
    ).values(
        "problem_id", "problem__client__team_id", "rated_on", "knowledge", "behaviour", "status"
    ):
        ratings[r["problem__client__team_id"]].append(
            RatingRow(
                str(r["problem_id"]), r["rated_on"], r["knowledge"], r["behaviour"], r["status"]
            )
        )
    return TeamRows(members, shifts, absences, visits, ratings)


def trends_for(
    teams: Sequence[Team], *, scale: Scale, now: dt.datetime | None = None
) -> list[TeamTrend]:
    """Each team's figures period by period, oldest first. Six queries for any number of
    teams: the callers have already scoped `teams` to what the user may read."""
    now = now or timezone.now()
    if not teams:
        return []
    periods = {
        team.pk: _periods(team, scale, timeutil.local_today(team.zone, now=now)) for team in teams
    }
    start = min(p[0].start for p in periods.values())
    end = max(p[-1].end for p in periods.values())
    loaded = team_rows([team.pk for team in teams], start=start, end=end)
    result = []
    for team in teams:
        rows = figures.trend(
            periods[team.pk],
            zone=team.zone,
            members=loaded.members[team.pk],
            shifts=loaded.shifts[team.pk],
            absences=loaded.absences[team.pk],
            visits=loaded.visits[team.pk],
            ratings=loaded.ratings[team.pk],
            continuity_limit=team.continuity_limit,
            now=now,
            grace_minutes=team.late_grace_minutes,
        )
        result.append(TeamTrend(team, scale, rows))
    return result


def team_trend(
    *, user: AnyUser, team_id: uuid.UUID, scale: Scale, now: dt.datetime | None = None
) -> TeamTrend:
    """One team's figures over time: for its members and its coaches (no client identity)."""
    team = access.get_visible(access.teams_visible_to(user), team_id)
    return trends_for([team], scale=scale, now=now)[0]


def coached_trends(*, user: AnyUser, now: dt.datetime | None = None) -> list[TeamTrend]:
    """The coach's teams, each with its weekly figures."""
    teams = list(access.coached_teams(user).order_by("name"))
    return trends_for(teams, scale="week", now=now)
