"""Today's visits as the family sees them (issue 13): arrived, done, late or missed, with the
carers' first names and how to reach the team. Nothing else leaves: no access notes, no tasks,
no emergency contacts, no times of check-in beyond "arrived"."""

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone

from careteams import timeutil
from careteams.access import AnyUser
from clients.selectors.family import family_client_get
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.rules.lateness import Timing, visit_timing
from scheduling.visit_models import VisitAttendance


class FamilyVisitState:
    EXPECTED = "expected"
    ARRIVED = "arrived"
    DONE = "done"
    LATE = "late"
    MISSED = "missed"


STATE_WORDS = {
    FamilyVisitState.EXPECTED: "Expected",
    FamilyVisitState.ARRIVED: "Arrived",
    FamilyVisitState.DONE: "Done",
    FamilyVisitState.LATE: "Running late: the team knows and will call if it cannot come",
    FamilyVisitState.MISSED: "Did not happen: the team will be in touch",
}


@dataclass(frozen=True)
class FamilyVisitToday:
    id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    state: str
    words: str
    carers: list[str]  # first names: those who arrived, else those planned


@dataclass(frozen=True)
class FamilyDay:
    client_id: uuid.UUID
    day: dt.date
    visits: list[FamilyVisitToday]
    team_phone: str
    team_phone_hours: str
    cursor: int


def _state(visit: Visit, now: dt.datetime, grace: int, zone: ZoneInfo) -> str:
    if visit.status == VisitStatus.DONE:
        return FamilyVisitState.DONE
    if visit.status == VisitStatus.IN_PROGRESS:
        return FamilyVisitState.ARRIVED
    if visit.status == VisitStatus.MISSED:
        return FamilyVisitState.MISSED
    timing = visit_timing(
        planned_start=visit.planned_start,
        window_end=visit.window_end,
        grace_minutes=grace,
        zone=zone,
        now=now,
        checked_in_at=visit.checked_in_at,
    )
    return {Timing.LATE: FamilyVisitState.LATE, Timing.MISSED: FamilyVisitState.MISSED}.get(
        timing, FamilyVisitState.EXPECTED
    )


def family_day(
    *,
    user: AnyUser,
    client_id: uuid.UUID,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FamilyDay:
    """For the client and their family (anyone else: NotFound). In a fixed number of queries."""
    client = family_client_get(user=user, client_id=client_id)
    team = client.team
    day = day or timeutil.local_today(team.zone)
    start, end = timeutil.day_bounds(team.zone, day)
    now = now or timezone.now()
    visits = (
        Visit.objects.filter(client=client, planned_start__gte=start, planned_start__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .prefetch_related(
            Prefetch(
                "assignments", queryset=VisitAssignment.objects.select_related("member__user")
            ),
            Prefetch(
                "attendances",
                queryset=VisitAttendance.objects.filter(withdrawn_at__isnull=True).select_related(
                    "member__user"
                ),
            ),
        )
        .order_by("planned_start")
    )
    shown = []
    for visit in visits:
        state = _state(visit, now, team.late_grace_minutes, team.zone)
        arrived = [a.member.user.first_name for a in visit.attendances.all()]
        planned = [a.member.user.first_name for a in visit.assignments.all()]
        shown.append(
            FamilyVisitToday(
                id=visit.id,
                start=visit.planned_start,
                end=visit.planned_end,
                window_start=visit.window_start,
                window_end=visit.window_end,
                state=state,
                words=STATE_WORDS[state],
                carers=arrived or planned,
            )
        )
    return FamilyDay(client.id, day, shown, team.phone, team.phone_hours, team.last_change_seq)
