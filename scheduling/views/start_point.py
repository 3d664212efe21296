"""Where the signed-in person starts their working day: their own, and only theirs. The page
never names anyone else's; the planner reads them on the server."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careteams.errors import Conflict, DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import add_error, posted_version
from scheduling.forms_start_point import WHY, StartPointForm
from scheduling.selectors.start_point import start_point_of
from scheduling.services import start_point as services
from scheduling.start_models import StartPoint


def _page(
    request: AuthedRequest,
    form: StartPointForm,
    current: StartPoint | None,
    status: int = 200,
    errors: tuple[str, ...] = (),
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "current": current, "why": WHY, "errors": errors}
    response = render(request, "scheduling/start_point.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # someone's home: never kept on the way
    return response


def _initial(current: StartPoint | None) -> dict[str, Any]:
    if current is None:
        return {}
    return {
        "latitude": current.latitude,
        "longitude": current.longitude,
        "version": current.version,
    }


def _based_on_stored(data: QueryDict, stored: StartPoint | None) -> QueryDict:
    """The person's answers again, now based on what is stored (a conflict: nothing is
    overwritten until they send them again)."""
    fresh = data.copy()
    fresh["version"] = "" if stored is None else str(stored.version)
    return fresh


@login_required
@require_http_methods(["GET", "POST"])
def start_point(request: AuthedRequest) -> HttpResponse:
    current = start_point_of(user=request.user)
    if request.method != "POST":
        return _page(request, StartPointForm(initial=_initial(current)), current)
    form = StartPointForm(request.POST)
    if not form.is_valid():
        return _page(request, form, current, status=400)
    data = form.cleaned_data
    try:
        services.start_point_set(
            user=request.user,
            latitude=data["latitude"],
            longitude=data["longitude"],
            version=data["version"],
            actor=request.user,
        )
    except Conflict as error:
        current = start_point_of(user=request.user)
        form = StartPointForm(_based_on_stored(request.POST, current))
        form.is_valid()
        add_error(form, error)
        return _page(request, form, current, status=error.status)
    except DomainError as error:
        add_error(form, error)
        return _page(request, form, current, status=error.status)
    messages.success(request, _("Saved. The planner counts your travel from here."))
    return redirect("scheduling:start-point")


@login_required
@require_POST
def start_point_forget(request: AuthedRequest) -> HttpResponse:
    try:
        services.start_point_clear(
            user=request.user, version=posted_version(request), actor=request.user
        )
    except DomainError as error:
        current = start_point_of(user=request.user)
        form = StartPointForm(initial=_initial(current))
        return _page(request, form, current, status=error.status, errors=(error.detail,))
    messages.success(request, _("Forgotten. The planner counts your day from your first visit."))
    return redirect("scheduling:start-point")
