"""The team socket: /ws/teams/<team>/?cursor=N[&view=…] (see docs/sync.md).

It replays the team's changes after the cursor from the feed, then streams live events, in
order, with no gap and no duplicate: live events are numbered, anything already sent is
dropped, and a jump in numbers is filled from the feed before the event is passed on. Live
events reach the socket through its worker's team hub (realtime/fanout.py), encoded once for
all the worker's sockets of the team; the socket's own channel carries the rest (its user's
access changes, presence replies).
"""

import asyncio
import contextlib
import functools
import logging
import re
import uuid
from collections.abc import Awaitable
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils.crypto import constant_time_compare
from redis.exceptions import RedisError

from accounts import policy
from accounts.middleware import session_refusal
from accounts.tokens import token_works
from careteams import access_log, feed, incarnation
from careteams.changes import team_group, user_group
from careteams.incarnation import Cursor
from careteams.models import Door, User
from realtime import tickets
from realtime.fanout import Delivery, HubFailed, TeamHub, hub_for

logger = logging.getLogger(__name__)


class CloseCode:
    NOT_SIGNED_IN = 4401
    NO_SUCH_TEAM = 4404  # also for a team the user may not see: existence is not confirmed
    BAD_CURSOR = 4400
    CURSOR_AHEAD = 4409  # the device's cursor is past the feed's head: pull afresh
    RESYNC = 4410  # the cursor is of another incarnation of the feed (a restore): pull afresh
    ACCESS_ENDED = 4403
    # Staff who must set up two-factor authentication first (as every page tells them).
    SECOND_FACTOR_FIRST = 4428
    # Redis (the channel layer) is unreachable: reconnect with backoff. Not 1013: a server may
    # only send 1000 or an application code.
    TRY_AGAIN_LATER = 4503


LAYER_FAILURES = (RedisError, OSError, HubFailed)

VIEW_PATTERN = re.compile(r"^[\w:/.-]{1,100}$")


class TeamConsumer(AsyncJsonWebsocketConsumer):
    viewer: feed.FeedViewer | None = None
    last_seq = 0
    incarnation = ""
    view = ""
    user_name = ""
    session_key: str | None = None
    device_id: uuid.UUID | None = None
    hub: TeamHub | None = None
    # Live and handling no delivery: the hub may send the next event itself (offer).
    idle = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # The team hub's deliveries and presence messages, in the order the hub received them.
        self.inbox: asyncio.Queue[Delivery | HubFailed | dict[str, Any]] = asyncio.Queue()
        # Channels of others on the same view this socket announced (see presence_hello).
        self.present: set[str] = set()
        try:
            await self._serve(scope, receive, send)
        except LAYER_FAILURES as error:
            # Redis went away under an open socket: close it, so that the client reconnects
            # with its cursor (and catches up from the feed) once Redis is back.
            logger.warning("Socket closed: channel layer unreachable (%s)", error)
            with contextlib.suppress(Exception):
                await send({"type": "websocket.close", "code": CloseCode.TRY_AGAIN_LATER})
        finally:
            self._leave_hub()

    async def _serve(self, scope: Any, receive: Any, send: Any) -> None:
        """AsyncConsumer.__call__ with a third source, the inbox: the hub's deliveries are
        handled one at a time between the socket's other messages, like them, but without the
        database connection check Channels does for each dispatched message."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        assert self.channel_layer is not None  # settings always configure one
        self.channel_name = await self.channel_layer.new_channel()
        self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
        self.base_send = send
        with contextlib.suppress(StopConsumer):
            await await_many_dispatch([receive, self._own_message, self._delivery], self._route)

    # A message taken off the socket's channel or inbox stops the hub writing to the socket at
    # once, not only when it is dispatched (a loop turn later): an access change that arrived
    # before an event is handled before it.

    async def _own_message(self) -> dict[str, Any]:
        message: dict[str, Any] = await self.channel_receive()
        self.idle = False
        return message

    async def _delivery(self) -> Delivery | HubFailed | dict[str, Any]:
        delivery = await self.inbox.get()
        self.idle = False
        return delivery

    async def _route(self, message: Delivery | HubFailed | dict[str, Any]) -> None:
        # While the socket handles anything (a replay, a gap, an access check), the hub's
        # deliveries wait in the inbox: they are sent after it, in order, or not at all.
        self.idle = False
        try:
            while True:
                if isinstance(message, Delivery):
                    await self._deliver(message)
                elif isinstance(message, HubFailed):
                    raise message
                else:
                    await self.dispatch(message)
                # A burst of deliveries is worked through in one go.
                if self.inbox.empty():
                    return
                message = self.inbox.get_nowait()
        finally:
            self.idle = self.hub is not None

    async def connect(self) -> None:
        # Accept first: a close code only reaches the client on an open socket (a refused
        # handshake is a bare HTTP 403). Nothing is sent before the checks below pass.
        await self.accept()
        code = await self._open()
        if code is not None:
            await self.close(code=code)

    async def _open(self) -> int | None:
        query = {k: v[-1] for k, v in parse_qs(self.scope["query_string"].decode()).items()}
        user, refused = await self._signed_in(query)
        if refused is not None:
            return refused
        team_id = self.scope["url_route"]["kwargs"]["team_id"]
        viewer = await database_sync_to_async(feed.feed_viewer)(user=user, team_id=team_id)
        if viewer is None:
            return CloseCode.NO_SUCH_TEAM
        cursor, view = incarnation.cursor_parse(query.get("cursor", "0")), query.get("view", "")
        if cursor is None or (view and not VIEW_PATTERN.match(view)):
            return CloseCode.BAD_CURSOR
        claimed = query.get("incarnation")
        if claimed is not None and len(claimed) > 64:
            return CloseCode.BAD_CURSOR
        self.incarnation = await database_sync_to_async(incarnation.incarnation_get)()
        if _cursor_refused(cursor, claimed, self.incarnation, app="ticket" in query):
            return CloseCode.RESYNC
        self.viewer, self.view = viewer, view
        if viewer.kind == feed.ViewerKind.FAMILY:
            await database_sync_to_async(_log_family_subscription)(user=user, viewer=viewer)
        self.user_name = user.get_full_name() or user.email
        return await self._go_live(user, viewer, cursor)

    async def _signed_in(self, query: dict[str, str]) -> tuple[Any, int | None]:
        """The socket's user, by a ticket (apps) or the page's session, and the close code
        when they may not open it: the pages' rules, two-factor included, hold here too."""
        user = self.scope.get("user")
        if "ticket" in query:
            redeemed = await database_sync_to_async(tickets.ticket_redeem)(ticket=query["ticket"])
            user = redeemed.user if redeemed is not None else None
            self.device_id = redeemed.device_id if redeemed is not None else None
            if self.device_id is not None and not await self._device_works():
                return user, CloseCode.NOT_SIGNED_IN
        if user is None or not user.is_authenticated:
            return user, CloseCode.NOT_SIGNED_IN
        if "ticket" not in query:
            # A page's session: the same rules as its HTTP requests (signed out elsewhere,
            # idle or too old for staff), here and whenever the user's access changes.
            self.session_key = self.scope["session"].session_key
            if await database_sync_to_async(session_refusal)(self.scope["session"], user):
                return user, CloseCode.NOT_SIGNED_IN
        # The pages' two-factor rule too (accounts.middleware), for a session or a ticket.
        if await database_sync_to_async(policy.second_factor_missing)(user):
            return user, CloseCode.SECOND_FACTOR_FIRST
        return user, None

    async def _go_live(self, user: Any, viewer: feed.FeedViewer, cursor: Cursor) -> int | None:
        """Join the team's hub, replay the feed after the cursor, then say the socket is live."""
        # Join before reading the head: whatever commits after the read arrives live, and
        # whatever arrives live that the replay already covered is dropped by its number.
        if not await self._join_hub() or not await _bounded(
            self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        ):
            self._leave_hub()
            self.viewer = None
            return CloseCode.TRY_AGAIN_LATER
        head = await database_sync_to_async(feed.last_seq)(team_id=viewer.team_id)
        if (refused := await _cursor_lost(viewer.team_id, cursor, head)) is not None:
            self._leave_hub()
            return refused
        self.last_seq = cursor.seq
        await self._send_from_feed(upto=head)
        await self.send_json(
            {"type": "live", "cursor": await self._cursor(), "incarnation": self.incarnation}
        )
        if self.view and viewer.kind != feed.ViewerKind.FAMILY:
            await self._presence("presence.hello")
        return None

    async def disconnect(self, code: int) -> None:
        if self.viewer is None:
            return
        if self.view and self.viewer.kind != feed.ViewerKind.FAMILY:
            await self._presence("presence.bye")
        self._leave_hub()
        # Without Redis the membership cannot be removed; it expires on its own.
        await _bounded(
            self.channel_layer.group_discard(user_group(self.viewer.user_id), self.channel_name)
        )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong", "cursor": await self._cursor()})
        else:
            await self.send_json({"type": "error", "detail": 'Send {"type": "ping"} or nothing.'})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """A frame that is not JSON gets an error message; the socket stays open."""
        try:
            content = await self.decode_json(text_data) if text_data else None
        except ValueError:
            await self.send_json({"type": "error", "detail": "Frames must be JSON."})
            return
        await self.receive_json(content)

    # Live events -------------------------------------------------------------------------

    async def _deliver(self, delivery: Delivery) -> None:
        """The next change of the team, from the hub: sent as encoded for this socket's kind
        of viewer when it is the one expected; an earlier one is dropped; after a gap, the
        feed fills in everything up to it."""
        if self.hub is None or self.viewer is None or delivery.seq <= self.last_seq:
            return
        if delivery.seq == self.last_seq + 1:
            known, frame = await delivery.frame(self.viewer)
            if known:
                self.last_seq = delivery.seq
                if frame is not None:
                    await self.send(text_data=frame)
                return
        await self._send_from_feed(upto=delivery.seq)

    async def offer(self, delivery: Delivery) -> bool:
        """Called by the hub: send the next event at once when nothing is in the way."""
        viewer = self.viewer
        if (
            not self.idle
            or not self.inbox.empty()
            or viewer is None
            or viewer.kind == feed.ViewerKind.FAMILY
            or delivery.seq != self.last_seq + 1
        ):
            return False
        self.last_seq = delivery.seq
        frame = delivery.frame_now(viewer)
        if frame is not None:
            await self.send(text_data=frame)
        return True

    async def _join_hub(self) -> bool:
        assert self.viewer is not None
        hub = hub_for(self.channel_layer)
        try:
            await hub.join(self.viewer.team_id, self)
        except Exception as error:
            logger.warning("Channel layer unreachable (%s: %s)", type(error).__name__, error)
            return False
        self.hub = hub
        return True

    def _leave_hub(self) -> None:
        if self.hub is not None and self.viewer is not None:
            self.hub.leave(self.viewer.team_id, self)
        self.hub = None

    # Channel-layer events ---------------------------------------------------------------

    async def access_changed(self, event: dict[str, Any]) -> None:
        """Sent to a user's sockets when their memberships, family access or sign-ins (device
        tokens, sessions) change."""
        assert self.viewer is not None
        user = await self._user()
        if self.session_key is not None and await database_sync_to_async(_session_ended)(
            self.session_key, user
        ):
            await self._end(CloseCode.NOT_SIGNED_IN)
            return
        if self.device_id is not None and not await self._device_works():
            # The device token behind the ticket was revoked, or ended with a password change.
            await self._end(CloseCode.NOT_SIGNED_IN)
            return
        still = await database_sync_to_async(feed.feed_viewer)(
            user=user, team_id=self.viewer.team_id
        )
        if still is None:
            await self._end(CloseCode.ACCESS_ENDED)
        else:
            self.viewer = still

    async def _end(self, code: int) -> None:
        """Close for an access change: not one more event, even one already on its way."""
        self._leave_hub()
        await self.close(code=code)

    # Presence: each other socket on the view is announced once and its leaving once, even
    # when a layer delivers a hello twice or to a socket that joined after it was sent (the
    # Redis pub/sub layer does: docs/sync.md, "Channel layer").

    async def presence_hello(self, event: dict[str, Any]) -> None:
        if event["channel"] == self.channel_name or event["view"] != self.view:
            return
        if await self._announce(event):
            await self.channel_layer.send(
                event["channel"],
                {
                    "type": "presence.here",
                    "user": self._me(),
                    "view": self.view,
                    "channel": self.channel_name,
                },
            )

    async def presence_here(self, event: dict[str, Any]) -> None:
        await self._announce(event)

    async def presence_bye(self, event: dict[str, Any]) -> None:
        if event["channel"] in self.present and event["view"] == self.view:
            self.present.discard(event["channel"])
            await self.send_json({"type": "presence", "op": "leave", "user": event["user"]})

    async def _announce(self, event: dict[str, Any]) -> bool:
        if event["channel"] in self.present:
            return False
        self.present.add(event["channel"])
        await self.send_json({"type": "presence", "op": "join", "user": event["user"]})
        return True

    # Helpers ----------------------------------------------------------------------------

    async def _send_from_feed(self, *, upto: int) -> None:
        assert self.viewer is not None
        events = await database_sync_to_async(feed.events_between)(
            viewer=self.viewer, after=self.last_seq, upto=upto
        )
        for message in events:
            await self.send_json(message)
        self.last_seq = upto

    async def _cursor(self) -> str:
        """The checked cursor at the last seq sent (docs/sync.md, "Cursors")."""
        assert self.viewer is not None
        return str(
            await database_sync_to_async(incarnation.cursor_at)(
                team_id=self.viewer.team_id, seq=self.last_seq
            )
        )

    async def _presence(self, kind: str) -> None:
        assert self.viewer is not None
        await _bounded(
            self.channel_layer.group_send(
                team_group(self.viewer.team_id),
                {
                    "type": kind,
                    "team": str(self.viewer.team_id),
                    "user": self._me(),
                    "view": self.view,
                    "channel": self.channel_name,
                },
            )
        )

    def _me(self) -> dict[str, str]:
        assert self.viewer is not None
        return {"id": str(self.viewer.user_id), "name": self.user_name}

    async def _device_works(self) -> bool:
        assert self.device_id is not None
        works: bool = await database_sync_to_async(token_works)(device_id=self.device_id)
        return works

    async def _user(self) -> User | None:
        assert self.viewer is not None
        return await User.objects.filter(pk=self.viewer.user_id, is_active=True).afirst()


def _cursor_refused(
    cursor: incarnation.Cursor, claimed: str | None, current: str, *, app: bool
) -> bool:
    """Whether a cursor cannot be of this feed, known before reading it. A cursor is a position
    in one incarnation of the feed, after one change of it (docs/sync.md, "Cursors"). Apps must
    say which incarnation (as in a pull); a page's first cursor, a bare seq with none, was
    rendered by this server moments ago, and live.js sends the incarnation and the checked
    cursor it is told on every reconnect. A bare seq otherwise cannot be checked."""
    if not cursor.seq or not (claimed or app):
        return False
    return claimed != current or cursor.check is None


async def _cursor_lost(team_id: uuid.UUID, cursor: incarnation.Cursor, head: int) -> int | None:
    """The close code for a cursor the feed cannot continue from: past its head (4409), or
    whose check names another change than the one now at its seq (restored without a new
    incarnation: 4410)."""
    if cursor.seq > head:
        return CloseCode.CURSOR_AHEAD
    if cursor.check and not await database_sync_to_async(incarnation.cursor_holds)(
        team_id=team_id, cursor=cursor
    ):
        return CloseCode.RESYNC
    return None


async def _bounded(*calls: Awaitable[Any]) -> bool:
    """Run channel-layer calls one after another within REDIS_EVENT_TIMEOUT; False (logged) if
    the layer failed or hung. Redis is a speed-up: a socket without it reconnects later."""
    try:
        async with asyncio.timeout(settings.REDIS_EVENT_TIMEOUT):
            for call in calls:
                await call
    except Exception as error:
        for call in calls:
            if asyncio.iscoroutine(call):
                call.close()
        logger.warning("Channel layer unreachable (%s: %s)", type(error).__name__, error)
        return False
    return True


def _log_family_subscription(*, user: User, viewer: feed.FeedViewer) -> None:
    """A family socket streams its client's record (shared notes, plan, visits): a read.
    A team member's socket carries only record ids; the pages it refreshes log their reads."""
    for client_id in viewer.client_ids:
        access_log.access_event_record(
            user=user,
            client_id=client_id,
            team_id=viewer.team_id,
            what="live updates",
            door=Door.SOCKET,
        )


def _session_ended(session_key: str, user: User | None) -> bool:
    """Read afresh: the socket's copy of its session is as old as the socket."""
    session = SessionStore(session_key)
    if user is None or not session.exists(session_key):
        return True
    # A password change ends the other sessions (Django's session hash) and their pages.
    stored = str(session.get(HASH_SESSION_KEY, ""))
    if not constant_time_compare(stored, user.get_session_auth_hash()):
        return True
    return bool(session_refusal(session, user))
