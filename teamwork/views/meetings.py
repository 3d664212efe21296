"""Meetings and their agendas, deciding by consent, decisions and their actions, the log."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams import timeutil
from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.models import Membership, Team
from careteams.versioned_forms import add_error, posted_version
from scheduling.views.common import back
from teamwork.forms import (
    ActionForm,
    AgendaItemForm,
    DecisionForm,
    DecisionSearchForm,
    MeetingForm,
)
from teamwork.models import AgendaItem, Decision
from teamwork.selectors import meetings as selectors
from teamwork.selectors.governance import team_get
from teamwork.services import meetings as services


def _members(team: Team) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(team=team)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team, found = selectors.meetings_of(user=request.user, team_id=team_id)
    status = 200
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    team=team,
                    title=form.cleaned_data["title"],
                    held_on=form.cleaned_data["held_on"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                return redirect("teamwork:meeting", team_id=team.id, meeting_id=meeting.id)
        status = 400
    else:
        form = MeetingForm(
            initial={"title": _("Team meeting"), "held_on": timeutil.local_today(team.zone)}
        )
    return render(
        request,
        "teamwork/meetings.html",
        {"team": team, "meetings": found, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: AuthedRequest, team_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    """The agenda: anyone adds an item; each open item is decided from here."""
    view = selectors.meeting_view(user=request.user, team_id=team_id, meeting_id=meeting_id)
    status = 200
    if request.method == "POST":
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            try:
                services.agenda_item_add(
                    meeting=view.meeting,
                    title=form.cleaned_data["title"],
                    proposal=form.cleaned_data["proposal"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Added to the agenda."))
                return redirect("teamwork:meeting", team_id=team_id, meeting_id=meeting_id)
        status = 400
    else:
        form = AgendaItemForm()
    return render(request, "teamwork/meeting.html", {"view": view, "form": form}, status=status)


def _decision_input(form: DecisionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "text": data["text"],
        "outcome": data["outcome"],
        "present": [m.pk for m in data["present"]],
        "objections": data["objections"],
    }


def _decision_page(
    request: AuthedRequest,
    team: Team,
    *,
    write: Callable[[dict[str, Any]], Decision],
    initial: dict[str, Any],
    done: str,
    item: AgendaItem | None,
    changing: Decision | None,
) -> HttpResponse:
    """The decision form, for a proposal decided or for a decision changed (a new one)."""
    members = _members(team)
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST, members=members)
        if form.is_valid():
            try:
                decision = write(_decision_input(form))
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, done)
                return redirect("teamwork:decision", team_id=team.id, decision_id=decision.id)
        status = 400
    else:
        form = DecisionForm(members=members, initial=initial)
    return render(
        request,
        "teamwork/decide.html",
        {"team": team, "item": item, "form": form, "changing": changing},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_decide(request: AuthedRequest, team_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    team = team_get(user=request.user, team_id=team_id)
    item = selectors.item_get(user=request.user, team=team, item_id=item_id)
    return _decision_page(
        request,
        team,
        write=lambda data: services.decision_record(item=item, actor=request.user, **data),
        initial={"text": item.proposal, "outcome": "agreed"},
        done=_("The decision is recorded."),
        item=item,
        changing=None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_change(
    request: AuthedRequest, team_id: uuid.UUID, decision_id: uuid.UUID
) -> HttpResponse:
    """A change of decision is a new decision that supersedes this one."""
    team = team_get(user=request.user, team_id=team_id)
    old = selectors.decision_get(user=request.user, team=team, decision_id=decision_id)
    return _decision_page(
        request,
        team,
        write=lambda data: services.decision_supersede(decision=old, actor=request.user, **data),
        initial={"text": old.text, "outcome": "changed"},
        done=_("The new decision is recorded; the old one is kept."),
        item=None,
        changing=old,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: AuthedRequest, team_id: uuid.UUID, decision_id: uuid.UUID) -> HttpResponse:
    """One decision, the line it belongs to, its actions; a new action is added here."""
    view = selectors.decision_view(user=request.user, team_id=team_id, decision_id=decision_id)
    members = _members(view.team)
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.action_add(
                    decision=view.decision,
                    text=form.cleaned_data["text"],
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Action added: it is on its owner’s My day."))
                return redirect("teamwork:decision", team_id=team_id, decision_id=decision_id)
        status = 400
    else:
        form = ActionForm(members=members)
    return render(request, "teamwork/decision.html", {"view": view, "form": form}, status=status)


@login_required
@require_POST
def action_done(request: AuthedRequest, team_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    team = team_get(user=request.user, team_id=team_id)
    action = selectors.action_get(user=request.user, team=team, action_id=action_id)
    services.action_done(action=action, version=posted_version(request), actor=request.user)
    messages.success(request, _("Done: %(action)s") % {"action": action.text})
    return back(request, reverse("teamwork:actions", kwargs={"team_id": team.id}))


@login_required
@require_POST
def action_take(request: AuthedRequest, team_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    team = team_get(user=request.user, team_id=team_id)
    action = selectors.action_get(user=request.user, team=team, action_id=action_id)
    services.action_take(action=action, version=posted_version(request), actor=request.user)
    messages.success(
        request, _("Yours: %(action)s. It is on your My day.") % {"action": action.text}
    )
    return back(request, reverse("teamwork:actions", kwargs={"team_id": team.id}))


@login_required
@require_GET
def actions(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team, found = selectors.actions_of(user=request.user, team_id=team_id)
    closed = selectors.closed_actions_of(team=team, now=timezone.now())
    context = {
        "team": team,
        "actions": found,
        "closed": closed,
        "today": timeutil.local_today(team.zone),
    }
    return render(request, "teamwork/actions.html", context)


@login_required
@require_GET
def decisions(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    query = selectors.log_query(request.GET)
    log = selectors.decision_log(user=request.user, team_id=team_id, query=query)
    form = DecisionSearchForm(request.GET or None)
    form.is_valid()
    return render(
        request,
        "teamwork/decisions.html",
        {"log": log, "form": form},
        status=400 if query.errors else 200,
    )
