"""The team socket: who may connect, replay from a cursor, live events after commit, in order."""

import asyncio
import datetime as dt
import io
import itertools
import threading
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from careteams import changes
from careteams.changes import user_group
from careteams.incarnation import incarnation_get
from careteams.models import Team, User
from clients.models import Client, Note
from config.asgi import application
from realtime import tickets
from realtime.consumers import CloseCode
from scheduling.models import Shift
from tests.conftest import Cast
from tests.restore import restore_backup_taken_at, write_shifts

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user: User) -> bytes:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}".encode()


async def connect(
    team: Team,
    user: User | None = None,
    query: str = "",
    origin: bytes | None = b"http://localhost",
) -> WebsocketCommunicator:
    headers = [(b"origin", origin)] if origin is not None else []
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    path = f"/ws/teams/{team.id}/" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def closed_with(communicator: WebsocketCommunicator) -> int:
    message = await communicator.receive_output(timeout=2)
    assert message["type"] == "websocket.close", message
    return int(message["code"])


async def messages_until_live(communicator: WebsocketCommunicator) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    while True:
        message = await communicator.receive_json_from(timeout=2)
        if message["type"] == "live":
            return received
        received.append(message)


_SHIFT_DAYS = itertools.count()


def write_shift(cast: Cast) -> Shift:
    with transaction.atomic():
        # A day apart: one member's shifts may not overlap (an exclusion constraint on PostgreSQL),
        # and writers in several threads at once each take a day of their own.
        start = timezone.now() + dt.timedelta(days=next(_SHIFT_DAYS))
        shift = Shift.objects.create(
            team=cast.team,
            member=cast.nurse_membership,
            start=start,
            end=start + dt.timedelta(hours=7),
        )
        changes.record(team=cast.team, entity="shift", obj=shift, actor=cast.nurse)
    return shift


def write_note(cast: Cast, client: Client, *, shared: bool) -> Note:
    with transaction.atomic():
        note = Note.objects.create(
            client=client,
            author=cast.nurse,
            body="Seen",
            shareable=shared,
            recorded_at=timezone.now(),
        )
        changes.record(
            team=client.team,
            entity="note",
            obj=note,
            actor=cast.nurse,
            client_id=client.id,
            data={"shareable": shared},
        )
    return note


async def test_anonymous_sockets_are_closed_as_not_signed_in(cast: Cast) -> None:
    socket = await connect(cast.team)
    assert await closed_with(socket) == CloseCode.NOT_SIGNED_IN


async def test_another_teams_member_is_told_the_team_does_not_exist(cast: Cast) -> None:
    socket = await connect(cast.team, cast.other_nurse)
    assert await closed_with(socket) == CloseCode.NO_SUCH_TEAM


async def test_a_team_that_does_not_exist_gets_the_same_answer(cast: Cast) -> None:
    ghost = Team(name="ghost")
    socket = await connect(ghost, cast.nurse)
    assert await closed_with(socket) == CloseCode.NO_SUCH_TEAM


@pytest.mark.parametrize("who", ["family_without_access", "outsider"])
async def test_people_without_a_door_to_the_team_are_refused(cast: Cast, who: str) -> None:
    socket = await connect(cast.team, getattr(cast, who))
    assert await closed_with(socket) == CloseCode.NO_SUCH_TEAM


async def test_a_socket_from_another_site_is_refused_at_the_handshake(cast: Cast) -> None:
    communicator = WebsocketCommunicator(
        application,
        f"/ws/teams/{cast.team.id}/",
        headers=[
            (b"origin", b"https://evil.example"),
            (b"cookie", await database_sync_to_async(session_cookie)(cast.nurse)),
        ],
    )
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.parametrize(
    "cursor", ["-1", "abc", "1e9", "9" * 30, "03", "3.", "3.ABCDEF012345", "3%0A"]
)
async def test_a_malformed_cursor_is_refused(cast: Cast, cursor: str) -> None:
    socket = await connect(cast.team, cast.nurse, f"cursor={cursor}")
    assert await closed_with(socket) == CloseCode.BAD_CURSOR


async def test_a_cursor_past_the_feeds_head_is_told_to_resync(cast: Cast) -> None:
    socket = await connect(cast.team, cast.nurse, "cursor=5")
    assert await closed_with(socket) == CloseCode.CURSOR_AHEAD


async def test_a_member_first_gets_what_they_missed_then_goes_live(cast: Cast) -> None:
    for _ in range(5):
        await database_sync_to_async(write_shift)(cast)
    socket = await connect(cast.team, cast.nurse, "cursor=2")
    missed = await messages_until_live(socket)
    assert [m["seq"] for m in missed] == [3, 4, 5]
    assert {m["entity"] for m in missed} == {"shift"}
    shift = await database_sync_to_async(write_shift)(cast)
    live = await socket.receive_json_from(timeout=2)
    assert live.pop("cursor").startswith("6.")
    assert live == {
        "type": "change",
        "seq": 6,
        "entity": "shift",
        "id": str(shift.id),
        "op": "upsert",
    }
    await socket.disconnect()


async def test_nothing_arrives_before_the_write_commits(cast: Cast) -> None:
    socket = await connect(cast.team, cast.nurse)
    await messages_until_live(socket)
    written, commit = threading.Event(), threading.Event()

    def write_and_wait() -> None:
        with transaction.atomic():
            write_shift(cast)
            written.set()
            commit.wait(5)

    writing = asyncio.ensure_future(database_sync_to_async(write_and_wait)())
    await asyncio.to_thread(written.wait, 5)
    assert await socket.receive_nothing(timeout=0.3)
    commit.set()
    await writing
    assert (await socket.receive_json_from(timeout=2))["seq"] == 1
    await socket.disconnect()


async def test_a_rolled_back_write_sends_nothing(cast: Cast) -> None:
    socket = await connect(cast.team, cast.nurse)
    await messages_until_live(socket)

    def write_and_fail() -> None:
        with transaction.atomic():
            write_shift(cast)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(write_and_fail)()
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_concurrent_writes_arrive_in_order_without_gaps_or_repeats(cast: Cast) -> None:
    socket = await connect(cast.team, cast.nurse)
    await messages_until_live(socket)
    writers, each = 4, 10

    def writer() -> None:
        for _ in range(each):
            write_shift(cast)

    # Each writer in a thread of its own, as concurrent requests are served.
    writing = asyncio.gather(
        *(database_sync_to_async(writer, thread_sensitive=False)() for _ in range(writers))
    )
    received = [(await socket.receive_json_from(timeout=10))["seq"] for _ in range(writers * each)]
    await writing
    assert received == list(range(1, writers * each + 1))
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_a_missed_live_event_is_filled_in_from_the_feed(cast: Cast) -> None:
    """If the channel layer drops an event, the next one's number reveals the gap."""
    socket = await connect(cast.team, cast.nurse)
    await messages_until_live(socket)
    first = await database_sync_to_async(write_shift)(cast)
    assert (await socket.receive_json_from(timeout=2))["seq"] == 1
    # Write two changes but deliver only the second event: as if the first were lost.
    lost = await database_sync_to_async(write_shift)(cast)
    assert (await socket.receive_json_from(timeout=2))["id"] == str(lost.id)
    await get_channel_layer().group_send(
        changes.team_group(cast.team.id),
        {
            "type": "change",
            "team": str(cast.team.id),
            "seq": 1,
            "entity": "shift",
            "id": str(first.id),
            "op": "upsert",
        },
    )
    assert await socket.receive_nothing(timeout=0.3)  # a repeat is dropped
    await socket.disconnect()


async def test_family_hear_only_shared_notes_of_their_client(cast: Cast) -> None:
    socket = await connect(cast.team, cast.family)
    assert await messages_until_live(socket) == []
    await database_sync_to_async(write_shift)(cast)
    await database_sync_to_async(write_note)(cast, cast.client, shared=False)
    await database_sync_to_async(write_note)(cast, cast.other_client_same_team, shared=True)
    shared = await database_sync_to_async(write_note)(cast, cast.client, shared=True)
    message = await socket.receive_json_from(timeout=2)
    assert message["id"] == str(shared.id)
    assert message["client"] == str(cast.client.id)
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_a_coach_hears_the_rota_but_no_clinical_change(cast: Cast) -> None:
    socket = await connect(cast.team, cast.coach)
    await messages_until_live(socket)
    await database_sync_to_async(write_note)(cast, cast.client, shared=True)
    shift = await database_sync_to_async(write_shift)(cast)
    message = await socket.receive_json_from(timeout=2)
    assert message["id"] == str(shift.id)
    assert "client" not in message
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_an_app_connects_with_a_one_time_ticket(cast: Cast) -> None:
    ticket = await database_sync_to_async(tickets.ticket_issue)(user=cast.carer)
    socket = await connect(cast.team, None, f"ticket={ticket}", origin=None)
    assert (await socket.receive_json_from(timeout=2))["type"] == "live"
    await socket.disconnect()
    again = await connect(cast.team, None, f"ticket={ticket}", origin=None)
    assert await closed_with(again) == CloseCode.NOT_SIGNED_IN


async def test_a_leavers_open_socket_is_closed(cast: Cast) -> None:
    socket = await connect(cast.team, cast.carer)
    await messages_until_live(socket)
    membership = cast.carer_membership
    membership.ended_at = timezone.now()
    await database_sync_to_async(membership.save)()
    await get_channel_layer().group_send(user_group(cast.carer.pk), {"type": "access.changed"})
    assert await closed_with(socket) == CloseCode.ACCESS_ENDED


async def test_people_on_the_same_board_see_each_other_come_and_go(cast: Cast) -> None:
    first = await connect(cast.team, cast.nurse, "view=week/2026-11-23")
    await messages_until_live(first)
    second = await connect(cast.team, cast.carer, "view=week/2026-11-23")
    await messages_until_live(second)
    joined = await first.receive_json_from(timeout=2)
    assert joined == {
        "type": "presence",
        "op": "join",
        "user": {"id": str(cast.carer.pk), "name": "Aoife Ní Bhriain"},
    }
    already = await second.receive_json_from(timeout=2)
    assert already["user"]["name"] == "Siân Ellis"
    await second.disconnect()
    left = await first.receive_json_from(timeout=2)
    assert left["op"] == "leave"
    assert left["user"]["id"] == str(cast.carer.pk)
    await first.disconnect()


async def test_a_frame_that_is_not_json_gets_an_error_and_the_socket_stays(cast: Cast) -> None:
    socket = await connect(cast.team, cast.nurse)
    await messages_until_live(socket)
    await socket.send_to(text_data="{not json")
    assert (await socket.receive_json_from(timeout=2))["type"] == "error"
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=2) == {"type": "pong", "cursor": "0"}
    await socket.disconnect()


async def test_a_socket_resuming_with_a_cursor_of_a_restored_feed_is_told_to_resync(
    cast: Cast,
) -> None:
    await database_sync_to_async(write_shifts)(cast, 5)
    socket = await connect(cast.team, cast.nurse, "cursor=0")
    await messages_until_live(socket)
    await socket.disconnect()
    held = await database_sync_to_async(incarnation_get)()

    await database_sync_to_async(restore_backup_taken_at)(cast.team, 3)
    await database_sync_to_async(call_command)("feed_new_incarnation", stdout=io.StringIO())
    await database_sync_to_async(write_shifts)(cast, 4)  # past the socket's cursor 5

    socket = await connect(cast.team, cast.nurse, f"cursor=5&incarnation={held}")
    assert await closed_with(socket) == CloseCode.RESYNC


async def changes_and_live(
    socket: WebsocketCommunicator,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    received: list[dict[str, Any]] = []
    while (message := await socket.receive_json_from(timeout=2))["type"] != "live":
        received.append(message)
    return received, message


async def test_a_socket_resuming_after_a_restore_without_a_new_incarnation_is_told_to_resync(
    cast: Cast,
) -> None:
    await database_sync_to_async(write_shifts)(cast, 5)
    socket = await connect(cast.team, cast.nurse, "cursor=0")
    missed, live = await changes_and_live(socket)
    await socket.disconnect()
    held = live["incarnation"]
    assert live["cursor"] == missed[-1]["cursor"]
    after_three = missed[2]["cursor"]

    await database_sync_to_async(restore_backup_taken_at)(cast.team, 3)  # no new incarnation
    await database_sync_to_async(write_shifts)(cast, 4)  # past the socket's cursor 5
    assert await database_sync_to_async(incarnation_get)() == held

    socket = await connect(cast.team, cast.nurse, f"cursor={live['cursor']}&incarnation={held}")
    assert await closed_with(socket) == CloseCode.RESYNC
    ticket = await database_sync_to_async(tickets.ticket_issue)(user=cast.nurse)
    app = await connect(
        cast.team, None, f"ticket={ticket}&cursor={live['cursor']}&incarnation={held}", None
    )
    assert await closed_with(app) == CloseCode.RESYNC

    # A cursor at a change the restore kept still resumes, with the changes made since.
    socket = await connect(cast.team, cast.nurse, f"cursor={after_three}&incarnation={held}")
    missed, live = await changes_and_live(socket)
    assert [m["seq"] for m in missed] == [4, 5, 6, 7]
    assert live["cursor"] == missed[-1]["cursor"] != after_three
    await socket.disconnect()


async def test_the_socket_says_its_incarnation_and_an_app_must_send_it_back(cast: Cast) -> None:
    await database_sync_to_async(write_shifts)(cast, 2)
    socket = await connect(cast.team, cast.nurse, "cursor=0")
    first, _ = await changes_and_live(socket)
    await socket.disconnect()
    ticket = await database_sync_to_async(tickets.ticket_issue)(user=cast.nurse)
    app = await connect(cast.team, None, f"ticket={ticket}&cursor={first[1]['cursor']}", None)
    assert await closed_with(app) == CloseCode.RESYNC

    current = await database_sync_to_async(incarnation_get)()
    # A bare seq from an app cannot be checked (docs/sync.md, "Cursors").
    ticket = await database_sync_to_async(tickets.ticket_issue)(user=cast.nurse)
    app = await connect(cast.team, None, f"ticket={ticket}&cursor=1&incarnation={current}", None)
    assert await closed_with(app) == CloseCode.RESYNC

    ticket = await database_sync_to_async(tickets.ticket_issue)(user=cast.nurse)
    query = f"ticket={ticket}&cursor={first[0]['cursor']}&incarnation={current}"
    app = await connect(cast.team, None, query, None)
    missed = await app.receive_json_from(timeout=2)
    assert missed["seq"] == 2
    assert await app.receive_json_from(timeout=2) == {
        "type": "live",
        "cursor": first[1]["cursor"],
        "incarnation": current,
    }
    await app.disconnect()
