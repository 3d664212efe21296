"""Live delivery: a posted message is a change of the feed, so it reaches the other open
sockets of the team as an event; the coach's socket carries the team channel only, and a
family socket a client's message only when it was shared with them."""

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from tests.careteams.test_consumer import connect, messages_until_live
from tests.conftest import Cast
from tests.messaging.conftest import client_message, team_message

pytestmark = pytest.mark.django_db(transaction=True)


async def nothing_more(socket: WebsocketCommunicator) -> bool:
    nothing: bool = await socket.receive_nothing(timeout=0.3)  # channels: untyped
    return nothing


async def next_event(socket: WebsocketCommunicator) -> dict[str, Any]:
    event: dict[str, Any] = await socket.receive_json_from(timeout=2)
    return event


async def test_a_message_posted_by_one_member_reaches_another_members_socket(
    cast: Cast,
) -> None:
    socket = await connect(cast.team, cast.carer)
    await messages_until_live(socket)
    message = await database_sync_to_async(client_message)(cast, "Dafydd is in hospital.")
    event = await next_event(socket)
    assert event["entity"] == "client_message"
    assert event["id"] == str(message.id)
    assert event["client"] == str(cast.client.id)
    await socket.disconnect()


async def test_the_coachs_socket_gets_the_team_channel_but_no_client_message(
    cast: Cast,
) -> None:
    socket = await connect(cast.team, cast.coach)
    await messages_until_live(socket)
    await database_sync_to_async(client_message)(cast, "About Dafydd")
    message = await database_sync_to_async(team_message)(cast, "Team meeting at two")
    # The client's message, written first, never reaches the coach's socket.
    event = await next_event(socket)
    assert (event["entity"], event["id"]) == ("team_message", str(message.id))
    assert "client" not in event
    assert await nothing_more(socket)
    await socket.disconnect()


async def test_a_family_socket_gets_a_clients_message_only_when_shared(cast: Cast) -> None:
    socket = await connect(cast.team, cast.family)
    await messages_until_live(socket)
    await database_sync_to_async(client_message)(cast, "Not for family")
    shared = await database_sync_to_async(client_message)(cast, "For family", shared=True)
    event = await next_event(socket)
    assert (event["entity"], event["id"]) == ("client_message", str(shared.id))
    assert await nothing_more(socket)
    await socket.disconnect()


async def test_a_socket_that_reconnects_catches_up_on_the_messages_it_missed(cast: Cast) -> None:
    socket = await connect(cast.team, cast.carer)
    await messages_until_live(socket)
    await socket.disconnect()
    missed = await database_sync_to_async(team_message)(cast, "While you were away")
    again = await connect(cast.team, cast.carer, query="cursor=0")
    replayed = await messages_until_live(again)
    assert [e["id"] for e in replayed if e["entity"] == "team_message"] == [str(missed.id)]
    await again.disconnect()
