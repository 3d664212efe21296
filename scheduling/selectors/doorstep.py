"""The visit card: what a carer needs on the doorstep, in one read of a handful of queries."""

import datetime as dt
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.db.models import Prefetch

from careteams import access, access_log
from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients.models import Client, Note, RiskFlag
from scheduling.models import Visit, VisitAssignment
from scheduling.selectors.week import membership_in, team_for_member

RISK_LABELS = dict(RiskFlag.choices)


@dataclass(frozen=True)
class MapLinks:
    """A `geo:` URI opens the tablet's map app; browsers that do not handle it get the web map."""

    geo: str
    web: str


def address_lines(client: Client) -> list[str]:
    parts = (client.address_line_1, client.address_line_2, client.town, client.postcode)
    return [part for part in parts if part]


def map_links(client: Client) -> MapLinks | None:
    lines = address_lines(client)
    if not lines:
        return None
    query = ", ".join(lines)
    # RFC 5870 with the query form every Android and iOS map app reads: no coordinates known.
    geo = f"geo:0,0?q={quote(query)}"
    web = "https://www.openstreetmap.org/search?" + urlencode({"query": query})
    return MapLinks(geo=geo, web=web)


@dataclass
class DoorstepCard:
    team: Team
    me: Membership
    visit: Visit
    client: Client
    day: dt.date
    assigned: bool
    others: list[Membership]
    risks: list[str]
    address: list[str]
    map: MapLinks | None
    last_note: Note | None
    visit_notes: list[Note]
    contacts: list[object]
    cursor: int

    @property
    def called(self) -> str:
        """The name to greet the client by: their preferred name when they gave one."""
        return self.client.preferred_name or self.client.given_name


def doorstep_card(*, user: AnyUser, team_id: uuid.UUID, visit_id: uuid.UUID) -> DoorstepCard:
    """For members of the visit's team only (a 404 for anyone else): the access notes are shown
    to the team, never to a family, and every opening is in the client's read log."""
    team = team_for_member(user=user, team_id=team_id)
    me = membership_in(user=user, team=team)
    visit = access.get_visible(
        access.visits_visible_to(user)
        .filter(team=team)
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=VisitAssignment.objects.select_related("member__user").order_by(
                    "assigned_at"
                ),
            )
        ),
        visit_id,
    )
    client = visit.client
    members = [a.member for a in visit.assignments.all()]
    notes = list(
        access.notes_visible_to(user)
        .filter(client=client)
        .select_related("author")
        .order_by("-recorded_at", "-received_at")[:1]
    )
    visit_notes = list(
        access.notes_visible_to(user)
        .filter(visit=visit)
        .select_related("author")
        .order_by("-recorded_at")
    )
    access_log.access_event_record(
        user=user, client_id=client.id, team_id=team.id, what="visit card"
    )
    return DoorstepCard(
        team=team,
        me=me,
        visit=visit,
        client=client,
        day=visit.planned_start.astimezone(team.zone).date(),
        assigned=any(m.pk == me.pk for m in members),
        others=[m for m in members if m.pk != me.pk],
        risks=[RISK_LABELS.get(flag, flag) for flag in client.risk_flags],
        address=address_lines(client),
        map=map_links(client),
        last_note=notes[0] if notes else None,
        visit_notes=visit_notes,
        contacts=[],
        cursor=team.last_change_seq,
    )
