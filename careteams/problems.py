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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs#problem-"

# In the request's language (LocaleMiddleware: the cookie, else Accept-Language; a device's
# user's own setting first, mobile_api/security.py): Welsh in locale/cy (docs/welsh.md).
TITLES = {
    400: _("Bad request"),
    401: _("Not signed in"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    413: _("Content too large"),
    415: _("Unsupported media type"),
    422: _("Unprocessable content"),
    428: _("Precondition required"),
    429: _("Too many requests"),
    500: _("Server error"),
    503: _("Service unavailable"),
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
        "title": str(TITLES.get(status, _("Error"))),
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
        gettext("The service cannot reach its database just now. Nothing was saved: try again."),
        kind="unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def too_large(request: HttpRequest | None, exc: BaseException | None = None) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem_response(
        request,
        413,
        gettext("The request body is too large: at most %(limit)s bytes.") % {"limit": limit},
        kind="too-large",
    )
