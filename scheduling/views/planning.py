"""'Suggest carers': start a run of the planner, stop it, accept all, some or none of its
proposals. The run and its proposals are shown by the board's planning fragment."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from scheduling import selectors
from scheduling.models import PlanRun
from scheduling.services import planning as services
from scheduling.views.week import PARTS, asked_day, is_htmx, render_week, week_action, week_url


def _back(
    request: AuthedRequest,
    team_id: uuid.UUID,
    monday: dt.date,
    part: str = "planning",
    *,
    error: str = "",
) -> HttpResponse:
    """To the board, on the day it showed; with htmx, the fragment that changed (with the
    reason, when the action was refused)."""
    day = asked_day(request.POST)
    if is_htmx(request):
        board = selectors.week_board(
            user=request.user, team_id=team_id, monday=monday, day=day, all_visits=False
        )
        status = 400 if error else 200
        response = render_week(
            request, board, PARTS[part], status=status, day_update=True, plan_error=error
        )
        response["HX-Trigger"] = "rota-changed"
        return response
    if error:
        messages.error(request, error)
    return redirect(week_url(team_id, monday, part, day=day))


@login_required
@require_POST
def plan_start(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team, monday = week_action(request, team_id, week)
    day = asked_day(request.POST) if request.POST.get("scope") == "day" else None
    try:
        services.plan_run_start(team=team, monday=monday, day=day, actor=request.user)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _back(request, team.id, monday, error=error.detail)
    return _back(request, team.id, monday)


@login_required
@require_POST
def plan_stop(request: AuthedRequest, team_id: uuid.UUID, run_id: uuid.UUID) -> HttpResponse:
    run = selectors.plan_run_get(user=request.user, team_id=team_id, run_id=run_id)
    try:
        services.plan_run_stop(run=run, actor=request.user)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _back(request, run.team_id, run.week_start, error=error.detail)
    return _back(request, run.team_id, run.week_start)


def _label(run: PlanRun) -> services.Label:
    zone = run.team.zone
    return lambda v: f"{v.client.full_name} at {v.planned_start.astimezone(zone):%a %H:%M}"


@login_required
@require_POST
def plan_accept(request: AuthedRequest, team_id: uuid.UUID, run_id: uuid.UUID) -> HttpResponse:
    """All the open proposals (`all`), or those of the visits selected on the board."""
    run = selectors.plan_run_get(user=request.user, team_id=team_id, run_id=run_id)
    visit_ids = None
    if request.POST.get("all") != "1":
        visit_ids = []
        for text in request.POST.getlist("visit"):
            try:
                visit_ids.append(uuid.UUID(text.partition(":")[0]))
            except ValueError:
                continue
    try:
        results = services.plan_proposals_accept(
            run=run, visit_ids=visit_ids, actor=request.user, label=_label(run)
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _back(request, run.team_id, run.week_start, "day", error=error.detail)
    accepted = [r for r in results if r.ok]
    if accepted:
        messages.success(
            request,
            ngettext(
                "Accepted %(n)s suggestion: the carers are assigned.",
                "Accepted %(n)s suggestions: the carers are assigned.",
                len(accepted),
            )
            % {"n": len(accepted)},
        )
    for refused in (r for r in results if not r.ok):
        messages.error(
            request,
            _("Not assigned, %(visit)s: %(why)s") % {"visit": refused.label, "why": refused.detail},
        )
    return _back(request, run.team_id, run.week_start, "day")


@login_required
@require_POST
def plan_dismiss(request: AuthedRequest, team_id: uuid.UUID, run_id: uuid.UUID) -> HttpResponse:
    run = selectors.plan_run_get(user=request.user, team_id=team_id, run_id=run_id)
    try:
        services.plan_proposals_dismiss(run=run, actor=request.user)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _back(request, run.team_id, run.week_start, error=error.detail)
    messages.info(request, _("Suggestions dismissed: no visit was changed."))
    return _back(request, run.team_id, run.week_start)
