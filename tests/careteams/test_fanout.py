"""Fan-out through the worker's team hub: one channel-layer listener per worker, each event
encoded once per kind of viewer, handed to every local socket of its team in order."""

import asyncio
import datetime as dt
from collections import Counter
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as conf
from django.db import transaction
from django.utils import timezone

from careteams import changes, feed
from careteams.changes import team_group
from careteams.models import Team
from realtime import fanout
from realtime.consumers import CloseCode
from scheduling.models import Shift
from tests.careteams.test_consumer import (
    closed_with,
    connect,
    messages_until_live,
    write_note,
    write_shift,
)
from tests.conftest import Cast
from tests.redis_server import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the hub encoded a frame, by the frame's text."""
    counts: Counter[str] = Counter()
    encode = fanout.encode

    def counting(message: dict[str, Any]) -> str:
        text = encode(message)
        counts[text] += 1
        return text

    monkeypatch.setattr(fanout, "encode", counting)
    return counts


@pytest.fixture
def feed_reads(monkeypatch: pytest.MonkeyPatch) -> list[feed.FeedViewer]:
    """The viewers of every socket that read the feed (a replay or a gap) since the fixture."""
    viewers: list[feed.FeedViewer] = []
    events_between = feed.events_between

    def spying(*, viewer: feed.FeedViewer, after: int, upto: int) -> list[dict[str, Any]]:
        viewers.append(viewer)
        return events_between(viewer=viewer, after=after, upto=upto)

    monkeypatch.setattr(feed, "events_between", spying)
    return viewers


def write_other_teams_shift(cast: Cast, day: int) -> Shift:
    with transaction.atomic():
        start = timezone.now() + dt.timedelta(days=day)
        shift = Shift.objects.create(
            team=cast.other_team,
            member=cast.other_nurse_membership,
            start=start,
            end=start + dt.timedelta(hours=7),
        )
        changes.record(team=cast.other_team, entity="shift", obj=shift, actor=cast.other_nurse)
    return shift


async def live(team: Team, user: Any, query: str = "") -> WebsocketCommunicator:
    socket = await connect(team, user, query)
    assert await messages_until_live(socket) == []
    return socket


async def received(socket: WebsocketCommunicator, count: int) -> list[dict[str, Any]]:
    messages = [await socket.receive_json_from(timeout=3) for _ in range(count)]
    assert await socket.receive_nothing(timeout=0.2)
    return messages


async def test_each_event_reaches_every_local_socket_of_its_team_once_in_order_encoded_once(
    cast: Cast, encoded: Counter[str], feed_reads: list[feed.FeedViewer]
) -> None:
    members = [await live(cast.team, user) for user in (cast.nurse, cast.nurse, cast.carer)]
    coach = await live(cast.team, cast.coach)
    others = [await live(cast.other_team, cast.other_nurse) for _ in range(2)]
    feed_reads.clear()  # the replays on connecting

    shifts = [await database_sync_to_async(write_shift)(cast) for _ in range(4)]
    note = await database_sync_to_async(write_note)(cast, cast.client, shared=False)
    theirs = [await database_sync_to_async(write_other_teams_shift)(cast, day) for day in (1, 2)]

    expected = [s.id for s in shifts] + [note.id]
    for socket in members:
        messages = await received(socket, 5)
        assert [m["seq"] for m in messages] == [1, 2, 3, 4, 5]
        assert [m["id"] for m in messages] == [str(i) for i in expected]
    assert [m["id"] for m in await received(coach, 4)] == [str(s.id) for s in shifts]
    for socket in others:
        assert [m["id"] for m in await received(socket, 2)] == [str(s.id) for s in theirs]
    # Encoded once per event and kind of viewer: 5 member frames and 4 coach frames (the
    # coach skips the note) for the first team, 2 for the second; no socket read the feed.
    assert sum(encoded.values()) == 5 + 4 + 2
    assert feed_reads == []
    for socket in [*members, coach, *others]:
        await socket.disconnect()


async def test_family_sockets_hear_only_what_they_may_see_from_one_read_per_event(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    read = fanout.Delivery._read_family_client

    async def counting(delivery: fanout.Delivery, viewer: feed.FeedViewer) -> Any:
        reads.append(delivery.seq)
        return await read(delivery, viewer)

    monkeypatch.setattr(fanout.Delivery, "_read_family_client", counting)
    family = [await live(cast.team, cast.family), await live(cast.team, cast.client_user)]
    outsider = await connect(cast.team, cast.family_without_access)
    assert await closed_with(outsider) == CloseCode.NO_SUCH_TEAM

    await database_sync_to_async(write_shift)(cast)
    await database_sync_to_async(write_note)(cast, cast.client, shared=False)
    await database_sync_to_async(write_note)(cast, cast.other_client_same_team, shared=True)
    shared = await database_sync_to_async(write_note)(cast, cast.client, shared=True)

    for socket in family:
        (message,) = await received(socket, 1)
        assert (message["seq"], message["id"]) == (4, str(shared.id))
        assert message["client"] == str(cast.client.id)
        await socket.send_json_to({"type": "ping"})
        pong = await socket.receive_json_from(timeout=2)
        assert pong["type"] == "pong"
        assert pong["cursor"].startswith("4.")
        await socket.disconnect()
    assert reads == [1, 2, 3, 4]  # one read per event for both sockets


async def group_members(group: str) -> set[str]:
    """The channels in an in-memory layer's group."""
    layer = get_channel_layer()
    await asyncio.sleep(0.05)  # the hub leaves in the background
    return set(layer.groups.get(group, {}))


async def test_the_hub_joins_a_team_once_and_leaves_when_its_last_socket_closes(
    cast: Cast, settings: Any
) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    first = await live(cast.team, cast.nurse)
    second = await live(cast.team, cast.carer)
    hub = fanout.hub_for(get_channel_layer())
    group = team_group(cast.team.id)
    assert await group_members(group) == {hub.channel}

    await first.disconnect()
    assert await group_members(group) == {hub.channel}
    shift = await database_sync_to_async(write_shift)(cast)
    assert (await second.receive_json_from(timeout=2))["id"] == str(shift.id)

    await second.disconnect()
    assert await group_members(group) == set()
    assert group not in hub.teams

    again = await live(cast.team, cast.carer, f"cursor={1}")
    assert await group_members(group) == {hub.channel}
    await again.disconnect()


async def test_an_open_socket_whose_redis_dies_is_told_to_try_again_later(
    cast: Cast, on_own_redis: RedisServer
) -> None:
    socket = await live(cast.team, cast.nurse)
    on_own_redis.kill()
    assert await closed_with(socket) == CloseCode.TRY_AGAIN_LATER
    on_own_redis.start()
    again = await live(cast.team, cast.nurse)
    shift = await database_sync_to_async(write_shift)(cast)
    assert (await again.receive_json_from(timeout=5))["id"] == str(shift.id)
    await again.disconnect()


async def team_group_channels(group: str) -> set[str]:
    layer = get_channel_layer()
    key = layer._group_key(group)  # channels-redis keeps a group as a sorted set
    async with layer.connection(layer.consistent_hash(group)) as redis:
        return {channel.decode() for channel in await redis.zrange(key, 0, -1)}


async def test_a_stopped_workers_place_in_a_team_runs_out_while_a_live_hub_keeps_its_own(
    cast: Cast, on_own_redis: RedisServer, settings: Any
) -> None:
    """A worker that stops without leaving its groups (a restart, a crash) would be sent every
    event of its teams until the layer's group expiry: that is kept short, and live hubs renew."""
    expiry = 2
    settings.CHANNEL_GROUP_EXPIRY = expiry
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    settings.CHANNEL_LAYERS = {
        "default": {**settings.CHANNEL_LAYERS["default"], "CONFIG": {**config, "group_expiry": 2}}
    }
    group = team_group(cast.team.id)
    stopped = "specific.stopped-worker!hub"
    await get_channel_layer().group_add(group, stopped)
    socket = await live(cast.team, cast.nurse)
    hub = fanout.hub_for(get_channel_layer())
    assert await team_group_channels(group) == {stopped, hub.channel}

    await asyncio.sleep(expiry * 2)
    shift = await database_sync_to_async(write_shift)(cast)
    assert (await socket.receive_json_from(timeout=3))["id"] == str(shift.id)
    assert await team_group_channels(group) == {hub.channel}
    await socket.disconnect()


def test_production_renews_the_hubs_groups_well_within_their_expiry() -> None:
    assert fanout.renew_seconds() * 2 < conf.CHANNEL_GROUP_EXPIRY <= 3600
