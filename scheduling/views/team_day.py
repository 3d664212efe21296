"""The team's day: what is happening today, who is late and whom to call, missed visits."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.versioned_forms import posted_version
from scheduling import selectors
from scheduling.selectors.team_day import team_day
from scheduling.services import visit_records


def _render(
    request: AuthedRequest,
    team_id: uuid.UUID,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    data = team_day(user=request.user, team_id=team_id)
    template = "scheduling/team_day.html"
    if request.GET.get("part") == "day":
        template += "#day"
    return render(request, template, {"day": data, "errors": errors or []}, status=status)


@login_required
@require_GET
def team_today(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    return _render(request, team_id)


@login_required
@require_POST
def visit_missed(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """Why nobody came: recorded by anyone in the team, from the team's day."""
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    try:
        visit_records.visit_missed_record(
            visit=visit,
            version=posted_version(request),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _render(request, team.id, errors=[error.detail], status=error.status)
    messages.success(request, _("Reason recorded."))
    return redirect("scheduling:team-today", team_id=team.id)
