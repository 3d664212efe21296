"""The week board and its whole-week actions: generate visits, copy shifts, publish."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from careteams import timeutil
from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.versioned_forms import posted_version
from scheduling import selectors
from scheduling.services import patterns as pattern_services
from scheduling.services import shifts as shift_services
from scheduling.services import weeks as week_services

# The board's fragments that live.js refreshes on its own when the team changes something.
PARTS = {"board"}


def week_url(team_id: uuid.UUID, monday: dt.date, anchor: str = "") -> str:
    url = reverse("scheduling:week", kwargs={"team_id": team_id, "week": monday.isoformat()})
    return f"{url}#{anchor}" if anchor else url


def render_board(
    request: AuthedRequest,
    team_id: uuid.UUID,
    monday: dt.date,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    board = selectors.week_board(user=request.user, team_id=team_id, monday=monday)
    template = "scheduling/week.html"
    if request.method == "GET" and request.GET.get("part") in PARTS:
        template += "#" + request.GET["part"]
    return render(request, template, {"board": board, "errors": errors or []}, status=status)


@login_required
@require_GET
def week_current(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    return redirect(week_url(team.id, timeutil.monday_of(timeutil.local_today(team.zone))))


@login_required
@require_GET
def week(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    monday = selectors.week_from_text(week)
    if monday.isoformat() != week:
        return redirect(week_url(team.id, monday))
    return render_board(request, team_id, monday)


def _week_action(
    request: AuthedRequest, team_id: uuid.UUID, week: str
) -> tuple[selectors.Team, dt.date]:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    monday = selectors.week_from_text(week)
    if monday.isoformat() != week:
        raise NotFound(f"There is no week starting {week}: weeks start on a Monday.")
    return team, monday


@login_required
@require_POST
def week_generate(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team, monday = _week_action(request, team_id, week)
    result = pattern_services.week_generate(team=team, monday=monday, actor=request.user)
    parts = [f"{result.created} visit{'s' if result.created != 1 else ''} made from the patterns"]
    if result.updated:
        parts.append(f"{result.updated} brought up to date")
    if result.removed:
        parts.append(f"{result.removed} no longer in a pattern removed")
    if result.kept:
        parts.append(f"{result.kept} changed by hand kept as they are")
    messages.success(request, "; ".join(parts) + ".")
    return redirect(week_url(team.id, monday, "visits"))


@login_required
@require_POST
def week_copy_shifts(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team, monday = _week_action(request, team_id, week)
    copied = shift_services.shifts_copy_week(team=team, monday=monday, actor=request.user)
    if copied:
        messages.success(
            request, f"Copied {copied} shift{'s' if copied != 1 else ''} from last week."
        )
    else:
        messages.info(request, "No shifts to copy: last week is empty or everything is planned.")
    return redirect(week_url(team.id, monday))


@login_required
@require_POST
def week_publish(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team, monday = _week_action(request, team_id, week)
    try:
        week_services.rota_week_publish(
            team=team, monday=monday, version=posted_version(request), actor=request.user
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return render_board(request, team.id, monday, errors=[error.detail], status=error.status)
    messages.success(
        request, "The week is published. Later changes are shown to the people they affect."
    )
    return redirect(week_url(team.id, monday))
