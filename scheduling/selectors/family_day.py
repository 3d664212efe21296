"""Today's visits as the family sees them (issue 13): expected, on the way, arrived, done, late
or missed, with the carers' first names, what the team is doing about a late or missed visit
when there is something true to say, and how to reach the team. Nothing else leaves: no access
notes, no tasks or their notes, no emergency contacts, no other client's visits, no times of
check-in beyond "arrived"."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from careteams import access, timeutil
from careteams.access import AnyUser
from careteams.models import Team
from clients import access as clients_access
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.rules.lateness import Timing, due_at, visit_timing
from scheduling.visit_models import MissedVisit, VisitAttendance
from scheduling.words import names_joined


class FamilyVisitState:
    EXPECTED = "expected"
    ON_THE_WAY = "on_the_way"
    ARRIVED = "arrived"
    DONE = "done"
    LATE = "late"
    MISSED = "missed"


STATE_WORDS = {
    FamilyVisitState.EXPECTED: gettext_lazy("Expected"),
    FamilyVisitState.ON_THE_WAY: gettext_lazy("On the way"),
    FamilyVisitState.ARRIVED: gettext_lazy("Arrived"),
    FamilyVisitState.DONE: gettext_lazy("Done"),
    FamilyVisitState.LATE: gettext_lazy("Running late"),
    FamilyVisitState.MISSED: gettext_lazy("Did not happen"),
}

# Said only when the records show it (see _team_action): the team's today page shows every late
# visit, but whether anyone has looked is not recorded, so a bare late visit claims nothing.
COVER_ARRANGED = gettext_noop("The team knows and is arranging cover.")
MISSED_RECORDED = gettext_noop("The team knows this visit did not happen and has recorded why.")


# A carer heading to a visit that is already late is still worth telling.
HEADING_STATES = (FamilyVisitState.ON_THE_WAY, FamilyVisitState.LATE)


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
    on_the_way: list[str]  # first names of planned carers heading here now (late visits too)
    team_action: str  # what the team is doing, when recorded; else ""


@dataclass(frozen=True)
class FamilyDay:
    client_id: uuid.UUID
    day: dt.date
    visits: list[FamilyVisitToday]
    team_phone: str
    team_phone_hours: str
    cursor: int
    team_name: str = ""


def _headings(
    members: set[uuid.UUID], team: Team, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[uuid.UUID, uuid.UUID]:
    """Where each carer is heading (member id -> visit id): their first visit of the day, not
    yet checked in, planned after the one they last checked out of. At most two queries for all
    the carers; their other visits (any client's) are read for times only and never leave."""
    if not members:
        return {}
    attendances = VisitAttendance.objects.filter(
        member_id__in=members,
        withdrawn_at__isnull=True,
        visit__team=team,
        checked_in_at__gte=start,
        checked_in_at__lt=end,
        checked_in_at__lte=now,
    ).values_list("member_id", "visit_id", "visit__planned_start", "checked_out_at")
    last: dict[uuid.UUID, tuple[dt.datetime, dt.datetime | None]] = {}
    attended: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for member_id, visit_id, planned_start, checked_out_at in attendances.order_by("checked_in_at"):
        last[member_id] = (planned_start, checked_out_at)
        attended[member_id].add(visit_id)
    # Only carers whose latest attendance today is over (and over by now) are on their way.
    free = {
        member: planned for member, (planned, out) in last.items() if out is not None and out <= now
    }
    if not free:
        return {}
    assignments = (
        VisitAssignment.objects.filter(
            member_id__in=free,
            visit__team=team,
            visit__planned_start__gte=start,
            visit__planned_start__lt=end,
            visit__status=VisitStatus.PLANNED,
        )
        .order_by("visit__planned_start")
        .values_list("member_id", "visit_id", "visit__planned_start")
    )
    heading: dict[uuid.UUID, uuid.UUID] = {}
    for member_id, visit_id, planned_start in assignments:
        if member_id in heading or visit_id in attended[member_id]:
            continue
        if planned_start >= free[member_id]:
            heading[member_id] = visit_id
    return heading


def _timing(visit: Visit, now: dt.datetime, team: Team, zone: ZoneInfo) -> Timing:
    return visit_timing(
        planned_start=visit.planned_start,
        window_end=visit.window_end,
        grace_minutes=team.late_grace_minutes,
        zone=zone,
        now=now,
        checked_in_at=visit.checked_in_at,
    )


def _state(visit: Visit, timing: Timing, on_the_way: list[str]) -> str:
    if visit.status == VisitStatus.DONE:
        return FamilyVisitState.DONE
    if visit.status == VisitStatus.IN_PROGRESS:
        return FamilyVisitState.ARRIVED
    if visit.status == VisitStatus.MISSED or timing == Timing.MISSED:
        return FamilyVisitState.MISSED
    if timing == Timing.LATE:
        return FamilyVisitState.LATE
    return FamilyVisitState.ON_THE_WAY if on_the_way else FamilyVisitState.EXPECTED


def _team_action(visit: Visit, state: str, team: Team) -> str:
    """Only what the records show: a reason recorded for a missed visit, or a carer put on a
    late visit after it fell due (the team arranged cover). Otherwise nothing is claimed."""
    if state == FamilyVisitState.MISSED and visit.missed_reasons.all():
        return _(MISSED_RECORDED)
    if state == FamilyVisitState.LATE:
        due = due_at(
            planned_start=visit.planned_start,
            window_end=visit.window_end,
            grace_minutes=team.late_grace_minutes,
        )
        if any(a.assigned_at > due for a in visit.assignments.all()):
            return _(COVER_ARRANGED)
    return ""


def _words(state: str, on_the_way: list[str]) -> str:
    if state == FamilyVisitState.LATE and on_the_way:
        return ngettext(
            "Running late: %(names)s is on the way",
            "Running late: %(names)s are on the way",
            len(on_the_way),
        ) % {"names": names_joined(on_the_way)}
    return str(STATE_WORDS[state])


def family_day(
    *,
    user: AnyUser,
    client_id: uuid.UUID,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FamilyDay:
    """For the client and their family (anyone else: NotFound). In a fixed number of queries,
    whatever the number of visits and carers."""
    client = access.get_visible(
        clients_access.clients_in_family_view(user).select_related("team"), client_id
    )
    team = client.team
    day = day or timeutil.local_today(team.zone)
    start, end = timeutil.day_bounds(team.zone, day)
    now = now or timezone.now()
    visits = list(
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
            Prefetch("missed_reasons", queryset=MissedVisit.objects.only("id", "visit_id")),
        )
        .order_by("planned_start")
    )
    members = {a.member_id for v in visits for a in v.assignments.all()}
    heading = _headings(members, team, start, end, now)
    shown = []
    for visit in visits:
        arrived = [a.member.user.first_name for a in visit.attendances.all()]
        planned = [a.member.user.first_name for a in visit.assignments.all()]
        coming = [
            a.member.user.first_name
            for a in visit.assignments.all()
            if heading.get(a.member_id) == visit.id
        ]
        state = _state(visit, _timing(visit, now, team, team.zone), coming)
        shown.append(
            FamilyVisitToday(
                id=visit.id,
                start=visit.planned_start,
                end=visit.planned_end,
                window_start=visit.window_start,
                window_end=visit.window_end,
                state=state,
                words=_words(state, coming),
                carers=arrived or planned,
                on_the_way=coming if state in HEADING_STATES else [],
                team_action=_team_action(visit, state, team),
            )
        )
    return FamilyDay(
        client.id,
        day,
        shown,
        team.phone,
        team.phone_hours,
        team.last_change_seq,
        team_name=team.name,
    )
