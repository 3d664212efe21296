"""RFC 9457 problem details: every error under /api/ is application/problem+json.

Domain errors (careteams/errors.py), ninja's own errors (validation, authentication,
throttling), Django's 404 and anything unexpected all end here, so a device never has to parse
an HTML error page. The body is written by the core (careteams/problems.py), which the core's
own fault answers (careteams/faults.py) use too.
"""

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from careteams.access_log import refused_read_record
from careteams.errors import Conflict, DomainError, NotFound, RuleBroken
from careteams.models import Door
from careteams.problems import CONTENT_TYPE, problem_response, too_large, unavailable
from careteams.problems import TITLES as TITLES  # mobile_api.push names its refusals with them

logger = logging.getLogger(__name__)

# Services name their own parameters; the API's callers sent these fields instead. Every other
# field a service names is the API's field of the same name.
API_FIELDS = {
    "at": "recorded_at",  # check in and out
    "written_at": "recorded_at",  # notes
    "member": "member_id",
    "client": "client_id",
    "visit": "visit_id",
    "problems": "problem_ids",
    "amends": "amends_id",  # handover notes
    "note_id": "id",  # a note's own id, made by the device
}


def api_field(field: str) -> str:
    return API_FIELDS.get(field, field)


# Every operation may answer these (400: among others a query parameter it does not take; 503:
# the database is briefly unreachable, retry); writes add 409, 412, 428, 413 (a body over the
# size limit) and 415 (a body that is not JSON).
ERRORS_FOR_READS = (400, 401, 403, 404, 422, 429, 503)
ERRORS_FOR_WRITES = (*ERRORS_FOR_READS, 409, 412, 413, 415, 428)


class FieldError(Schema):
    field: str | None = None
    detail: str


class Problem(Schema):
    """RFC 9457 problem details. `errors` names each field at fault; a conflict carries the
    server's `current` state; a broken rule carries its `problems` in words."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = []
    current: dict[str, Any] | None = None
    problems: list[str] | None = None
    code: str | None = None  # a stable name for a refusal the app acts on (confirmation_required)


def _location(loc: Iterable[Any]) -> str:
    """Pydantic's location without ninja's wrapper parts: ('body', 'payload', 'end') → 'end'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "filters", "params"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _location(error.get("loc", ())), "detail": str(error.get("msg", _("Invalid.")))}
        for error in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['detail']}" for e in errors[:5])
    return problem_response(
        request, 422, summary or _("The request is not valid."), errors=errors, kind="validation"
    )


def _record_refusal(request: HttpRequest) -> None:
    """An operation on a client the caller may not see: the read log keeps the attempt."""
    match = request.resolver_match
    client_id = match.kwargs.get("client_id") if match else None
    user = getattr(request, "auth", None)
    if client_id is not None and user is not None:
        what = f"{request.method} {request.path.removeprefix('/api/v1')}"
        refused_read_record(user=user, client_id=client_id, what=what[:60], door=Door.API)


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound) and not exc.field:
        # Not the client of the path: a field names an id the caller sent in the body.
        _record_refusal(request)
    extra: dict[str, Any] = {}
    if isinstance(exc, Conflict):
        extra["current"] = exc.current
    if isinstance(exc, RuleBroken):
        extra["problems"] = exc.problems
    if title := getattr(exc, "problem_title", None):
        extra["title"] = str(title)  # a refusal with a name of its own (e.g. a sync resync)
    code = getattr(exc, "code", None)
    if code:
        extra["code"] = code
    errors = [{"field": api_field(exc.field), "detail": exc.detail}] if exc.field else []
    # A refused value (a field named) is unprocessable content; a refused action is a 400.
    status = 422 if exc.status == 400 and exc.field else exc.status
    return problem_response(
        request,
        status,
        exc.detail,
        errors=errors,
        extra=extra,
        kind=code or type(exc).__name__.lower(),
    )


def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        401,
        _("Sign in: send 'Authorization: Bearer <device token>'. The token may be revoked."),
        headers={"WWW-Authenticate": 'Bearer realm="careteams"'},
        kind="unauthenticated",
    )


def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return problem_response(
        request, 429, _("Too many requests: wait before trying again."), kind="rate-limited"
    )


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        request, exc.status_code, str(exc) or str(TITLES.get(exc.status_code, ""))
    )


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    _record_refusal(request)
    return problem_response(request, 404, _("There is no such record."), kind="not-found")


def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Raised by Django or allauth, e.g. a sign-in whose client address cannot be told (needed
    # for the per-address lockout) when the proxy in front passes none.
    return problem_response(request, 403, str(exc) or _("Not allowed."), kind="forbidden")


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(request, 500, _("Something went wrong on the server."))


def install(api: NinjaAPI) -> None:
    """Replace ninja's JSON error bodies with problem details."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ValidationError, on_validation),
        (DomainError, on_domain_error),
        (OperationalError, unavailable),
        (InterfaceError, unavailable),
        (RequestDataTooBig, too_large),
        (AuthenticationError, on_authentication),
        (Throttled, on_throttled),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (PermissionDenied, on_permission_denied),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Say in the OpenAPI document that error answers are application/problem+json."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for code, response in operation.get("responses", {}).items():
                if str(code).startswith(("4", "5")) and "content" in response:
                    content = response["content"]
                    body = content.pop("application/json", None)
                    if body is not None:
                        content[CONTENT_TYPE] = body
    return schema


def error_responses(codes: Iterable[int]) -> dict[int, type[Problem]]:
    return dict.fromkeys(codes, Problem)
