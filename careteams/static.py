"""Static files served from inside Django's middleware chain, synchronously.

servestatic's own middleware is async-only. In a chain of sync middleware that made Django
switch threads or event loops twice on every request, static or not: under gunicorn each
request started an event loop (async_to_sync) to pass it through, and under daphne the sync
middleware around it queued on the one thread-sensitive executor twice. This middleware keeps
servestatic's configuration and file table (built once, by its own middleware class) and
serves a file with servestatic's synchronous responder, so the chain stays synchronous.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from servestatic.middleware import ServeStaticMiddleware


async def _never_called(request: HttpRequest) -> HttpResponseBase:
    raise AssertionError("the static file table is only consulted, never called")


class StaticFilesMiddleware:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.table = ServeStaticMiddleware(_never_called, settings=settings)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        table = self.table
        path = request.path_info
        found = table.find_file(path) if table.autorefresh else table.files.get(path)
        if found is None:
            return self.get_response(request)
        answer = found.get_response(request.method or "GET", request.META)
        response: HttpResponseBase
        if answer.file is not None:
            response = FileResponse(answer.file, status=int(answer.status))
        else:
            response = HttpResponse(status=int(answer.status))
        # servestatic's headers are the whole truth (length, type, caching, ETag, ranges).
        for header in ("Content-Type", "Content-Length", "Content-Disposition"):
            if header in response.headers:
                del response.headers[header]
        headers: list[tuple[str, Any]] = answer.headers
        for key, value in headers:
            if value is not None:
                response.headers[key] = value
        return response
