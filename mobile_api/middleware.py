"""Every answer under /api/ that is an error is problem+json, whatever raised it.

Ninja's exception handlers (mobile_api/problems.py) cover the operations; this covers what runs
outside them: a failure in its authentication or rate-limit checks, in a middleware, or in
Django itself, which would otherwise reach a device as Django's HTML error page.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from careteams.problems import CONTENT_TYPE, TITLES, problem_response

# Headers that tell the client what to do next; kept when the body is replaced.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ProblemJsonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith(CONTENT_TYPE)
        ):
            return response
        status = response.status_code
        detail = (
            gettext("Something went wrong on the server.")
            if status >= 500
            else str(TITLES.get(status, gettext("The request was refused.")))
        )
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        return problem_response(request, status, detail, headers=headers)
