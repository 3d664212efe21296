"""The visit card: the page a carer opens from My day, on the doorstep. Checking in (guarded:
far outside the window asks for a reason first), withdrawing a mistaken check-in, the tasks
one row at a time, checking out."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams.errors import ConfirmationNeeded, DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.versioned_forms import posted_version
from scheduling import hooks, selectors
from scheduling.services import attendance, visit_records
from scheduling.services.attendance import DeviceLocation
from scheduling.views.card_common import card_url, render_card
from scheduling.visit_models import NotDoneReason


@login_required
@require_GET
def visit_card(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
    return render_card(request, card, part=request.GET.get("part", ""))


def _failed(
    request: AuthedRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    error: DomainError,
    **extra: object,
) -> HttpResponse:
    """Why it did not happen, on the card beside the visit's current state."""
    if isinstance(error, NotFound):
        raise error
    card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
    return render_card(request, card, errors=[error.detail], status=error.status, extra=extra)


def _back_to_card(
    request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID, at: str = ""
) -> HttpResponse:
    url = reverse("scheduling:visit-card", kwargs={"team_id": team_id, "visit_id": visit_id})
    return redirect(f"{url}#{at}" if at else url)


def _number(request: AuthedRequest, name: str) -> float | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise DomainError(_("The tablet's location was not a number."), field=name) from None


def _shared_location(request: AuthedRequest) -> DeviceLocation | None:
    """The tablet's location, only when the carer ticked the box (the page's script fills it)."""
    if request.POST.get("share_location") != "1":
        return None
    return DeviceLocation(
        _number(request, "latitude"), _number(request, "longitude"), _number(request, "accuracy_m")
    )


@login_required
@require_POST
def visit_check_in(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """Check in for oneself. A check-in far outside the window comes back as a step asking to
    confirm with a reason; a carer not on the visit checks in as also attending (`extra`)."""
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    me = selectors.membership_in(user=request.user, team=team)
    confirm = request.POST.get("confirm") == "1"
    reason = request.POST.get("reason", "")
    try:
        visit = attendance.visit_check_in(
            visit=visit,
            version=posted_version(request),
            member=me,
            actor=request.user,
            confirm=confirm,
            reason=reason,
            extra=request.POST.get("extra") == "1",
            where=_shared_location(request),
        )
    except ConfirmationNeeded as error:
        return _failed(
            request,
            team_id,
            visit_id,
            error,
            confirming=True,
            extra_attendee=request.POST.get("extra") == "1",
        )
    except DomainError as error:
        return _failed(
            request,
            team_id,
            visit_id,
            error,
            confirming=confirm,
            reason=reason,
            extra_attendee=request.POST.get("extra") == "1",
        )
    messages.success(request, _("Checked in."))
    # Inside the door the work is the tasks: the card opens at them.
    return _back_to_card(request, team.id, visit.id, at="tasks")


@login_required
@require_POST
def visit_check_in_withdraw(
    request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID
) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        attendance.visit_check_in_withdraw(
            visit=visit,
            version=posted_version(request),
            member=me,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        return _failed(request, team_id, visit_id, error)
    messages.success(request, _("Your check-in is withdrawn. It stays in the visit's history."))
    return _back_to_card(request, team.id, visit.id)


def _check_out_page(
    request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID, errors: list[str], status: int
) -> HttpResponse:
    card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
    sections = [s for s in hooks.card_sections(request.user, card) if s.place == "check_out"]
    context = {"card": card, "errors": errors, "sections": sections}
    return render(request, "scheduling/visit_check_out.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def visit_check_out(
    request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID
) -> HttpResponse:
    """GET: what is left before leaving (tasks not marked, no visit note yet, what the apps
    above the rota list, such as doses without an outcome); POST: leave."""
    if request.method == "GET":
        return _check_out_page(request, team_id, visit_id, [], 200)
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        attendance.visit_check_out(
            visit=visit, version=posted_version(request), member=me, actor=request.user
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _check_out_page(request, team_id, visit_id, [error.detail], error.status)
    messages.success(request, _("Checked out."))
    return _back_to_card(request, team.id, visit.id)


@login_required
@require_POST
def visit_task(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """One task's outcome. With htmx only the task's row comes back; without, the whole card."""
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    key = request.POST.get("task_key", "")
    error: DomainError | None = None
    try:
        visit_records.visit_task_outcome_record(
            visit=visit,
            task_key=key,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except DomainError as error_:
        if isinstance(error_, NotFound):
            raise
        error = error_
    card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
    index = next((i for i, t in enumerate(card.tasks, start=1) if t.key == key), None)
    status = error.status if error else 200
    if request.headers.get("HX-Request") and index is not None:
        return render(
            request,
            "scheduling/visit_card.html#task",
            {
                "card": card,
                "visit": card.visit,
                "team": card.team,
                "task": card.tasks[index - 1],
                "index": index,
                "task_error": error.detail if error else "",
                "task_field": error.field if error else "",
                "reasons": NotDoneReason.choices,
            },
            status=status,
        )
    if error is not None:
        return render_card(request, card, errors=[error.detail], status=status)
    return redirect(f"{card_url(card)}#task-{index}")
