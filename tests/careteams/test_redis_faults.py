"""Redis is a speed-up, never a single point of failure: with it down or hung, writes commit and
answer at once, sign-in works at every door, rate limits still count, tickets still open
sockets, API errors stay problem+json, and sockets catch up from their cursor afterwards.

Each test runs its own redis-server (tests/redis_server.py) and kills or hangs it."""

import asyncio
import http.client
import json
import logging
import time
import uuid
from typing import Any

import pytest
import redis
import websockets
from channels.db import database_sync_to_async
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from careteams import changes
from careteams.models import Change
from clients.models import Note
from config.asgi_workers import asgi_workers, database_url, free_port
from realtime import tickets
from realtime.consumers import CloseCode
from tests.careteams.test_consumer import closed_with, connect, messages_until_live, write_note
from tests.conftest import PASSWORD, Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.redis_server import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)

# A write may take this long with Redis dead or hung (it took up to 14 s).
QUICK = 1.0


def api_of(user: Any) -> Api:
    return Api(tokens.token_issue(user=user, name="Test tablet").token)


def note_body() -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "body": "Ate well, walked to the gate."}


def note_mutation(cast: Cast) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "kind": "note.create",
        "recorded_at": timezone.now().isoformat(),
        "data": {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": "Slept."},
    }


def break_redis(server: RedisServer, how: str) -> None:
    server.kill() if how == "down" else server.hang()


def timed(call: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - start


@pytest.mark.parametrize("how", ["down", "hung"])
def test_api_writes_and_sync_pushes_commit_and_answer_quickly_without_redis(
    cast: Cast, on_own_redis: RedisServer, how: str
) -> None:
    nurse = api_of(cast.nurse)
    notes = f"/clients/{cast.client.id}/notes"
    assert nurse.post(notes, note_body()).status_code == 201
    break_redis(on_own_redis, how)

    for _ in range(3):
        response, took = timed(nurse.post, notes, note_body())
        assert response.status_code == 201, response.content
        assert took < QUICK
    response, took = timed(
        nurse.post, f"/sync/{cast.team.id}/mutations", {"mutations": [note_mutation(cast)]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["status"] == "applied"
    assert took < QUICK

    assert Note.objects.filter(client=cast.client).count() == 5
    assert Change.objects.filter(team=cast.team, entity="note").count() == 5


@pytest.mark.parametrize("how", ["down", "hung"])
def test_a_note_written_on_the_page_is_saved_at_once_without_redis(
    cast: Cast, on_own_redis: RedisServer, how: str
) -> None:
    page = HttpClient()
    page.force_login(cast.nurse)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    break_redis(on_own_redis, how)

    response, took = timed(page.post, url, {"body": "Walked.", "note_id": str(uuid.uuid4())})
    assert response.status_code == 302
    assert took < QUICK
    assert Note.objects.filter(client=cast.client, body="Walked.").exists()


@pytest.mark.parametrize("how", ["down", "hung"])
def test_sign_in_works_at_every_door_without_redis(
    cast: Cast, on_own_redis: RedisServer, how: str
) -> None:
    break_redis(on_own_redis, how)
    login = reverse("login")

    right = HttpClient().post(login, {"login": cast.nurse.email, "password": PASSWORD})
    assert right.status_code == 302
    wrong = HttpClient().post(login, {"login": cast.nurse.email, "password": "not it at all"})
    assert wrong.status_code == 200
    assert b"correct email address and password" in wrong.content

    anonymous = Api()
    signed_in = anonymous.post(
        "/auth/sign-in", {"email": cast.carer.email, "password": PASSWORD, "device_name": "T"}
    )
    assert signed_in.status_code == 201, signed_in.content
    refused = anonymous.post(
        "/auth/sign-in", {"email": cast.carer.email, "password": "nope", "device_name": "T"}
    )
    is_problem(refused, 401)


def test_the_api_write_limit_still_counts_while_redis_is_down(
    cast: Cast, on_own_redis: RedisServer, settings: Any
) -> None:
    settings.API_WRITE_RATE = (2, 60)
    nurse = api_of(cast.nurse)
    on_own_redis.kill()
    notes = f"/clients/{cast.client.id}/notes"
    assert nurse.post(notes, note_body()).status_code == 201
    assert nurse.post(notes, note_body()).status_code == 201
    is_problem(nurse.post(notes, note_body()), 429)


def test_the_cache_falls_back_with_a_logged_warning_and_uses_redis_again_when_back(
    db: None, on_own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    shared = redis.Redis.from_url(on_own_redis.url)
    cache.set("probe", 1)
    assert shared.exists(cache.make_key("probe"))
    on_own_redis.kill()
    with caplog.at_level(logging.WARNING, logger="careteams.cache"):
        cache.set("probe", 2)
        assert cache.get("probe") == 2
        on_own_redis.start()
        assert cache.get("probe") == 2  # still local: Redis is left alone for a while
        assert cache.breaker.away_until > time.monotonic()  # type: ignore[attr-defined]
        cache.breaker.away_until = 0.0  # type: ignore[attr-defined]  # the while is over
        cache.set("probe", 3)
    assert int(shared.get(cache.make_key("probe")) or 0) == 3
    warnings = [r.getMessage() for r in caplog.records]
    assert "Redis cache unreachable" in warnings[0]
    assert "Redis cache reachable again" in warnings[-1]


def test_a_socket_ticket_is_issued_and_redeemed_once_without_redis(
    cast: Cast, on_own_redis: RedisServer
) -> None:
    on_own_redis.kill()
    response = api_of(cast.carer).post("/socket-ticket")
    assert response.status_code == 201, response.content
    ticket = response.json()["ticket"]
    redeemed = tickets.ticket_redeem(ticket=ticket)
    assert redeemed is not None
    assert redeemed.user == cast.carer
    assert tickets.ticket_redeem(ticket=ticket) is None


def test_the_event_send_after_a_commit_never_waits_for_a_hung_redis(
    cast: Cast, on_own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    on_own_redis.hang()
    event = {"team": str(cast.team.id), "seq": 1, "entity": "x", "id": "y", "op": "upsert"}
    with caplog.at_level(logging.WARNING, logger="careteams"):
        _, took = timed(changes.send_event, event)
        assert took < 0.1
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not caplog.records:
            time.sleep(0.05)
    assert any("event" in r.getMessage() for r in caplog.records)


async def test_a_socket_opened_after_an_outage_catches_up_from_its_cursor(
    cast: Cast, on_own_redis: RedisServer, settings: Any
) -> None:
    settings.REDIS_RETRY_SECONDS = 0.5
    await database_sync_to_async(cast.team.refresh_from_db)()
    cursor = cast.team.last_change_seq
    on_own_redis.kill()
    missed = [await database_sync_to_async(write_note)(cast, cast.client, shared=False)]
    missed.append(await database_sync_to_async(write_note)(cast, cast.client, shared=False))
    on_own_redis.start()

    socket = await connect(cast.team, cast.nurse, f"cursor={cursor}")
    replayed = await messages_until_live(socket)
    assert [m["id"] for m in replayed] == [str(n.id) for n in missed]
    live = await database_sync_to_async(write_note)(cast, cast.client, shared=False)
    message = await socket.receive_json_from(timeout=3)
    assert (message["id"], message["seq"]) == (str(live.id), cursor + 3)
    await socket.disconnect()


async def test_an_open_socket_gets_what_was_written_while_redis_hung_once_it_answers(
    cast: Cast, on_own_redis: RedisServer, settings: Any
) -> None:
    settings.REDIS_RETRY_SECONDS = 0.5
    await database_sync_to_async(cast.team.refresh_from_db)()
    socket = await connect(cast.team, cast.nurse, f"cursor={cast.team.last_change_seq}")
    assert await messages_until_live(socket) == []
    on_own_redis.hang()
    written = [await database_sync_to_async(write_note)(cast, cast.client, shared=False)]
    written.append(await database_sync_to_async(write_note)(cast, cast.client, shared=False))
    await asyncio.sleep(1.5)  # the event's send has given up: the team's latest event is held
    on_own_redis.resume()
    received = [await socket.receive_json_from(timeout=5) for _ in written]
    assert [m["id"] for m in received] == [str(n.id) for n in written]
    await socket.disconnect()


async def test_a_socket_opened_while_redis_is_down_is_told_to_try_again_later(
    cast: Cast, on_own_redis: RedisServer
) -> None:
    on_own_redis.kill()
    socket = await connect(cast.team, cast.nurse, "cursor=0")
    assert await closed_with(socket) == CloseCode.TRY_AGAIN_LATER


def test_an_error_in_the_apis_rate_limit_check_is_problem_json(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mobile_api.security import WriteRate

    def broken(self: WriteRate, request: Any) -> bool:
        raise ConnectionError("the counter store is gone")

    monkeypatch.setattr(WriteRate, "allow_request", broken)
    nurse = api_of(cast.nurse)
    nurse.client.raise_request_exception = False
    body = is_problem(nurse.post(f"/clients/{cast.client.id}/notes", note_body()), 500)
    assert "ConnectionError" not in body["detail"]


def call(
    port: int, method: str, path: str, body: Any = None, token: str = ""
) -> tuple[int, str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, "/api/v1" + path, body=json.dumps(body or {}), headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), json.loads(response.read())
    finally:
        conn.close()


async def socket_messages(
    port: int, team: uuid.UUID, ticket: str, cursor: int
) -> tuple[list[dict[str, Any]], int]:
    """What the socket sent up to `live` (or its close), and its close code (0 if open)."""
    url = f"ws://127.0.0.1:{port}/ws/teams/{team}/?ticket={ticket}&cursor={cursor}"
    received: list[dict[str, Any]] = []
    async with websockets.connect(url) as ws:
        try:
            async with asyncio.timeout(10):
                while True:
                    message = json.loads(await ws.recv())
                    if message["type"] == "live":
                        return received, 0
                    received.append(message)
        except websockets.ConnectionClosed as closed:
            return received, closed.rcvd.code if closed.rcvd else 1006


def test_two_workers_serve_sign_ins_writes_and_tickets_without_redis_and_sockets_catch_up(
    cast: Cast, redis_server: RedisServer
) -> None:
    """As seen from outside: two daphne workers, their Redis killed, then hung, then back."""
    a, b = free_port(), free_port()
    env = {
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_server.url,
        "REDIS_RETRY_SECONDS": "1",
        "DEBUG": "1",
    }
    cast.team.refresh_from_db()
    cursor = cast.team.last_change_seq
    token = tokens.token_issue(user=cast.nurse, name="Tablet").token
    # The workers check passwords with production's hashers, not the suite's quick one.
    cast.carer.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    cast.carer.save(update_fields=["password"])
    sign_in = {"email": cast.carer.email, "password": PASSWORD, "device_name": "Phone"}
    notes = f"/clients/{cast.client.id}/notes"

    with asgi_workers([a, b], env):
        assert call(a, "POST", notes, note_body(), token)[0] == 201  # both up, Redis used
        redis_server.kill()
        assert call(a, "POST", "/auth/sign-in", sign_in)[0] == 201
        status, kind, body = call(b, "POST", "/auth/sign-in", {**sign_in, "password": "no"})
        assert (status, kind, body["status"]) == (401, "application/problem+json", 401)
        for port in (a, b, a):
            (status, _, _), took = timed(call, port, "POST", notes, note_body(), token)
            assert (status, took < QUICK) == (201, True)
        status, _, body = call(a, "POST", "/socket-ticket", {}, token)
        assert status == 201
        # Redeemed on the other worker (not "not signed in"), then told to come back later.
        _, code = asyncio.run(socket_messages(b, cast.team.id, body["ticket"], cursor))
        assert code == CloseCode.TRY_AGAIN_LATER

        redis_server.start()
        time.sleep(1.5)  # past the workers' REDIS_RETRY_SECONDS: they use Redis again
        assert call(b, "POST", notes, note_body(), token)[0] == 201
        redis_server.hang()
        for port in (b, a):
            (status, _, _), took = timed(call, port, "POST", notes, note_body(), token)
            assert (status, took < QUICK) == (201, True)
        redis_server.resume()

        ticket = call(a, "POST", "/socket-ticket", {}, token)[2]["ticket"]
        replayed, code = asyncio.run(socket_messages(b, cast.team.id, ticket, cursor))
    assert code == 0
    assert [m["seq"] for m in replayed] == list(range(cursor + 1, cursor + 8))
    assert Note.objects.filter(client=cast.client).count() == 7
