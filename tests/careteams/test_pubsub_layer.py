"""Why channels-redis's pub/sub layer seemed to deliver group messages twice (docs/sync.md,
"Channel layer"): it hands a group message to the channels in the group when the message is
*read* in the process, not when it was sent, so a socket that joined in between gets a message
sent before it joined. Presence hellos then reached a socket that had already been told of its
peer; presence now announces each peer once, on any layer."""

import asyncio
from typing import Any

import pytest
import redis
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

from tests.careteams.test_consumer import connect, messages_until_live
from tests.conftest import Cast
from tests.redis_server import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = {"type": "presence.hello", "view": "week"}


async def test_the_pubsub_layer_gives_a_channel_a_group_message_sent_before_it_joined(
    redis_server: RedisServer,
) -> None:
    layer = RedisPubSubChannelLayer(hosts=[redis_server.url], prefix="t")
    early, late = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("board", early)
    await asyncio.sleep(0.2)  # the process's subscription to the group is in place
    # Sent, and handed by Redis to the process, before `late` joins (a blocking client: the
    # loop's reader gets no chance to run in between).
    redis.Redis.from_url(redis_server.url).publish("t__group__board", layer.serialize(MESSAGE))
    await layer.group_add("board", late)

    assert await asyncio.wait_for(layer.receive(early), 2) == MESSAGE
    assert await asyncio.wait_for(layer.receive(late), 2) == MESSAGE  # the surprise
    await layer.flush()


async def test_the_core_layer_gives_a_group_message_only_to_the_channels_in_it_when_sent(
    redis_server: RedisServer,
) -> None:
    layer = RedisChannelLayer(hosts=[redis_server.url], prefix="t")
    early, late = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("board", early)
    await layer.group_send("board", MESSAGE)
    await layer.group_add("board", late)

    assert await asyncio.wait_for(layer.receive(early), 2) == MESSAGE
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(late), 0.5)
    await layer.flush()


@pytest.mark.parametrize("backend", [RedisChannelLayer, RedisPubSubChannelLayer])
async def test_people_on_the_same_board_are_announced_once_on_either_redis_layer(
    cast: Cast, redis_server: RedisServer, settings: Any, backend: type
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": f"{backend.__module__}.{backend.__name__}",
            "CONFIG": {"hosts": [redis_server.url], "prefix": "careteams"},
        }
    }
    first = await connect(cast.team, cast.nurse, "view=week/2026-11-23")
    await messages_until_live(first)
    second = await connect(cast.team, cast.carer, "view=week/2026-11-23")
    await messages_until_live(second)

    async def everything(socket: Any) -> list[dict[str, Any]]:
        messages = []
        while not await socket.receive_nothing(timeout=1):
            messages.append(await socket.receive_json_from())
        return messages

    assert [m["user"]["id"] for m in await everything(first)] == [str(cast.carer.pk)]
    assert [m["user"]["id"] for m in await everything(second)] == [str(cast.nurse.pk)]
    await second.disconnect()
    assert [(m["op"], m["user"]["id"]) for m in await everything(first)] == [
        ("leave", str(cast.carer.pk))
    ]
    await first.disconnect()
    await get_channel_layer().flush()
