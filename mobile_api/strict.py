"""The API reads only what an operation declares: a body only as JSON (its Content-Type says
application/json or a +json kind, else 415), and only the query parameters the operation takes
(any other is a 400 naming it: a misspelt `limit` must not quietly give the default page).

One view decorator for every operation (installed in mobile_api/api.py), reading the
operation's own declarations, so no route repeats a check.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.operation import Operation
from ninja.params.models import QueryModel

from careteams.problems import problem_response

Run = Callable[..., Any]


def is_json(content_type: str) -> bool:
    """application/json, or a kind of it (application/problem+json); parameters aside."""
    kind, _, subtype = content_type.strip().lower().partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def query_names(operation: Operation) -> frozenset[str]:
    """The query parameters the operation declares, under the names a request sends."""
    names: set[str] = set()
    for model in operation.models:
        if not issubclass(model, QueryModel):
            continue
        flattened = getattr(model, "__ninja_flatten_map__", None)
        if flattened:
            names.update(flattened)
        else:
            names.update(field.alias or name for name, field in model.model_fields.items())
    return frozenset(names)


def refusal(request: HttpRequest, allowed: frozenset[str]) -> HttpResponse | None:
    if request.body and not is_json(request.content_type or ""):
        return problem_response(
            request,
            415,
            "Send the request body as JSON, with 'Content-Type: application/json'.",
            kind="unsupported-media-type",
        )
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        return problem_response(
            request,
            400,
            f"Unknown query parameter: {', '.join(unknown)}. This operation takes "
            + (", ".join(sorted(allowed)) if allowed else "none")
            + ".",
            errors=[
                {"field": name, "detail": "Not a parameter of this operation."} for name in unknown
            ],
            kind="unknown-parameter",
        )
    return None


def strict(run: Run) -> Run:
    """Wraps an operation's run (ninja's "view" decorator mode: before its own checks)."""
    operation = getattr(run, "__self__", None)
    allowed = query_names(operation) if isinstance(operation, Operation) else frozenset()

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return refusal(request, allowed) or run(request, *args, **kwargs)

    return checked
