"""Pages fetched by the tablet to keep for offline use carry none of the carer's one-time
messages ("Note saved."): a kept copy shown later would replay one that no longer applies, and
the message would be spent on a page the carer never saw."""

from collections.abc import Callable
from typing import Any

from django.contrib.messages.storage.base import BaseStorage, Message
from django.http import HttpRequest, HttpResponseBase

# Sent by tablet/static/tablet/offline-sync.js on every fetch of keeping the day.
KEEP_HEADER = "X-Careteams-Keep"

Handler = Callable[[HttpRequest], HttpResponseBase]


class _NoneForTheCopy(BaseStorage):
    """Reads as empty; a message added while the copy is made goes to the carer's own store."""

    def __init__(self, request: HttpRequest, real: BaseStorage | None) -> None:
        super().__init__(request)
        self.real = real

    def _get(self, *args: Any, **kwargs: Any) -> tuple[list[Message], bool]:
        return [], True

    def _store(
        self, messages: list[Message], response: Any, *args: Any, **kw: Any
    ) -> list[Message]:
        return []

    def add(self, level: int, message: str, extra_tags: str | None = "") -> None:
        if self.real is not None:
            self.real.add(level, message, extra_tags)


def kept_copy(get_response: Handler, request: HttpRequest) -> HttpResponseBase:
    real = getattr(request, "_messages", None)
    request._messages = _NoneForTheCopy(request, real)  # type: ignore[attr-defined]
    try:
        return get_response(request)
    finally:
        # MessageMiddleware then stores the carer's messages back as they were.
        request._messages = real  # type: ignore[attr-defined]


class KeptCopyMiddleware:
    """After MessageMiddleware: a request of keeping the day gets a message store of its own."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.headers.get(KEEP_HEADER) == "1":
            return kept_copy(self.get_response, request)
        return self.get_response(request)
