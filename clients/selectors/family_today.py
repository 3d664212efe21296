"""Today's visits as the family sees them happen: on the way, arrived, done (with the carers'
first names), or late with what the team does about it. Never notes, tasks or access notes."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from careteams import access, timeutil
from careteams.access import AnyUser
from clients.models import Client
from scheduling import windows
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.rules.lateness import Timing, visit_timing


@dataclass(frozen=True)
class PlainToday:
    arrival: str
    state: str  # planned, on_the_way, arrived, done, late, missed
    words: str


def _names(names: list[str]) -> str:
    return " and ".join(names) if names else "the carer"


def _on_the_way(visit: Visit, earlier: dict[object, list[Visit]]) -> bool:
    """The carers' visit before this one today is finished: they are heading here."""
    members = [a.member_id for a in visit.assignments.all()]
    if not members:
        return False
    for member in members:
        before = [v for v in earlier.get(member, []) if v.planned_start < visit.planned_start]
        if not before or before[-1].status != VisitStatus.DONE:
            return False
    return True


def family_today(
    *, user: AnyUser, client: Client, now: dt.datetime | None = None
) -> list[PlainToday]:
    team = client.team
    now = now or timezone.now()
    start, end = timeutil.day_bounds(team.zone, timeutil.local_today(team.zone, now=now))
    visits = list(
        access.visits_for_family_between(user, start=start, end=end)
        .filter(client=client)
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.select_related("member__user"))
        )
        .order_by("planned_start")
    )
    members = {a.member_id for v in visits for a in v.assignments.all()}
    # Only when and whether the carers' other visits today are done: nothing else leaves here.
    earlier: dict[object, list[Visit]] = {}
    for assignment in (
        VisitAssignment.objects.filter(
            member_id__in=members,
            visit__team=team,
            visit__planned_start__gte=start,
            visit__planned_start__lt=end,
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .select_related("visit")
        .only("member_id", "visit__planned_start", "visit__status")
        .order_by("visit__planned_start")
    ):
        earlier.setdefault(assignment.member_id, []).append(assignment.visit)
    result = []
    for visit in visits:
        names = [a.member.user.first_name for a in visit.assignments.all()]
        who = _names(names)
        arrival = windows.arrival_text(
            start=visit.planned_start,
            window_start=visit.window_start,
            window_end=visit.window_end,
            zone=team.zone,
        )
        timing = visit_timing(
            planned_start=visit.planned_start,
            window_end=visit.window_end,
            grace_minutes=team.late_grace_minutes,
            zone=team.zone,
            now=now,
            checked_in_at=visit.checked_in_at,
        )
        if visit.status == VisitStatus.DONE and visit.checked_out_at:
            left = visit.checked_out_at.astimezone(team.zone)
            state, words = "done", f"Done: {who} left at {left:%H:%M}."
        elif visit.status == VisitStatus.IN_PROGRESS and visit.checked_in_at:
            came = visit.checked_in_at.astimezone(team.zone)
            state, words = "arrived", f"{who} arrived at {came:%H:%M}."
        elif visit.status == VisitStatus.MISSED or timing == Timing.MISSED:
            state, words = "missed", "This visit did not happen. The team will be in touch."
        elif timing == Timing.LATE:
            state = "late"
            words = (
                f"Running late. The team’s screen shows this visit as late and the team is "
                f"checking with {who}."
            )
        elif not names:
            state, words = "planned", "The team is arranging who comes."
        elif _on_the_way(visit, earlier):
            state, words = "on_the_way", f"{who} is on the way."
        else:
            state, words = "planned", f"{who} is coming."
        result.append(PlainToday(arrival=arrival, state=state, words=words))
    return result
