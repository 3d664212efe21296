"""Mounted at /api/: version 1 of the API, its docs assets, and problem+json for anything else
under /api/ (an unknown path, a method an operation does not have)."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.views.decorators.csrf import csrf_exempt

from careteams import problems
from mobile_api import docs
from mobile_api.api import api


def _as_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a wrong method with a bare 405; make it problem+json like every error."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            problems.CONTENT_TYPE
        ):
            allow = response.get("Allow", "")
            return problems.problem_response(
                request,
                405,
                f"{request.method} is not allowed here; allowed: {allow}.",
                headers={"Allow": allow},
            )
        return response

    return wrapped


def _v1() -> list[URLPattern | URLResolver]:
    patterns, _, _ = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _as_problem(pattern.callback)
    return patterns


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problems.problem_response(request, 404, "There is no such API path.", kind="not-found")


urlpatterns = [
    path("v1/docs/assets/<str:name>", docs.asset, name="api-docs-asset"),
    path("v1/", (_v1(), "ninja", "api-v1")),
    re_path(r"^(?P<rest>.*)$", not_found),
]
