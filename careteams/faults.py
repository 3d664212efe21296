"""Faults outside the request's control answered as what they are, never as a 500.

- The database is unreachable, dropped the connection or cut a statement at its timeout
  (OperationalError, InterfaceError): 503 with Retry-After. Nothing was half-saved (every
  write is one transaction), so the client can simply try again.
- No pooled connection comes free within the pool's timeout (psycopg_pool's PoolTimeout, which
  Django wraps in OperationalError): the same 503, logged as the pool running dry.
- A request body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413, decided from Content-Length before
  anything reads the body (BodyLimit under ASGI and WSGIBodyLimit under WSGI also stop a body
  streamed without Content-Length at the limit).
- A query string over QUERY_STRING_MAX: 414, before anything parses it. gunicorn passes request
  lines of any length to the app (deploy/gunicorn.conf.py), so that this answer, not
  gunicorn's HTML page, is what a device gets; nginx bounds them (deploy/nginx.conf).

The API answers in problem+json (careteams/problems.py), pages with a plain page that needs no
database.
"""

import io
import logging
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import IO, Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.views import defaults

from careteams import problems

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Characters. No page or API call needs a query this long (the longest are search terms and
# sync cursors); nginx lets request lines of up to 16 KB through to here.
QUERY_STRING_MAX = 8_000


def is_pool_exhausted(exc: BaseException) -> bool:
    """No pooled connection came free within the pool's timeout: psycopg_pool's PoolTimeout,
    raised as it is or wrapped in Django's OperationalError."""
    from psycopg_pool import PoolTimeout

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PoolTimeout):
            return True
        seen = seen.__cause__
    return False


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _request_language(request: HttpRequest | None) -> str:
    """These answers can come before LocaleMiddleware has chosen the request's language, and a
    thread keeps the last request's: choose it here, from the cookie or Accept-Language."""
    if request is None:
        return settings.LANGUAGE_CODE
    return translation.get_language_from_request(request)


def unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    with translation.override(_request_language(request)):
        return _unavailable(request, exc)


def _unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    if is_pool_exhausted(exc):
        # Every connection of this process is in use: more threads than the pool (see
        # deploy/gunicorn.conf.py) or slow requests holding them.
        logger.warning("No free database connection within the pool's timeout: %s", exc)
    if is_api(request):
        return problems.unavailable(request, exc)
    logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(problems.RETRY_AFTER_SECONDS)
    return response


def too_large(request: HttpRequest | None, path: str = "") -> HttpResponse:
    with translation.override(_request_language(request)):
        return _too_large(request, path)


def _too_large(request: HttpRequest | None, path: str) -> HttpResponse:
    if (request.path if request is not None else path).startswith("/api/"):
        return problems.too_large(request)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    context = {"limit_mb": f"{limit / 1_000_000:.1f}"}
    return HttpResponse(render_to_string("413.html", context), status=413)


def uri_too_long(request: HttpRequest) -> HttpResponse:
    with translation.override(_request_language(request)):
        return _uri_too_long(request)


def _uri_too_long(request: HttpRequest) -> HttpResponse:
    detail = gettext(
        "The address is too long: keep its query to %(limit)s characters or fewer."
    ) % {"limit": f"{QUERY_STRING_MAX:,}"}
    if is_api(request):
        return problems.problem_response(
            request, 414, detail, kind="uri-too-long", extra={"title": gettext("URI too long")}
        )
    return HttpResponse(render_to_string("414.html", {"detail": detail}), status=414)


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class FaultMiddleware:
    """At the top of MIDDLEWARE: refuses an oversized body before any middleware reads it (CSRF
    reads the form) and an overlong query before any parses it, and answers database faults
    from views with a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and declared_length(request) > limit:
            return too_large(request)
        if len(request.META.get("QUERY_STRING", "")) > QUERY_STRING_MAX:
            return uri_too_long(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return unavailable(request, exception)
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the last stop for an exception raised outside a view (a middleware, the
    session save): a database fault is still a 503, anything else the usual 500."""
    exc = sys.exception()
    if exc is not None and isinstance(exc, DATABASE_UNAVAILABLE):
        return unavailable(request, exc)
    if is_api(request):
        return problems.problem_response(request, 500, "Something went wrong on the server.")
    return defaults.server_error(request)


Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI wrapper around Django: Django's ASGI handler reads the whole body (to a temporary
    file) before any middleware runs, so a body streamed without Content-Length, or longer than
    it said, is cut here at the limit instead."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if scope["type"] != "http" or limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await self._refuse(scope, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send) -> None:
        response = too_large(None, path=scope.get("path", ""))
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.items()]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": response.content})


class WSGIBodyLimit:
    """WSGI wrapper around Django (config/wsgi.py). Django's WSGI handler reads at most
    Content-Length bytes, and none without it: a body sent chunked (gunicorn passes it on
    without a Content-Length) would be taken as empty. Here a declared length over the limit is
    refused before Django starts, and a chunked body is read up to the limit: over it, 413;
    within it, handed to Django with its length, as the ASGI path does."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None:
            return self.app(environ, start_response)
        declared = str(environ.get("CONTENT_LENGTH") or "")
        if declared.isdigit() and int(declared) > limit:
            return self._refuse(environ, start_response)
        if not declared and "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
            body = _read_at_most(environ["wsgi.input"], limit + 1)
            if len(body) > limit:
                return self._refuse(environ, start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    @staticmethod
    def _refuse(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        response = too_large(None, path=str(environ.get("PATH_INFO", "")))
        start_response(f"413 {response.reason_phrase}", list(response.items()))
        return [response.content]


def _read_at_most(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = stream.read(min(left, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
