"""RFC 9457 problem details: how an error under /api/ is written (application/problem+json).

The core's own answers (careteams/faults.py: the database unreachable, a body or a query too
large) and the API's (mobile_api/problems.py: domain errors, ninja's validation, authentication
and throttling) are all written here, so a device parses one shape whoever answered.
"""

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs#problem-"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}

# A database fault (careteams/faults.py) is worth retrying after this many seconds.
RETRY_AFTER_SECONDS = 5


def problem_response(
    request: HttpRequest | None,
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    errors: Iterable[dict[str, Any]] = (),
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or str(status)),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path if request is not None else None,
        "errors": list(errors),
    }
    body.update(extra or {})
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The database is unreachable, dropped the connection or cut a statement at its timeout.
    Every write is one transaction, so nothing was half-saved: the device may simply retry."""
    logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
    return problem_response(
        request,
        503,
        "The service cannot reach its database just now. Nothing was saved: try again.",
        kind="unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def too_large(request: HttpRequest | None, exc: BaseException | None = None) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem_response(
        request, 413, f"The request body is too large: at most {limit} bytes.", kind="too-large"
    )
