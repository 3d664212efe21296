"""A visit's page (details, carers, change, cancel, offer), one-off visits, and patterns."""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams import dates, timeutil
from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.models import Team
from careteams.versioned_forms import add_error, posted_version, submit_versioned
from scheduling import selectors
from scheduling.forms import MemberActionForm, PatternForm, VisitForm
from scheduling.models import Visit, VisitPattern
from scheduling.selectors import patterns as pattern_selectors
from scheduling.services import patterns as pattern_services
from scheduling.services import swaps as swap_services
from scheduling.services import visits as services
from scheduling.services.patterns import PatternDetails
from scheduling.services.visits import VisitDetails
from scheduling.views.common import back
from scheduling.views.week import is_htmx, render_board, render_row, week_url


def _monday(team: Team, visit: Visit) -> dt.date:
    return timeutil.monday_of(visit.planned_start.astimezone(team.zone).date())


def _visit_url(team: Team, visit: Visit) -> str:
    return reverse("scheduling:visit", kwargs={"team_id": team.id, "visit_id": visit.id})


def _visit_initial(visit: Visit, team: Team) -> dict[str, Any]:
    zone = team.zone
    return {
        "client": visit.client,
        "day": visit.planned_start.astimezone(zone).date(),
        "start_time": visit.planned_start.astimezone(zone).time(),
        "end_time": visit.planned_end.astimezone(zone).time(),
        "earliest": visit.window_start.astimezone(zone).time() if visit.window_start else None,
        "latest": visit.window_end.astimezone(zone).time() if visit.window_end else None,
        "required_skills": visit.required_skills,
        "required_role": visit.required_role,
        "carers_needed": visit.carers_needed,
        "tasks": "\n".join(visit.tasks),
        "version": visit.version,
    }


def _details(data: dict[str, Any]) -> VisitDetails:
    return VisitDetails(
        start=data["start"],
        end=data["end"],
        window_start=data["window_start"],
        window_end=data["window_end"],
        required_skills=data["required_skills"],
        carers_needed=data["carers_needed"],
        tasks=data["tasks"],
        required_role=data["required_role"],
    )


def _render_visit(
    request: AuthedRequest,
    team: Team,
    visit: Visit,
    *,
    form: VisitForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    members = selectors.team_members(user=request.user, team=team)
    clients = selectors.clients_of_team(user=request.user, team=team)
    form = form or VisitForm(initial=_visit_initial(visit, team), clients=clients, zone=team.zone)
    on_visit = {a.member_id for a in visit.assignments.all()}
    context = {
        "team": team,
        "visit": visit,
        "form": form,
        "errors": errors or [],
        "assignments": list(visit.assignments.all()),
        "free_members": [m for m in members if m.id not in on_visit],
        "me": selectors.membership_in(user=request.user, team=team),
        "week": _monday(team, visit),
        # The board opens on the visit's day, in the view the person last chose (the anchor
        # finds the visit's row in the list).
        "day": visit.planned_start.astimezone(team.zone).date(),
    }
    return render(request, "scheduling/visit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def visit(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    found = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    if request.method == "GET":
        return _render_visit(request, team, found)
    clients = selectors.clients_of_team(user=request.user, team=team)

    def save(form: VisitForm) -> Visit:
        data = form.cleaned_data
        if data["client"].pk != found.client_id:
            raise DomainError(
                _("A visit stays with its client: cancel it and add a new one."), field="client"
            )
        return services.visit_update(
            visit=found, version=data["version"], details=_details(data), actor=request.user
        )

    def stored() -> int:
        found.refresh_from_db()
        return found.version

    submitted = submit_versioned(
        data=request.POST,
        make=lambda d: VisitForm(d, clients=clients, zone=team.zone),
        save=save,
        current_version=stored,
    )
    if submitted.saved:
        messages.success(
            request, _("Visit changed. It is kept as it is when the week is generated again.")
        )
        return redirect(_visit_url(team, found))
    return _render_visit(request, team, found, form=submitted.form, status=submitted.status)


def _visit_action_failed(
    request: AuthedRequest, team: Team, visit_id: uuid.UUID, error: DomainError
) -> HttpResponse:
    """Show why, beside the current state: on the board when the action came from there."""
    if isinstance(error, NotFound):
        raise error
    found = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    if request.POST.get("from") == "week" and is_htmx(request):
        board, row = selectors.visit_row(user=request.user, team_id=team.id, visit_id=visit_id)
        return render_row(request, board, row, errors=[error.detail], status=error.status)
    if request.POST.get("from") == "week":
        day = found.planned_start.astimezone(team.zone).date()
        return render_board(
            request,
            team.id,
            _monday(team, found),
            day=day,
            errors=[error.detail],
            status=error.status,
        )
    return _render_visit(request, team, found, errors=[error.detail], status=error.status)


def _member_action(
    request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID, *, assign: bool
) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    found = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    members = selectors.team_members(user=request.user, team=team)
    form = MemberActionForm(request.POST, members=members)
    try:
        if not form.is_valid():
            field, problems = next(iter(form.errors.items()))
            raise DomainError(str(problems[0]), field=field)
        member = form.cleaned_data["member"]
        version = form.cleaned_data["version"]
        if assign:
            # A carer chosen by hand: a choice that breaks a hard rule needs its reason.
            reason = request.POST.get("reason", "")
            services.visit_assign(
                visit=found, version=version, member=member, actor=request.user, reason=reason
            )
        else:
            services.visit_unassign(visit=found, version=version, member=member, actor=request.user)
    except DomainError as error:
        return _visit_action_failed(request, team, visit_id, error)
    if request.POST.get("from") == "week" and is_htmx(request):
        # Only this visit's row goes back: the view stays where it was (rota.js keeps it).
        board, row = selectors.visit_row(user=request.user, team_id=team.id, visit_id=visit_id)
        name = selectors.member_name(member)
        done = f"{name} assigned." if assign else f"{name} taken off this visit."
        return render_row(request, board, row, updated=done)
    day = found.planned_start.astimezone(team.zone).date()
    return back(request, week_url(team.id, _monday(team, found), f"visit-{found.id}", day=day))


@login_required
@require_POST
def visit_assign(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    return _member_action(request, team_id, visit_id, assign=True)


@login_required
@require_POST
def visit_unassign(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    return _member_action(request, team_id, visit_id, assign=False)


@login_required
@require_POST
def visit_cancel(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    found = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    try:
        services.visit_cancel(visit=found, version=posted_version(request), actor=request.user)
    except DomainError as error:
        return _visit_action_failed(request, team, visit_id, error)
    messages.success(request, _("Visit cancelled."))
    return redirect(_visit_url(team, found))


@login_required
@require_POST
def visit_offer(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    found = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        swap_services.swap_offer_create(team=team, offered_by=me, visit=found, actor=request.user)
    except DomainError as error:
        return _visit_action_failed(request, team, visit_id, error)
    messages.success(request, _("Your visit is offered to the team."))
    return redirect("scheduling:swaps", team_id=team.id)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    clients = selectors.clients_of_team(user=request.user, team=team)
    if request.method == "POST":
        form = VisitForm(request.POST, clients=clients, zone=team.zone)
        if form.is_valid():
            try:
                created = services.visit_create(
                    team=team,
                    client=form.cleaned_data["client"],
                    details=_details(form.cleaned_data),
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Visit added."))
                return redirect(_visit_url(team, created))
        return render(
            request, "scheduling/visit_new.html", {"team": team, "form": form}, status=400
        )
    day = dates.query_date(request.GET, "day") or timeutil.local_today(team.zone)
    initial = {
        "day": day,
        "start_time": dt.time(9, 0),
        "end_time": dt.time(9, 30),
        "carers_needed": 1,
    }
    form = VisitForm(initial=initial, clients=clients, zone=team.zone)
    return render(request, "scheduling/visit_new.html", {"team": team, "form": form})


# Patterns ----------------------------------------------------------------------------------


@login_required
@require_GET
def patterns(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    rows = pattern_selectors.pattern_rows(user=request.user, team=team)
    return render(request, "scheduling/patterns.html", {"team": team, "rows": rows})


def _pattern_details(data: dict[str, Any]) -> PatternDetails:
    return PatternDetails(
        weekdays=data["weekdays"],
        window_start=data["window_start"],
        window_end=data["window_end"],
        duration_minutes=data["duration_minutes"],
        required_skills=data["required_skills"],
        carers_needed=data["carers_needed"],
        tasks=data["tasks"],
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        active=data["active"],
        interval_weeks=data["interval_weeks"],
        usual_carers=[member.pk for member in data["usual_carers"]],
        required_role=data["required_role"],
    )


def _pattern_initial(pattern: VisitPattern) -> dict[str, Any]:
    return {
        "client": pattern.client,
        "weekdays": pattern.weekdays,
        "window_start": pattern.window_start,
        "window_end": pattern.window_end,
        "duration_minutes": pattern.duration_minutes,
        "required_skills": pattern.required_skills,
        "required_role": pattern.required_role,
        "carers_needed": pattern.carers_needed,
        "tasks": "\n".join(pattern.tasks),
        "valid_from": pattern.valid_from,
        "valid_until": pattern.valid_until,
        "active": pattern.active,
        "interval_weeks": pattern.interval_weeks,
        "usual_carers": pattern.usual_carers,
        "version": pattern.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def pattern_new(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    clients = selectors.clients_of_team(user=request.user, team=team)
    members = selectors.team_members(user=request.user, team=team)
    if request.method == "POST":
        form = PatternForm(request.POST, clients=clients, members=members)
        if form.is_valid():
            try:
                pattern_services.visit_pattern_create(
                    team=team,
                    client=form.cleaned_data["client"],
                    details=_pattern_details(form.cleaned_data),
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, "Pattern saved. Generate a week to make its visits.")
                return redirect("scheduling:patterns", team_id=team.id)
        return render(
            request, "scheduling/pattern_form.html", {"team": team, "form": form}, status=400
        )
    initial: dict[str, Any] = {
        "valid_from": timeutil.local_today(team.zone),
        "active": True,
        "carers_needed": 1,
        "duration_minutes": 30,
        "interval_weeks": 1,
    }
    client_id = request.GET.get("client", "")
    client = clients.filter(pk=client_id).first() if len(client_id) == 36 else None
    if client is not None:
        initial["client"] = client
    form = PatternForm(initial=initial, clients=clients, members=members)
    return render(request, "scheduling/pattern_form.html", {"team": team, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def pattern_edit(request: AuthedRequest, team_id: uuid.UUID, pattern_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    pattern = selectors.pattern_get(user=request.user, team=team, pattern_id=pattern_id)
    clients = selectors.clients_of_team(user=request.user, team=team)
    members = selectors.team_members(user=request.user, team=team)
    if request.method == "GET":
        form = PatternForm(initial=_pattern_initial(pattern), clients=clients, members=members)
        return render(
            request,
            "scheduling/pattern_form.html",
            {"team": team, "form": form, "pattern": pattern},
        )

    def save(form: PatternForm) -> VisitPattern:
        data = form.cleaned_data
        if data["client"].pk != pattern.client_id:
            raise DomainError(
                "A pattern stays with its client: add a new one instead.", field="client"
            )
        return pattern_services.visit_pattern_update(
            pattern=pattern,
            version=data["version"],
            details=_pattern_details(data),
            actor=request.user,
        )

    def stored() -> int:
        pattern.refresh_from_db()
        return pattern.version

    submitted = submit_versioned(
        data=request.POST,
        make=lambda d: PatternForm(d, clients=clients, members=members),
        save=save,
        current_version=stored,
    )
    if submitted.saved:
        messages.success(
            request, "Pattern saved. Generate a week again to bring its visits up to date."
        )
        return redirect("scheduling:patterns", team_id=team.id)
    context = {"team": team, "form": submitted.form, "pattern": pattern}
    return render(request, "scheduling/pattern_form.html", context, status=submitted.status)
