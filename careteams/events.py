"""Channel-layer events of committed writes, sent without ever holding up a response.

An event is a hint (the change feed is the truth, and sockets catch up from their cursor), so
a write must not wait for Redis. Events for a network layer go onto a queue that one daemon
thread per process sends, in order, each within REDIS_EVENT_TIMEOUT. When a send fails, the
thread logs it once and, rather than let a hung Redis build a backlog, keeps only the latest
event of each group and tries again every REDIS_RETRY_SECONDS: that event names the newest seq,
and an open socket that receives it fills the gap from the feed.

The in-memory layer (one process, local development and tests) cannot block and keeps its
queues on the server's event loop, so its events are sent inline, as before.
"""

import asyncio
import logging
import os
import queue
import threading
import time
import weakref
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, InMemoryChannelLayer, get_channel_layer
from django.conf import settings

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 10_000
HOLD_SECONDS = 60

_Item = tuple[BaseChannelLayer, str, dict[str, Any]]
_Held = tuple[float, dict[str, Any]]


class _Sender:
    def __init__(self) -> None:
        self.queue: queue.Queue[_Item] = queue.Queue(maxsize=QUEUE_LIMIT)
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.pid = 0

    def submit(self, item: _Item) -> None:
        self._ensure_running()
        try:
            self.queue.put_nowait(item)
        except queue.Full:
            logger.warning("Event queue full: dropped the event for %s", item[1])

    def _ensure_running(self) -> None:
        with self.lock:
            # A forked child inherits the object but not the thread.
            if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._run, name="channel-events", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        # Per layer: settings may swap the layer (tests), and one failing must not pause another.
        held: weakref.WeakKeyDictionary[BaseChannelLayer, dict[str, _Held]]
        held = weakref.WeakKeyDictionary()
        paused_until: weakref.WeakKeyDictionary[BaseChannelLayer, float]
        paused_until = weakref.WeakKeyDictionary()
        while True:
            wake = min((paused_until.get(layer, 0.0) for layer in held), default=None)
            try:
                layer, group, message = self.queue.get(
                    timeout=None if wake is None else max(0.0, wake - time.monotonic())
                )
            except queue.Empty:
                pass
            else:
                # Only a group's latest event is kept: the next one a socket receives names the
                # newest seq, and the socket fills everything before it from the feed.
                groups = held.setdefault(layer, {})
                groups.pop(group, None)
                groups[group] = (time.monotonic(), message)
            now = time.monotonic()
            for layer in [layer for layer in held if paused_until.get(layer, 0.0) <= now]:
                sent = self._flush(loop, layer, held[layer])
                if sent is not None:
                    del held[layer]
                    if paused_until.pop(layer, None) is not None and sent:
                        logger.warning("Channel layer reachable again: live events resume")
                    continue
                if layer not in paused_until:
                    logger.warning(
                        "Channel layer unreachable: holding each group's latest event and "
                        "trying again every %.0f s; sockets catch up from the feed",
                        settings.REDIS_RETRY_SECONDS,
                    )
                paused_until[layer] = time.monotonic() + settings.REDIS_RETRY_SECONDS

    @staticmethod
    def _flush(
        loop: asyncio.AbstractEventLoop, layer: BaseChannelLayer, groups: dict[str, _Held]
    ) -> bool | None:
        """Send the held events in order, each within REDIS_EVENT_TIMEOUT: None at the first
        that fails (it and the rest stay held), else whether any was sent. Events older than
        HOLD_SECONDS are dropped: by then every socket on the failed layer has been closed and
        replays on reconnecting."""
        sent = False
        for group, (since, message) in list(groups.items()):
            if time.monotonic() - since > HOLD_SECONDS:
                del groups[group]
                continue
            try:
                loop.run_until_complete(
                    asyncio.wait_for(
                        layer.group_send(group, message), timeout=settings.REDIS_EVENT_TIMEOUT
                    )
                )
            except Exception as error:
                # The first failure of an outage is logged as a warning by the caller.
                logger.debug(
                    "Could not send the event to %s (%s: %s)", group, type(error).__name__, error
                )
                return None
            del groups[group]
            sent = True
        return sent


_sender = _Sender()


def event_send(*, group: str, message: dict[str, Any]) -> None:
    """Send `message` to `group` on the channel layer, without waiting for a network layer."""
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(layer, InMemoryChannelLayer):
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:
            logger.exception("Could not send the event to %s", group)
        return
    _sender.submit((layer, group, message))
