"""Production runs several ASGI workers sharing Redis: a write served by one worker must reach
sockets held by another. These tests start two real daphne processes on the test database."""

import asyncio
import http.client
import json
import secrets
import urllib.parse
from typing import Any

import pytest
import websockets
from django.conf import settings
from django.db import connection
from django.urls import reverse

from config.asgi_workers import asgi_workers, database_url, free_port
from tests.careteams.test_consumer import session_cookie
from tests.conftest import Cast
from tests.environment import unavailable

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shared_redis() -> None:
    if not settings.REDIS_URL:
        unavailable("needs Redis: set REDIS_URL (.ci/run does)")


def post_form(port: int, path: str, cookie: str, data: dict[str, Any]) -> int:
    token = secrets.token_hex(16)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(
            "POST",
            path,
            body=urllib.parse.urlencode(data),
            headers={
                "Cookie": f"{cookie}; csrftoken={token}",
                "X-CSRFToken": token,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        return conn.getresponse().status
    finally:
        conn.close()


async def first_event_about(ws: Any, entity: str, timeout: float) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message.get("entity") == entity:
                return dict(message)


def test_a_shift_added_through_one_worker_reaches_a_socket_on_the_other(cast: Cast) -> None:
    writer, reader = free_port(), free_port()
    cookie = session_cookie(cast.nurse).decode()
    env = {
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "1",
    }
    team = cast.team
    team.refresh_from_db()

    async def scenario() -> dict[str, Any]:
        async with websockets.connect(
            f"ws://127.0.0.1:{reader}/ws/teams/{team.id}/?cursor={team.last_change_seq}",
            additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{reader}"},
        ) as ws:
            assert json.loads(await ws.recv())["type"] == "live"
            status = await asyncio.to_thread(
                post_form,
                writer,
                reverse("scheduling:shift-new", kwargs={"team_id": team.id}),
                cookie,
                {
                    "member": cast.carer_membership.id,
                    "day": "2030-11-25",
                    "start_time": "07:30",
                    "end_time": "15:30",
                    "kind": "early",
                    "break_minutes": 30,
                },
            )
            assert status == 302  # to the week board: the shift was added
            return await first_event_about(ws, "shift", timeout=10)

    with asgi_workers([writer, reader], env):
        event = asyncio.run(scenario())

    team.refresh_from_db()
    assert event["seq"] == team.last_change_seq
    assert event["op"] == "upsert"
