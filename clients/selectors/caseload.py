"""The team's caseload: who is primary or second nurse for whom, and each client's planned
hours this week from the scheduled visits. A fixed number of queries for any team size."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from careteams import timeutil
from careteams.access import AnyUser
from careteams.models import Membership, Team
from careteams.selectors import team_for_member, team_members
from clients import access as clients_access
from clients import hooks
from clients.models import Client, ClientStatus


@dataclass
class CaseloadClient:
    client: Client
    planned_hours: float
    visits: int


@dataclass
class MemberCaseload:
    member: Membership
    primary: list[CaseloadClient]
    second: list[CaseloadClient]

    @property
    def hours(self) -> float:
        return sum(c.planned_hours for c in self.primary)


@dataclass
class Caseload:
    team: Team
    monday: dt.date
    members: list[MemberCaseload]
    unallocated: list[CaseloadClient]
    clients: list[CaseloadClient]

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def total_hours(self) -> float:
        return sum(c.planned_hours for c in self.clients)


def caseload(*, user: AnyUser, team_id: uuid.UUID, today: dt.date | None = None) -> Caseload:
    team = team_for_member(user=user, team_id=team_id)
    monday = timeutil.monday_of(today or timeutil.local_today(team.zone))
    start, end = timeutil.week_bounds(team.zone, monday)
    clients = list(
        clients_access.clients_visible_to(user)
        .filter(team=team)
        .exclude(status__in=[ClientStatus.DISCHARGED, ClientStatus.DIED])
        .order_by("family_name", "given_name")
    )
    hours: dict[uuid.UUID, float] = defaultdict(float)
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for client_id, visit_start, visit_end in hooks.visits().planned_spans(user, team, start, end):
        hours[client_id] += timeutil.hours_between(visit_start, visit_end)
        counts[client_id] += 1
    rows = [CaseloadClient(c, round(hours[c.id], 2), counts[c.id]) for c in clients]
    members = [
        MemberCaseload(
            member=m,
            primary=[r for r in rows if r.client.primary_nurse_id == m.id],
            second=[r for r in rows if r.client.second_nurse_id == m.id],
        )
        for m in team_members(user=user, team=team)
    ]
    return Caseload(
        team=team,
        monday=monday,
        members=members,
        unallocated=[r for r in rows if r.client.primary_nurse_id is None],
        clients=rows,
    )
