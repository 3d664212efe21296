"""What "Suggest carers" gives the planner: the week read through the rota's selectors as the
planner's plain data, and the planner's answer as the rows a run stores.

The planner plans the visits still needing a carer on the chosen day (or the whole week); all
other work of the week is kept: visits with their carers as `assigned`, visits outside the day
as `busy`. A fixed number of queries whatever the size of the team.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from careteams import timeutil
from careteams.access import AnyUser
from careteams.models import Team
from scheduling import travel
from scheduling.models import Visit, VisitAssignment, VisitPattern, VisitStatus
from scheduling.planner.model import (
    Location,
    PlanInput,
    PlanMember,
    PlanResult,
    PlanRules,
    PlanVisit,
    Span,
)
from scheduling.rules import words
from scheduling.selectors.week_load import WeekRows, member_name, week_rows
from scheduling.start_models import StartPoint

# "Carers who know them": visits of each carer to each client in the weeks before.
HISTORY_WEEKS = 4
# A pattern's first usual carer weighs this much as a preference, the next one less (at least 1).
USUAL_CARER_WEIGHT = 3


@dataclass(frozen=True)
class Built:
    data: PlanInput
    # Each planned visit's version as read: accepting refuses a proposal for a visit since changed.
    versions: Mapping[str, int]


def _location(visit: Visit) -> Location | None:
    client = visit.client
    if client.latitude is None or client.longitude is None:
        return None
    return (client.latitude, client.longitude)


def _span(start: dt.datetime, end: dt.datetime, team: Team) -> Span:
    return (start.astimezone(team.zone), end.astimezone(team.zone))


def _history(team: Team, monday: dt.date) -> dict[tuple[str, str], int]:
    start, _ = timeutil.week_bounds(team.zone, monday - dt.timedelta(weeks=HISTORY_WEEKS))
    end, _ = timeutil.week_bounds(team.zone, monday)
    rows = (
        VisitAssignment.objects.filter(
            visit__team=team, visit__planned_start__gte=start, visit__planned_start__lt=end
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .values("member_id", "visit__client_id")
        .annotate(n=Count("id"))
    )
    return {(str(r["member_id"]), str(r["visit__client_id"])): r["n"] for r in rows}


def _usual_carers(team: Team, client_ids: set[uuid.UUID]) -> dict[str, dict[str, int]]:
    """The team's stated preferences: each member's weight for the clients whose active patterns
    name them as a usual carer (the first named weighs most). One query."""
    preferences: dict[str, dict[str, int]] = defaultdict(dict)
    usual = VisitPattern.objects.filter(
        team=team, active=True, client_id__in=client_ids
    ).values_list("client_id", "usual_carers")
    for client_id, member_ids in usual:
        for rank, member_id in enumerate(member_ids or []):
            weight = max(1, USUAL_CARER_WEIGHT - rank)
            mine = preferences[str(member_id)]
            mine[str(client_id)] = max(weight, mine.get(str(client_id), 0))
    return preferences


def _travel(visits: list[Visit], starts: Mapping[uuid.UUID, Location]) -> Any:
    """Minutes between the clients' homes and the members' start points, from travel.py
    (estimated, or the routing service when one is configured: one batch up front, not a
    request per pair while solving). Unknown when either has no location: 0, as the board's
    rules count it."""
    places = sorted({p for v in visits if (p := _location(v)) is not None} | set(starts.values()))
    minutes = travel.travel_matrix([(a, b) for a in places for b in places])

    def between(a: Location | None, b: Location | None) -> int:
        if a is None or b is None:
            return 0
        return minutes.get((a, b)) or travel.estimate_minutes(a, b)

    return between


def plan_input(*, user: AnyUser, team: Team, monday: dt.date, day: dt.date | None) -> Built:
    rows: WeekRows = week_rows(user=user, team=team, monday=monday)
    first, last = timeutil.day_bounds(team.zone, day) if day else (rows.start, rows.end)
    live = [v for v in rows.visits if v.status != VisitStatus.CANCELLED]
    planned = [
        v for v in live if v.status == VisitStatus.PLANNED and first <= v.planned_start < last
    ]
    planned_ids = {v.id for v in planned}
    busy: dict[uuid.UUID, list[Span]] = defaultdict(list)
    for visit in live:
        if visit.id not in planned_ids:
            for a in visit.assignments.all():
                busy[a.member_id].append(_span(visit.planned_start, visit.planned_end, team))
    preferences = _usual_carers(team, {v.client_id for v in planned})
    starts = _start_points(rows)
    clients = {v.client_id: v.client for v in planned}
    primary = {
        str(c.id): tuple(str(n) for n in (c.primary_nurse_id, c.second_nurse_id) if n)
        for c in clients.values()
    }
    data = PlanInput(
        members=_members(rows, busy, preferences, starts),
        visits=tuple(_plan_visit(v, team) for v in planned),
        rules=PlanRules(continuity_limit=team.continuity_limit),
        travel_minutes=_travel(live, starts),
        history=_history(team, monday),
        primary={k: v for k, v in primary.items() if v},
    )
    return Built(data, {str(v.id): v.version for v in planned})


def _start_points(rows: WeekRows) -> dict[uuid.UUID, Location]:
    """Where each member who gave one starts their working day, by member (one query). Only
    the planner reads it: it stays on the server."""
    users = {m.user_id: m.id for m in rows.members}
    return {
        users[user_id]: (latitude, longitude)
        for user_id, latitude, longitude in StartPoint.objects.filter(
            user_id__in=list(users)
        ).values_list("user_id", "latitude", "longitude")
    }


def _members(
    rows: WeekRows,
    busy: Mapping[uuid.UUID, list[Span]],
    preferences: Mapping[str, dict[str, int]],
    starts: Mapping[uuid.UUID, Location],
) -> tuple[PlanMember, ...]:
    """The team's members as the planner sees them: shifts, absences, the work kept (`busy`),
    the hours worked before the week, their usual clients and where they start the day."""
    team = rows.team
    shifts: dict[uuid.UUID, list[Span]] = defaultdict(list)
    for shift in rows.shifts:
        shifts[shift.member_id].append(_span(shift.start, shift.end, team))
    absences: dict[uuid.UUID, list[Span]] = defaultdict(list)
    for absence in rows.absences:
        absences[absence.member_id].append(_span(absence.start, absence.end, team))
    members = []
    for m in rows.members:
        before = rows.worked_before.get(m.id)
        members.append(
            PlanMember(
                id=str(m.id),
                name=member_name(m),
                role=m.role,
                skills=frozenset(m.skills or []),
                shifts=tuple(shifts[m.id]),
                absences=tuple(absences[m.id]),
                contracted_minutes_per_week=round(float(m.contracted_hours) * 60),
                busy=tuple(busy.get(m.id, ())),
                worked_minutes_before=round(before.hours * 60) if before else 0,
                weeks_before=before.weeks if before else 0,
                preferences=preferences.get(str(m.id), {}),
                home=starts.get(m.id),
            )
        )
    return tuple(members)


def _plan_visit(v: Visit, team: Team) -> PlanVisit:
    """A visit still needing a carer, in the team's time zone."""
    return PlanVisit(
        id=str(v.id),
        client_id=str(v.client_id),
        client_name=v.client.full_name,
        start=v.planned_start.astimezone(team.zone),
        end=v.planned_end.astimezone(team.zone),
        window_start=v.window_start.astimezone(team.zone) if v.window_start else None,
        window_end=v.window_end.astimezone(team.zone) if v.window_end else None,
        required_skills=frozenset(v.required_skills or []),
        required_role=v.required_role or None,
        carers_needed=v.carers_needed,
        location=_location(v),
        assigned=tuple(str(a.member_id) for a in v.assignments.all()),
        language=v.client.language,
        language_needed=v.client.language_needed,
    )


def result_rows(
    result: PlanResult, versions: Mapping[str, int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The planner's answer as a run stores it: each proposal open until a person decides."""
    proposals = [
        {
            "visit_id": p.visit_id,
            "visit_version": versions[p.visit_id],
            "member_ids": list(p.member_ids),
            "reasons": list(p.reasons),
            # The same reasons with their templates and values, said in the reader's language.
            "said": [words.as_data(r) for r in p.reasons],
            "state": "open",
            "note": "",
            # A move within the visit's window: its new start and end (None: at its time).
            "start": p.start.isoformat() if p.start else None,
            "end": p.end.isoformat() if p.end else None,
        }
        for p in result.proposals
        if p.member_ids
    ]
    unassignable = [
        {
            "visit_id": u.visit_id,
            "rule": u.rule,
            "reason": u.reason,
            "said": words.as_data(u.reason),
        }
        for u in result.unassignable
    ]
    return proposals, unassignable
