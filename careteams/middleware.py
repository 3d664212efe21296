"""Domain errors raised anywhere under a page become the right HTTP answer."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from careteams.errors import DomainError, NotFound


class DomainErrorMiddleware:
    """NotFound is a 404 (the record does not exist for this user); any other domain error
    re-renders as a page that says what went wrong, with its status. Views may still catch
    errors themselves to show them beside a form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, DomainError):
            return render(
                request,
                "domain_error.html",
                {"title": exception.title, "detail": exception.detail},
                status=exception.status,
            )
        return None
