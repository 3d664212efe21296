"""A small HTTP/1.1 client for the morning-peak bench: one keep-alive connection per simulated
device (a tablet keeps one), every request timed and counted by its kind.

Written on asyncio's streams rather than a library so that thousands of devices cost the
runner little CPU (it shares the 2 cores with the app it measures) and nothing is added to the
locked dependencies. Requests are the API's JSON only: a body with Content-Length or chunked.
"""

import asyncio
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


class Failed(Exception):
    """No answer: the connection broke or the request timed out."""


@dataclass
class Tally:
    """Every request's time (ms) by kind, the non-2xx answers and the failures."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Refusals inside a 2xx answer: a sync push's mutations that were not applied.
    refusals: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, kind: str, ms: float, status: int) -> None:
        self.times[kind].append(ms)
        if not 200 <= status < 300:
            self.statuses[kind][status] += 1

    def fail(self, kind: str) -> None:
        self.failures[kind] += 1

    def refuse(self, kind: str) -> None:
        self.refusals[kind] += 1


class Connection:
    def __init__(self, host: str, port: int, tally: Tally, timeout: float) -> None:
        self.host, self.port, self.tally, self.timeout = host, port, tally, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def _exchange(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before answering")
        status = int(status_line.split()[1])
        length, chunked, closing = None, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                closing = True
        if chunked:
            parts = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size + 2))
            await self.reader.readline()
            answer = b"".join(p[:-2] for p in parts)
        else:
            answer = await self.reader.readexactly(length or 0)
        if closing:
            await self.close()
        return status, answer

    async def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        token: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """The answer's status and JSON (None when it has none); Failed when none came."""
        data = b"" if body is None else json.dumps(body).encode()
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}",
            f"Authorization: Bearer {token}",
            "Accept: application/json",
            f"Content-Length: {len(data)}",
        ]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        reused = self.writer is not None
        started = time.perf_counter()
        try:
            try:
                status, answer = await asyncio.wait_for(self._exchange(head, data), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError):
                # A kept-alive connection the proxy closed while the device was idle: sent
                # again on a new one (every write carries an Idempotency-Key, so a repeat has no
                # second effect). A new connection that breaks is a failure.
                await self.close()
                if not reused:
                    raise
                status, answer = await asyncio.wait_for(self._exchange(head, data), self.timeout)
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            await self.close()
            self.tally.fail(kind)
            raise Failed(f"{kind}: {exc!r}") from exc
        self.tally.add(kind, (time.perf_counter() - started) * 1000, status)
        try:
            return status, json.loads(answer) if answer else None
        except ValueError:
            return status, None
