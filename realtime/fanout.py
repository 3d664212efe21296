"""Fan-out of a team's events to the sockets one worker holds: one listener, one encoding.

A worker process has one `TeamHub` per channel layer (per event loop). The hub has one channel
of its own on the layer and joins a team's group when the first socket of that team opens in
the worker; the group's events then cross Redis once per worker, not once per socket. For each
event the hub hands one `Delivery` to every local socket of the team; the delivery encodes the
event's JSON once per kind of viewer (member, coach, family) and, for family sockets, reads the
change row once for all of them. Each socket keeps its own cursor and its gap filling
(realtime/consumers.py): the hub writes the frame itself to a socket that is idle and expects
exactly that event, and otherwise appends the delivery to the socket's inbox, which the socket
works through in order, as it does its channel messages.

When the last local socket of a team closes, the hub leaves the group. When the layer fails
under the hub (Redis down or hung past its read timeout), every socket the hub served is told
so and closes with 4503; they reconnect with their cursor and catch up from the feed.
"""

import asyncio
import contextlib
import json
import logging
import uuid
import weakref
from collections.abc import Awaitable
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import BaseChannelLayer
from django.conf import settings

from careteams import feed
from careteams.changes import team_group

logger = logging.getLogger(__name__)


def renew_seconds() -> float:
    """A group membership expires after the layer's group_expiry (settings.CHANNEL_GROUP_EXPIRY,
    kept short so that a stopped worker's memberships go soon); the hub renews its own three
    times within it, so that a board left open for days keeps hearing its team."""
    return settings.CHANNEL_GROUP_EXPIRY / 3


def encode(message: dict[str, Any]) -> str:
    """A frame's text, as AsyncJsonWebsocketConsumer.send_json would encode it."""
    return json.dumps(message)


class Listener(Protocol):
    """A socket the hub serves: who it is and where its deliveries go."""

    viewer: feed.FeedViewer | None
    inbox: "asyncio.Queue[Delivery | HubFailed | dict[str, Any]]"

    async def offer(self, delivery: "Delivery") -> bool:
        """Send the delivery at once if the socket can without reading anything (idle, in
        step, its frame known): True if it did, else it must go through the inbox."""


class HubFailed(Exception):
    """Put in a socket's inbox when the hub lost the channel layer: the socket must close."""


class Delivery:
    """One change event for the local sockets of its team, encoded at most once per viewer kind.

    A socket asks for its frame only when the event is the next one it expects; otherwise it
    reads the gap from the feed itself."""

    def __init__(self, event: dict[str, Any], family_clients: frozenset[uuid.UUID]) -> None:
        self.event = event
        self.seq: int = event["seq"]
        self.family_clients = family_clients
        self._frames: dict[feed.ViewerKind, str | None] = {}
        self._family_client: asyncio.Task[uuid.UUID | None] | None = None

    def frame_now(self, viewer: feed.FeedViewer) -> str | None:
        """The frame of a member or coach (they need no read), or None to skip the event."""
        if viewer.kind not in self._frames:
            self._frames[viewer.kind] = self._encode(viewer)
        return self._frames[viewer.kind]

    async def frame(self, viewer: feed.FeedViewer) -> tuple[bool, str | None]:
        """(True, the frame or None to skip the event) when known; (False, None) when this
        viewer must read the change from the feed (a family socket the shared read does not
        cover: it opened after the event reached the hub)."""
        if viewer.kind == feed.ViewerKind.FAMILY:
            if not viewer.client_ids <= self.family_clients:
                return False, None
            if self._family_client is None:
                self._family_client = asyncio.ensure_future(self._read_family_client(viewer))
            client_id = await asyncio.shield(self._family_client)
            if client_id not in viewer.client_ids:
                return True, None
        return True, self.frame_now(viewer)

    def _encode(self, viewer: feed.FeedViewer) -> str | None:
        if viewer.kind == feed.ViewerKind.FAMILY:
            # The event is one the family read below found visible: its client is theirs.
            return encode(feed.event_for(viewer, self.event))
        message = feed.without_reading(viewer, self.event)
        return None if message is None else encode(message)

    async def _read_family_client(self, viewer: feed.FeedViewer) -> uuid.UUID | None:
        """The client of this change if family of any of the team's local family sockets may
        see it, else None: one read for all of them (a note's sharing is on the row only)."""
        everyone = feed.FeedViewer(
            viewer.user_id, viewer.team_id, feed.ViewerKind.FAMILY, self.family_clients
        )

        def read() -> uuid.UUID | None:
            visible = feed.changes_visible_to(everyone).filter(seq=self.seq)
            client_id: uuid.UUID | None = visible.values_list("client_id", flat=True).first()
            return client_id

        client_id: uuid.UUID | None = await database_sync_to_async(read)()
        return client_id


class TeamHub:
    """The sockets of one worker, by team group, behind one channel of the layer."""

    def __init__(self, layer: BaseChannelLayer) -> None:
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.channel = ""
        self.teams: dict[str, set[Listener]] = {}
        self.joined: set[str] = set()  # the groups the hub's channel is a member of
        self.locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.tasks: set[asyncio.Task[None]] = set()
        self.reader: asyncio.Task[None] | None = None
        self.renewer: asyncio.Task[None] | None = None
        self.starting = asyncio.Lock()

    async def join(self, team_id: uuid.UUID, socket: Listener) -> None:
        """Serve `socket` the team's events from now on. Raises if the layer fails (within
        REDIS_EVENT_TIMEOUT); the socket is then not served."""
        group = team_group(team_id)
        lock = self._lock(group)
        async with lock:
            await self._start()
            self.teams.setdefault(group, set()).add(socket)
            if group in self.joined:
                return
            try:
                await self._bounded(self.layer.group_add(group, self.channel))
            except BaseException:
                self._forget(group, socket)
                raise
            self.joined.add(group)

    async def _start(self) -> None:
        """The hub's channel and its reader, once (sockets of several teams may be first)."""
        async with self.starting:
            if not self.channel:
                self.channel = await self._bounded(self.layer.new_channel())
                self.reader = self._spawn(self._read())
                self.renewer = self._spawn(self._renew())

    def leave(self, team_id: uuid.UUID, socket: Listener) -> None:
        """Stop serving `socket`; the group is left in the background when it was the team's
        last socket here. Safe to call twice."""
        group = team_group(team_id)
        if self._forget(group, socket) and self.channel:
            self._spawn(self._discard(group, self.channel))

    def _forget(self, group: str, socket: Listener) -> bool:
        """Remove the socket; True when its team has no socket left here."""
        sockets = self.teams.get(group)
        if sockets is None:
            return False
        sockets.discard(socket)
        if sockets:
            return False
        del self.teams[group]
        return True

    async def _discard(self, group: str, channel: str) -> None:
        async with self._lock(group):
            # A socket of the team may have joined while this waited for the lock.
            if group in self.teams or channel != self.channel:
                return
            self.joined.discard(group)
            try:
                await self._bounded(self.layer.group_discard(group, channel))
            except Exception as error:
                # The membership then expires on its own; events to it are dropped unread.
                logger.info("Could not leave %s (%s: %s)", group, type(error).__name__, error)

    async def _read(self) -> None:
        try:
            while True:
                message = await self.layer.receive(self.channel)
                await self._dispatch(message)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            logger.warning("Channel layer unreachable under the team hub (%s)", error)
            self._fail()

    async def _dispatch(self, message: dict[str, Any]) -> None:
        group = team_group(message.get("team", ""))
        sockets = self.teams.get(group)
        if not sockets:
            return
        if message.get("type") != "change":
            # Presence: rare, and each socket decides by its own view.
            for socket in sockets:
                socket.inbox.put_nowait(message)
            return
        family: frozenset[uuid.UUID] = frozenset()
        for socket in sockets:
            if socket.viewer is not None and socket.viewer.kind == feed.ViewerKind.FAMILY:
                family |= socket.viewer.client_ids
        delivery = Delivery(message, family)
        # Most sockets are idle and in step: written to from here, without waking each one's
        # task. The rest (replaying, filling a gap, family) take it from their inbox, in order.
        for socket in list(sockets):
            try:
                sent = await socket.offer(delivery)
            except Exception:
                logger.exception("Could not hand an event to a socket")
                sent = False
            if not sent:
                socket.inbox.put_nowait(delivery)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(renew_seconds())
            for group in list(self.joined):
                with contextlib.suppress(Exception):
                    await self._bounded(self.layer.group_add(group, self.channel))

    def _fail(self) -> None:
        """Tell every socket served here to close; the next socket starts the hub afresh."""
        failed = HubFailed("the channel layer failed under the team hub")
        for sockets in self.teams.values():
            for socket in sockets:
                socket.inbox.put_nowait(failed)
        self.teams.clear()
        self.joined.clear()
        self.channel = ""
        self.reader = None
        if self.renewer is not None:
            self.renewer.cancel()
            self.renewer = None

    def _lock(self, group: str) -> asyncio.Lock:
        lock = self.locks.get(group)
        if lock is None:
            lock = self.locks[group] = asyncio.Lock()
        return lock

    def _spawn(self, work: Awaitable[None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    @staticmethod
    async def _bounded[T](call: Awaitable[T]) -> T:
        async with asyncio.timeout(settings.REDIS_EVENT_TIMEOUT):
            return await call


_hubs: "weakref.WeakKeyDictionary[BaseChannelLayer, TeamHub]" = weakref.WeakKeyDictionary()


def hub_for(layer: BaseChannelLayer) -> TeamHub:
    """This process's hub for `layer` on the running event loop (tests swap both)."""
    hub = _hubs.get(layer)
    if hub is None or hub.loop is not asyncio.get_running_loop():
        hub = _hubs[layer] = TeamHub(layer)
    return hub
