"""The morning-peak bench's HTTP client (bench/load/morning_http.py) against a small server of
the test's own: bodies by length and chunked, statuses tallied, a kept-alive connection the
server closed while idle asked again on a new one, and a server that never answers a failure."""

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest

from bench.load.morning_http import Connection, Failed, Tally

Answer = Callable[[bytes], Awaitable[bytes | None]]


async def serve(answer: Answer) -> tuple[asyncio.Server, int, list[bytes]]:
    """Answers each request on a connection with `answer(request)` (None: close instead)."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while head := await reader.readuntil(b"\r\n\r\n"):
            length = next(
                (int(line.split(b":")[1]) for line in head.split(b"\r\n")
                 if line.lower().startswith(b"content-length")),
                0,
            )  # fmt: skip
            request = head + await reader.readexactly(length)
            seen.append(request)
            reply = await answer(request)
            if reply is None:
                break
            writer.write(reply)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], seen


def by_length(status: int, body: object) -> bytes:
    data = json.dumps(body).encode()
    return f"HTTP/1.1 {status} X\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data


async def test_bodies_by_length_and_chunked_are_read_and_statuses_tallied() -> None:
    async def answer(request: bytes) -> bytes:
        if b"/chunked" in request:
            head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            return head + b'4\r\n{"a"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\n\r\n'
        return by_length(409, {"title": "Conflict"})

    server, port, seen = await serve(answer)
    tally = Tally()
    connection = Connection("127.0.0.1", port, tally, timeout=5)
    assert await connection.request("pull", "GET", "/chunked", token="t") == (200, {"a": 1})
    status, body = await connection.request("check in", "POST", "/x", token="t", body={"v": 1})
    assert (status, body) == (409, {"title": "Conflict"})
    await connection.close()
    server.close()
    assert b"Authorization: Bearer t" in seen[1]
    assert seen[1].endswith(b'{"v": 1}')
    assert len(tally.times["pull"]) == len(tally.times["check in"]) == 1
    assert dict(tally.statuses["check in"]) == {409: 1}
    assert "pull" not in tally.statuses


async def test_a_kept_alive_connection_closed_while_idle_is_asked_again_on_a_new_one() -> None:
    answers = iter([by_length(200, {"n": 1}), None, by_length(200, {"n": 2})])

    async def answer(request: bytes) -> bytes | None:
        return next(answers)

    server, port, seen = await serve(answer)
    tally = Tally()
    connection = Connection("127.0.0.1", port, tally, timeout=5)
    assert await connection.request("day", "GET", "/a", token="t") == (200, {"n": 1})
    assert await connection.request("day", "GET", "/b", token="t") == (200, {"n": 2})
    await connection.close()
    server.close()
    assert [r.split(b" ")[1] for r in seen] == [b"/a", b"/b", b"/b"]
    assert len(tally.times["day"]) == 2
    assert not tally.failures


async def test_a_server_that_does_not_answer_in_time_is_a_failure() -> None:
    async def answer(request: bytes) -> bytes:
        await asyncio.sleep(5)
        return by_length(200, {})

    server, port, _ = await serve(answer)
    tally = Tally()
    connection = Connection("127.0.0.1", port, tally, timeout=0.2)
    with pytest.raises(Failed):
        await connection.request("card", "GET", "/slow", token="t")
    server.close()
    assert tally.failures["card"] == 1
    assert not tally.times["card"]
