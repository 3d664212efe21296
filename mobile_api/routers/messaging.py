"""Channels, messages and handover notes (docs/messaging.md).

The team channel is the members' and the team's coach's; a client's channel and handovers are
the client's team's only (anyone else, a coach too, gets a 404), and reading them is logged as a
read of the client's record. A post carries an id made by the device: a retry writes nothing
more and answers the same message.
"""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from careteams import timeutil
from careteams.errors import DomainError, NotFound
from careteams.models import Door
from clients.models import Client
from clients.selectors import records
from messaging import selectors, services
from messaging.models import ChannelRead, ClientMessage, HandoverNote, TeamMessage
from mobile_api.problems import ERRORS_FOR_READS, ERRORS_FOR_WRITES, error_responses
from mobile_api.schemas.messaging import (
    ChannelOut,
    ChannelReadOut,
    ClientMessageIn,
    FamilyMessagePage,
    HandoverIn,
    HandoverOut,
    HandoverReadOut,
    MessageOut,
    MessagePage,
    TeamMessageIn,
)
from mobile_api.schemas.types import SaneDate, Text
from mobile_api.security import user_of

router = Router(tags=["Messages"])
READ = error_responses(ERRORS_FOR_READS)
WRITE = error_responses(ERRORS_FOR_WRITES)
PER_PAGE = 30
READ_WHAT = "messages"


class PageQuery(Schema):
    cursor: Text | None = Field(None, max_length=200)
    limit: int = Field(PER_PAGE, ge=1, le=selectors.MAX_PAGE)


class DayQuery(Schema):
    day: SaneDate | None = Field(None, description="In the team's time zone; default today.")


def _author(user: Any) -> str:
    return str(user.get_full_name() or user.email)


def message_out(message: TeamMessage | ClientMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "team_id": message.team_id,
        "client_id": getattr(message, "client_id", None),
        "author_id": message.author_id,
        "author_name": _author(message.author),
        "body": message.body,
        "shared_with_family": getattr(message, "shared_with_family", False),
        "written_at": message.written_at,
        "version": message.version,
    }


def read_out(read: ChannelRead) -> dict[str, Any]:
    return {
        "team_id": read.team_id,
        "client_id": read.client_id,
        "read_upto": read.read_upto,
        "version": read.version,
    }


def handover_out(handover: HandoverNote) -> dict[str, Any]:
    return {
        "id": handover.id,
        "team_id": handover.team_id,
        "client_id": handover.client_id,
        "author_id": handover.author_id,
        "author_name": _author(handover.author),
        "body": handover.body,
        "amends_id": handover.amends_id,
        "written_at": handover.written_at,
        "version": handover.version,
    }


def _page(found: Any, query: PageQuery) -> dict[str, Any]:
    items, cursor = selectors.page(found, cursor=query.cursor, limit=query.limit)
    return {"items": [message_out(m) for m in items], "next_cursor": cursor}


def _client(request: HttpRequest, client_id: uuid.UUID, what: str = READ_WHAT) -> Client:
    user = user_of(request)
    client = selectors.client_channel(user=user, client_id=client_id)
    records.read_logged(user=user, client=client, what=what, door=Door.API)
    return client


# Channels ------------------------------------------------------------------------------------


@router.get(
    "/teams/{team_id}/channels",
    response={200: list[ChannelOut], **READ},
    summary="The team channel and each client's channel, with unread counts (a coach: the "
    "team channel only)",
)
def channel_list(request: HttpRequest, team_id: uuid.UUID) -> list[dict[str, Any]]:
    user = user_of(request)
    team = selectors.channel_team(user=user, team_id=team_id)
    return [
        {
            "kind": "client" if channel.client else "team",
            "team_id": team.id,
            "client_id": channel.client.id if channel.client else None,
            "name": channel.name,
            "unread": channel.unread,
            "last_at": channel.last_at,
        }
        for channel in selectors.channels(user=user, team=team)
    ]


@router.get(
    "/teams/{team_id}/messages",
    response={200: MessagePage, **READ},
    summary="The team channel's messages, newest first, a page at a time (?cursor=)",
)
def team_messages(
    request: HttpRequest, team_id: uuid.UUID, query: Query[PageQuery]
) -> dict[str, Any]:
    user = user_of(request)
    team = selectors.channel_team(user=user, team_id=team_id)
    return _page(selectors.team_messages(user=user, team=team), query)


@router.post(
    "/teams/{team_id}/messages",
    response={201: MessageOut, **WRITE},
    summary="Write in the team channel (a retry with the same id returns the same message)",
)
def team_message_post(
    request: HttpRequest, team_id: uuid.UUID, payload: TeamMessageIn
) -> Status[dict[str, Any]]:
    user = user_of(request)
    team = selectors.channel_team(user=user, team_id=team_id)
    message = services.message_post_team(
        team=team, author=user, body=payload.body, message_id=payload.id
    )
    return Status(201, message_out(message))


@router.post(
    "/teams/{team_id}/messages/read",
    response={200: ChannelReadOut, **WRITE},
    summary="Mark the team channel read up to now",
)
def team_channel_read(request: HttpRequest, team_id: uuid.UUID) -> dict[str, Any]:
    user = user_of(request)
    team = selectors.channel_team(user=user, team_id=team_id)
    return read_out(services.channel_mark_read(team=team, actor=user))


@router.get(
    "/clients/{client_id}/messages",
    response={200: MessagePage, **READ},
    summary="A client's channel, newest first (the client's team only; a read of the record)",
)
def client_messages(
    request: HttpRequest, client_id: uuid.UUID, query: Query[PageQuery]
) -> dict[str, Any]:
    client = _client(request, client_id)
    return _page(selectors.client_messages(user=user_of(request), client=client), query)


@router.post(
    "/clients/{client_id}/messages",
    response={201: MessageOut, **WRITE},
    summary="Write in a client's channel; shared_with_family lets the family read it",
)
def client_message_post(
    request: HttpRequest, client_id: uuid.UUID, payload: ClientMessageIn
) -> Status[dict[str, Any]]:
    user = user_of(request)
    client = selectors.client_channel(user=user, client_id=client_id)
    message = services.message_post_client(
        client=client,
        author=user,
        body=payload.body,
        message_id=payload.id,
        shared_with_family=payload.shared_with_family,
    )
    return Status(201, message_out(message))


@router.post(
    "/clients/{client_id}/messages/read",
    response={200: ChannelReadOut, **WRITE},
    summary="Mark a client's channel read up to now",
)
def client_channel_read(request: HttpRequest, client_id: uuid.UUID) -> dict[str, Any]:
    user = user_of(request)
    client = selectors.client_channel(user=user, client_id=client_id)
    return read_out(services.channel_mark_read(team=client.team, client=client, actor=user))


@router.get(
    "/family/clients/{client_id}/messages",
    response={200: FamilyMessagePage, **READ},
    summary="The messages the team shared with the client and their family, newest first",
)
def family_messages(
    request: HttpRequest, client_id: uuid.UUID, query: Query[PageQuery]
) -> dict[str, Any]:
    user = user_of(request)
    client = selectors.family_client(user=user, client_id=client_id)
    records.read_logged(user=user, client=client, what="shared messages", door=Door.API)
    found = selectors.family_messages_of(user=user, client_id=client.id)
    items, cursor = selectors.page(found, cursor=query.cursor, limit=query.limit)
    return {
        "items": [
            {
                "id": m.id,
                "client_id": m.client_id,
                "author_first_name": m.author.first_name,
                "body": m.body,
                "written_at": m.written_at,
            }
            for m in items
        ],
        "next_cursor": cursor,
    }


# Handover notes ------------------------------------------------------------------------------


@router.get(
    "/teams/{team_id}/handovers",
    response={200: list[HandoverOut], **READ},
    summary="The handover notes waiting for me on a day (as on My day), oldest first",
)
def my_handovers(
    request: HttpRequest, team_id: uuid.UUID, query: Query[DayQuery]
) -> list[dict[str, Any]]:
    user = user_of(request)
    team = selectors.member_team(user=user, team_id=team_id)
    member = selectors.membership(user=user, team=team)
    day = query.day or timeutil.local_today(team.zone)
    return [handover_out(h) for h in selectors.my_handovers(user=user, member=member, day=day)]


@router.post(
    "/teams/{team_id}/handovers",
    response={201: HandoverOut, **WRITE},
    summary="Write a handover note, about a client or for the next shift (a retry with the "
    "same id returns the same note)",
)
def handover_write(
    request: HttpRequest, team_id: uuid.UUID, payload: HandoverIn
) -> Status[dict[str, Any]]:
    user = user_of(request)
    team = selectors.member_team(user=user, team_id=team_id)
    client = None
    if payload.client_id is not None:
        client = selectors.client_channel(user=user, client_id=payload.client_id)
    amends = None
    if payload.amends_id is not None:
        try:
            amends = selectors.handover_get(user=user, handover_id=payload.amends_id)
        except NotFound as exc:
            raise DomainError(services.NOT_THE_SAME_CLIENT, field="amends_id") from exc
    handover = services.handover_write(
        team=team,
        author=user,
        body=payload.body,
        handover_id=payload.id,
        client=client,
        amends=amends,
    )
    return Status(201, handover_out(handover))


@router.get(
    "/clients/{client_id}/handovers",
    response={200: list[HandoverOut], **READ},
    summary="Every handover note about a client, newest first (part of the record)",
)
def client_handovers(request: HttpRequest, client_id: uuid.UUID) -> list[dict[str, Any]]:
    client = _client(request, client_id, what="handover notes")
    return [
        handover_out(h) for h in selectors.client_handovers(user=user_of(request), client=client)
    ]


@router.post(
    "/handovers/{handover_id}/read",
    response={200: HandoverReadOut, **WRITE},
    summary="Mark a handover note read: it leaves my day and visits (again: no change)",
)
def handover_read(request: HttpRequest, handover_id: uuid.UUID) -> dict[str, Any]:
    user = user_of(request)
    handover = selectors.handover_get(user=user, handover_id=handover_id)
    read = services.handover_mark_read(handover=handover, actor=user)
    return {"handover_id": handover.id, "read_at": read.read_at}
