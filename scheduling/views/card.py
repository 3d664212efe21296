"""The visit card: the page a carer opens from My day, on the doorstep."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.versioned_forms import posted_version
from scheduling import selectors
from scheduling.services import visits as visit_services
from scheduling.views.card_common import render_card


@login_required
@require_GET
def visit_card(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
    return render_card(request, card, part=request.GET.get("part", ""))


def _failed(
    request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID, error: DomainError
) -> HttpResponse:
    """Why it did not happen, on the card beside the visit's current state."""
    if isinstance(error, NotFound):
        raise error
    card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
    return render_card(request, card, errors=[error.detail], status=error.status)


@login_required
@require_POST
def visit_check_in(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        visit = visit_services.visit_check_in(
            visit=visit, version=posted_version(request), member=me, actor=request.user
        )
    except DomainError as error:
        return _failed(request, team_id, visit_id, error)
    assert visit.checked_in_at is not None
    moment = visit.checked_in_at.astimezone(team.zone)
    messages.success(request, f"Checked in at {moment:%H:%M}.")
    return redirect("scheduling:visit-card", team_id=team.id, visit_id=visit.id)


@login_required
@require_http_methods(["GET", "POST"])
def visit_check_out(
    request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID
) -> HttpResponse:
    """GET: what is left before leaving (tasks not marked, no visit note yet); POST: leave."""
    if request.method == "GET":
        card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
        return render(request, "scheduling/visit_check_out.html", {"card": card, "errors": []})
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        visit = visit_services.visit_check_out(
            visit=visit, version=posted_version(request), member=me, actor=request.user
        )
    except DomainError as error:
        return _failed(request, team_id, visit_id, error)
    assert visit.checked_out_at is not None
    moment = visit.checked_out_at.astimezone(team.zone)
    messages.success(request, f"Checked out at {moment:%H:%M}.")
    return redirect("scheduling:visit-card", team_id=team.id, visit_id=visit.id)
