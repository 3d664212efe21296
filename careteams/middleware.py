"""Domain errors raised anywhere under a page become the right HTTP answer."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from careteams.access_log import refused_read_record
from careteams.errors import DomainError, NotFound
from careteams.models import Door


class DomainErrorMiddleware:
    """NotFound is a 404 (the record does not exist for this user); any other domain error
    re-renders as a page that says what went wrong, with its status. Views may still catch
    errors themselves to show them beside a form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound | Http404):
            self._record_refusal(request)
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, DomainError):
            return render(
                request,
                "domain_error.html",
                {"title": gettext(exception.title), "detail": exception.detail},
                status=exception.status,
            )
        return None

    @staticmethod
    def _record_refusal(request: HttpRequest) -> None:
        """A page about a client the user may not see: the read log keeps the attempt."""
        match = request.resolver_match
        client_id = match.kwargs.get("client_id") if match else None
        if client_id is None:
            return
        door = Door.PDF if request.path.endswith(".pdf") else Door.PAGE
        what = match.url_name.replace("-", " ") if match and match.url_name else "record"
        refused_read_record(user=request.user, client_id=client_id, what=what, door=door)


class NoStoreMiddleware:
    """Pages and API answers for a signed-in person may carry client data: no browser, proxy or
    shared tablet may keep a copy (`Cache-Control: no-store`). Static files never get here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response
