"""Reads of handover notes, messages and read state, scoped through careteams.access.

A client's channel and handovers are the client's team's only (anyone else, a coach included,
gets NotFound); the team channel is the members' and the team's coach's; family read a client's
messages only where the writer shared them.
"""

import base64
import binascii
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from careteams import access, access_log, dates, limits, timeutil
from careteams.access import AnyUser
from careteams.errors import DomainError, NotFound
from careteams.models import Membership, Team
from clients import access as clients_access
from clients.models import Client
from messaging.models import ChannelRead, ClientMessage, HandoverNote, HandoverRead, TeamMessage
from scheduling.models import Visit, VisitAssignment, VisitStatus

MAX_PAGE = 100
SHOWN_ON_PAGE = 50

Message = TeamMessage | ClientMessage


# Channels ------------------------------------------------------------------------------------


def channel_team(*, user: AnyUser, team_id: uuid.UUID | str) -> Team:
    """A team whose channel the user may read: a member's or a coach's, else NotFound."""
    return access.get_visible(access.teams_visible_to(user), team_id)


def is_member(*, user: AnyUser, team: Team) -> bool:
    return access.member_teams(user).filter(id=team.id).exists()


def team_messages(*, user: AnyUser, team: Team) -> QuerySet[TeamMessage]:
    return TeamMessage.objects.filter(
        team=team, team_id__in=access.teams_visible_to(user).values("id")
    ).select_related("author")


def client_channel(*, user: AnyUser, client_id: uuid.UUID | str) -> Client:
    """A client of one of the user's teams: their channel is that team's (never a coach's)."""
    return access.get_visible(
        clients_access.clients_visible_to(user).select_related("team"), client_id
    )


def client_messages(*, user: AnyUser, client: Client) -> QuerySet[ClientMessage]:
    return ClientMessage.objects.filter(
        client=client, team_id__in=access.member_team_ids(user)
    ).select_related("author")


def family_client(*, user: AnyUser, client_id: uuid.UUID | str) -> Client:
    """A client in the user's family view (their own record, or through family access)."""
    queryset = clients_access.clients_in_family_view(user).select_related("team")
    return access.get_visible(queryset, client_id)


def family_messages_of(*, user: AnyUser, client_id: uuid.UUID) -> QuerySet[ClientMessage]:
    """The messages the writer shared with the client and their family."""
    return ClientMessage.objects.filter(
        client_id=client_id, client_id__in=access.family_client_ids(user), shared_with_family=True
    ).select_related("author")


def recent[M: Message](messages: QuerySet[M], *, limit: int = SHOWN_ON_PAGE) -> list[M]:
    """The newest `limit` messages, oldest first, as a conversation reads."""
    newest = list(messages.order_by("-written_at", "-id")[:limit])
    return newest[::-1]


def key_of(message: Message) -> str:
    """A message's place in its channel, as the page remembers the last one it shows."""
    raw = f"{message.written_at.isoformat()}|{message.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(key: str, field: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
        when, _sep, ident = raw.partition("|")
        moment = dt.datetime.fromisoformat(when)
        if moment.tzinfo is None:
            raise ValueError("naive")
        if not dates.in_range(moment):  # moved to UTC, the years 1 and 9999 overflow
            raise ValueError("out of range")
        return moment, uuid.UUID(ident)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise DomainError(_("This cursor is not one the server gave out."), field=field) from exc


def after[M: Message](messages: QuerySet[M], *, key: str) -> list[M]:
    """The messages after the one `key` names, oldest first (what a live page appends)."""
    if key:
        moment, ident = _decode(key, "after")
        messages = messages.filter(Q(written_at__gt=moment) | Q(written_at=moment, id__gt=ident))
    return list(messages.order_by("written_at", "id")[:MAX_PAGE])


def page[M: Message](
    messages: QuerySet[M], *, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """Newest first, `limit` at a time; the cursor names the last message of the page."""
    limit = max(1, min(limit, MAX_PAGE))
    ordered = messages.order_by("-written_at", "-id")
    if cursor:
        moment, ident = _decode(cursor, "cursor")
        ordered = ordered.filter(Q(written_at__lt=moment) | Q(written_at=moment, id__lt=ident))
    found = list(ordered[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return found, (key_of(found[-1]) if more and found else None)


# Unread counts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unread:
    team: int
    clients: dict[uuid.UUID, int]

    @property
    def total(self) -> int:
        return self.team + sum(self.clients.values())


NOBODY = uuid.UUID(int=0)


def _uid(user: AnyUser) -> uuid.UUID:
    """The user's id; for nobody, an id no one has (their scopes are empty anyway)."""
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, uuid.UUID) else NOBODY


def _read_upto(user: AnyUser, **where: Any) -> Any:
    return Subquery(ChannelRead.objects.filter(user_id=_uid(user), **where).values("read_upto")[:1])


def unread(*, user: AnyUser, team: Team) -> Unread:
    """Messages others wrote after the user last read each channel (two queries)."""
    upto = _read_upto(user, team=team, client__isnull=True)
    team_count = (
        team_messages(user=user, team=team)
        .exclude(author_id=_uid(user))
        .annotate(upto=upto)
        .filter(Q(upto__isnull=True) | Q(written_at__gt=F("upto")))
        .count()
    )
    per_client = (
        ClientMessage.objects.filter(team=team, team_id__in=access.member_team_ids(user))
        .exclude(author_id=_uid(user))
        .annotate(upto=_read_upto(user, client=OuterRef("client")))
        .filter(Q(upto__isnull=True) | Q(written_at__gt=F("upto")))
        .values("client_id")
        .annotate(n=Count("id"))
        .values_list("client_id", "n")
    )
    return Unread(team=team_count, clients=dict(per_client))


@dataclass(frozen=True)
class Channel:
    name: str
    client: Client | None
    unread: int
    last_at: dt.datetime | None


def channels(*, user: AnyUser, team: Team) -> list[Channel]:
    """The team channel first, then each client's: unread ones first, then the latest. A
    coach has the team channel only."""
    counts = unread(user=user, team=team)
    last_team = team_messages(user=user, team=team).order_by("-written_at").first()
    found = [
        Channel(
            name=_("Team channel"),
            client=None,
            unread=counts.team,
            last_at=last_team.written_at if last_team else None,
        )
    ]
    if not is_member(user=user, team=team):
        return found
    clients = (
        clients_access.clients_visible_to(user)
        .filter(team=team)
        .annotate(
            last_at=Subquery(
                ClientMessage.objects.filter(client=OuterRef("pk"))
                .order_by("-written_at")
                .values("written_at")[:1]
            )
        )
        .order_by("family_name", "given_name")
    )
    per_client = [
        Channel(
            name=client.full_name,
            client=client,
            unread=counts.clients.get(client.id, 0),
            last_at=client.last_at,
        )
        for client in clients
    ]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    per_client.sort(key=lambda c: (c.unread == 0, -(c.last_at or epoch).timestamp()))
    return found + per_client


# Handover notes ------------------------------------------------------------------------------


def _waiting(user: AnyUser) -> QuerySet[HandoverNote]:
    """Handovers for the user's teams that others wrote, not yet read by the user and not
    replaced by a correction."""
    user_id = _uid(user)
    return (
        HandoverNote.objects.filter(team_id__in=access.member_team_ids(user))
        .exclude(author_id=user_id)
        .exclude(Exists(HandoverRead.objects.filter(handover=OuterRef("pk"), user_id=user_id)))
        .exclude(Exists(HandoverNote.objects.filter(amends=OuterRef("pk"))))
        .select_related("author", "client")
        .order_by("written_at", "id")
    )


def handover_get(*, user: AnyUser, handover_id: uuid.UUID | str) -> HandoverNote:
    queryset = HandoverNote.objects.filter(team_id__in=access.member_team_ids(user))
    return access.get_visible(queryset.select_related("team"), handover_id)


def handovers_for_visit(*, user: AnyUser, visit: Visit) -> list[HandoverNote]:
    """Handovers about the visit's client written before it ends (and not long before it
    starts) that the user has not read: what the carer should know on the way in."""
    return list(
        _waiting(user).filter(
            client_id=visit.client_id,
            written_at__lt=visit.planned_end,
            written_at__gte=visit.planned_start - limits.HANDOVER_SHOWN_FOR,
        )
    )


def my_handovers(*, user: AnyUser, member: Membership, day: dt.date) -> list[HandoverNote]:
    """On My day: the shift handovers written up to the end of the day, and the handovers
    about each client the member visits that day written before that visit ends."""
    start, end = timeutil.day_bounds(member.team.zone, day)
    my_visit_after = VisitAssignment.objects.filter(
        member=member,
        visit__client_id=OuterRef("client_id"),
        visit__planned_start__gte=start,
        visit__planned_start__lt=end,
        visit__planned_end__gt=OuterRef("written_at"),
    ).exclude(visit__status=VisitStatus.CANCELLED)
    waiting = list(
        _waiting(user)
        .filter(
            team=member.team,
            written_at__lt=end,
            written_at__gte=start - limits.HANDOVER_SHOWN_FOR,
        )
        .filter(Q(client__isnull=True) | Exists(my_visit_after))
    )
    # A client's handovers are part of their record (docs/messaging.md): reading them is a read.
    access_log.reads_record(user=user, client_ids=(h.client_id for h in waiting), what="handovers")
    return waiting


def client_handovers(*, user: AnyUser, client: Client) -> QuerySet[HandoverNote]:
    """Every handover about the client, newest first: part of the client's record."""
    return (
        HandoverNote.objects.filter(client=client, team_id__in=access.member_team_ids(user))
        .select_related("author")
        .annotate(is_amended=Exists(HandoverNote.objects.filter(amends=OuterRef("pk"))))
        .order_by("-written_at", "-id")
    )


def member_team(*, user: AnyUser, team_id: uuid.UUID | str) -> Team:
    """A team the user works in (handovers are the members' only)."""
    return access.get_visible(access.member_teams(user), team_id)


def membership(*, user: AnyUser, team: Team) -> Membership:
    found = access.membership_of(user, team)
    if found is None:
        raise NotFound()
    found.team = team
    return found


def my_handovers_context(*, user: AnyUser, member: Membership, day: dt.date) -> dict[str, Any]:
    """What My day's handover section shows, and where a live page refreshes it from."""
    part = reverse("messaging:my-handovers", kwargs={"team_id": member.team_id})
    return {
        "team": member.team,
        "handovers": my_handovers(user=user, member=member, day=day),
        "part_url": f"{part}?day={day.isoformat()}",
    }
