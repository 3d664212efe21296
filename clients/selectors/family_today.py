"""The family page's "Today": the domain's family day (clients/selectors/family_day.py: arrived,
done, late or missed) in the words of the page, with the arrival window the page and the PDF
share, and "on the way" when the carers have finished their visit before this one. Never notes,
tasks or access notes."""

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from careteams import timeutil
from careteams.access import AnyUser
from clients.selectors.family import FamilyView
from clients.selectors.family_day import FamilyVisitState, FamilyVisitToday, family_day
from scheduling import windows
from scheduling.models import Visit, VisitAssignment, VisitStatus


@dataclass(frozen=True)
class PlainToday:
    arrival: str
    state: str  # expected, on_the_way, arrived, done, late, missed
    words: str


@dataclass(frozen=True)
class FamilyToday:
    visits: list[PlainToday]
    team_phone: str
    team_phone_hours: str


def _names(names: list[str]) -> str:
    return " and ".join(names) if names else "the carer"


def _carers_before(
    team_id: uuid.UUID, visit_ids: list[uuid.UUID], start: dt.datetime, end: dt.datetime
) -> dict[uuid.UUID, list[Visit]]:
    """For each of today's visits, the same carers' visits today, in one query (their times and
    whether they are done: nothing about those visits' clients leaves here)."""
    rows = list(
        VisitAssignment.objects.filter(
            member_id__in=VisitAssignment.objects.filter(visit_id__in=visit_ids).values(
                "member_id"
            ),
            visit__team_id=team_id,
            visit__planned_start__gte=start,
            visit__planned_start__lt=end,
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .select_related("visit")
        .only("visit_id", "member_id", "visit__planned_start", "visit__status")
    )
    by_member: dict[uuid.UUID, list[Visit]] = {}
    for row in rows:
        by_member.setdefault(row.member_id, []).append(row.visit)
    found: dict[uuid.UUID, list[Visit]] = {}
    for row in rows:
        if row.visit_id in visit_ids:
            found.setdefault(row.visit_id, []).extend(by_member[row.member_id])
    return found


def _on_the_way(visit: FamilyVisitToday, others: list[Visit]) -> bool:
    before = sorted(
        (v for v in others if v.planned_start < visit.start), key=lambda v: v.planned_start
    )
    return bool(before) and before[-1].status == VisitStatus.DONE


def _words(visit: FamilyVisitToday, on_the_way: bool) -> tuple[str, str]:
    who = _names(visit.carers)
    if visit.state == FamilyVisitState.DONE:
        return visit.state, f"Done: {who} came today."
    if visit.state == FamilyVisitState.ARRIVED:
        return (
            visit.state,
            f"{who} arrived and {'are' if len(visit.carers) > 1 else 'is'} there now.",
        )
    if visit.state == FamilyVisitState.LATE:
        return visit.state, (
            f"Running late. The team’s day shows this visit as late and the team is checking "
            f"with {who}; they will call you if nobody can come."
        )
    if visit.state == FamilyVisitState.MISSED:
        return visit.state, visit.words + "."
    if not visit.carers:
        return visit.state, "The team is arranging who comes."
    if on_the_way:
        return "on_the_way", f"{who} is on the way."
    return visit.state, f"{who} is coming."


def family_today(*, user: AnyUser, view: FamilyView, now: dt.datetime | None = None) -> FamilyToday:
    """Beside the plain view of the same client, for the client and their family (anyone else:
    NotFound, from family_day)."""
    zone = ZoneInfo(view.timezone)
    now = now or timezone.now()
    day = family_day(user=user, client_id=view.client_id, now=now)
    start, end = timeutil.day_bounds(zone, day.day)
    others = (
        _carers_before(view.team_id, [v.id for v in day.visits], start, end) if day.visits else {}
    )
    result = []
    for visit in day.visits:
        state, words = _words(visit, _on_the_way(visit, others.get(visit.id, [])))
        arrival = windows.arrival_text(
            start=visit.start,
            window_start=visit.window_start,
            window_end=visit.window_end,
            zone=zone,
        )
        result.append(PlainToday(arrival=arrival, state=state, words=words))
    return FamilyToday(result, day.team_phone, day.team_phone_hours)
