"""The visit card page: the domain's card (scheduling/selectors/visit_card.py: tasks with their
outcomes, attendances, late or missed, emergency contacts) with what the page adds for the
person holding the tablet: whether they are on the visit, who else is, the map links, the
visit's own notes. Every opening is in the client's read log."""

import datetime as dt
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils import timezone

from careteams import access_log, limits
from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients import access as clients_access
from clients.models import Client, EmergencyContact, Note, RiskFlag
from scheduling.models import Visit
from scheduling.rules.lateness import Timing
from scheduling.selectors.since_last_visit import SinceLastVisit, since_my_last_visit
from scheduling.selectors.visit_card import TaskState, VisitCard, visit_card
from scheduling.selectors.week import membership_in
from scheduling.visit_models import VisitAttendance

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
    # RFC 5870 with the query form the tablets' map apps read: no coordinates are known yet.
    geo = f"geo:0,0?q={quote(query)}"
    web = "https://www.openstreetmap.org/search?" + urlencode({"query": query})
    return MapLinks(geo=geo, web=web)


@dataclass
class DoorstepCard:
    core: VisitCard
    me: Membership
    now: dt.datetime
    visit_notes: list[Note]
    since: SinceLastVisit | None = None  # what changed since my last visit here, if anything

    @property
    def key_safe_code(self) -> str:
        return self.core.key_safe_code

    @property
    def cursor(self) -> int:
        """The team's feed position, read with the team before the card: the page's live
        script catches up from here (without it, every load replayed the feed from its start
        and refreshed the card's parts under the carer's first tap)."""
        return self.core.team.last_change_seq

    @property
    def team(self) -> Team:
        return self.core.team

    @property
    def visit(self) -> Visit:
        return self.core.visit

    @property
    def client(self) -> Client:
        return self.core.client

    @property
    def day(self) -> dt.date:
        return self.core.visit.planned_start.astimezone(self.team.zone).date()

    @property
    def called(self) -> str:
        """The name to greet the client by: their preferred name when they gave one."""
        return self.client.preferred_name or self.client.given_name

    @property
    def assigned(self) -> bool:
        return any(a.member_id == self.me.pk for a in self.core.carers)

    @property
    def others(self) -> list[Membership]:
        return [a.member for a in self.core.carers if a.member_id != self.me.pk]

    @property
    def mine(self) -> VisitAttendance | None:
        """My live attendance at this visit, if I checked in."""
        return next((a for a in self.core.live_attendances if a.member_id == self.me.pk), None)

    @property
    def extras(self) -> list[VisitAttendance]:
        return [a for a in self.core.live_attendances if a.role == "extra"]

    @property
    def can_withdraw(self) -> bool:
        mine = self.mine
        return (
            mine is not None
            and mine.checked_out_at is None
            and self.now - mine.check_in_received_at <= limits.WITHDRAW_WITHIN
        )

    @property
    def withdraw_minutes(self) -> int:
        return limits.WITHDRAW_WITHIN // dt.timedelta(minutes=1)

    @property
    def risks(self) -> list[str]:
        return [str(RISK_LABELS.get(flag, flag)) for flag in self.client.risk_flags]

    @property
    def address(self) -> list[str]:
        return address_lines(self.client)

    @property
    def map(self) -> MapLinks | None:
        return map_links(self.client)

    @property
    def contacts(self) -> list[EmergencyContact]:
        return self.core.emergency_contacts

    @property
    def tasks(self) -> list[TaskState]:
        return self.core.tasks

    @property
    def tasks_done(self) -> int:
        return sum(1 for t in self.tasks if t.outcome is not None and t.outcome.outcome == "done")

    @property
    def last_note(self) -> Note | None:
        return self.core.last_note

    @property
    def late(self) -> bool:
        return self.core.timing == Timing.LATE and self.core.visit.checked_in_at is None

    @property
    def missed(self) -> bool:
        return self.core.timing == Timing.MISSED or self.core.visit.status == "missed"


def doorstep_card(
    *, user: AnyUser, team_id: uuid.UUID, visit_id: uuid.UUID, now: dt.datetime | None = None
) -> DoorstepCard:
    """For members of the visit's team only (a 404 for anyone else): the access notes are shown
    to the team, never to a family."""
    now = now or timezone.now()
    core = visit_card(user=user, team_id=team_id, visit_id=visit_id, now=now)
    me = membership_in(user=user, team=core.team)
    visit_notes = list(
        clients_access.notes_visible_to(user)
        .filter(visit_id=core.visit.id)
        .select_related("author")
        .order_by("-recorded_at")
    )
    access_log.access_event_record(
        user=user, client_id=core.client.id, team_id=core.team.id, what="visit card"
    )
    if core.key_safe_code:
        access_log.access_event_record(
            user=user, client_id=core.client.id, team_id=core.team.id, what=access_log.KEY_SAFE_READ
        )
    since = since_my_last_visit(member=me, visit=core.visit, client=core.client)
    return DoorstepCard(core=core, me=me, now=now, visit_notes=visit_notes, since=since)
