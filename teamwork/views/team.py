"""The team's settings, its members' skills and hours, rotating role terms, and the history."""

import uuid
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams import services as team_services
from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.models import Membership, Team, TeamRole
from careteams.versioned_forms import add_error, posted_version, submit_versioned
from teamwork.forms import MemberForm, RoleTermForm, settings_form_class
from teamwork.selectors import governance
from teamwork.services import roles as role_services


def _details(team: Team, changed: dict[str, Any]) -> team_services.TeamDetails:
    """The team's details as stored, with the page's fields changed (the rest stay as they are:
    the page lists only TEAM_SETTINGS_FIELDS)."""
    return replace(
        team_services.team_details_of(team),
        **{k: v for k, v in changed.items() if k in team_services.TEAM_SETTINGS_FIELDS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_settings(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = governance.team_get(user=request.user, team_id=team_id)
    may = governance.may_manage(user=request.user, team=team)
    form_class = settings_form_class()
    status = 200
    if request.method == "POST":
        result = submit_versioned(
            data=request.POST,
            make=form_class,
            save=lambda form: team_services.team_update(
                team=team,
                version=form.cleaned_data["version"],
                details=_details(team, form.cleaned_data),
                actor=request.user,
            ),
            current_version=lambda: governance.team_get(user=request.user, team_id=team_id).version,
        )
        if result.saved:
            messages.success(request, _("The team’s settings are saved."))
            return redirect("teamwork:team-settings", team_id=team.id)
        form, status = result.form, result.status
    else:
        initial = {name: getattr(team, name) for name in team_services.TEAM_SETTINGS_FIELDS}
        form = form_class(initial={**initial, "version": team.version})
    return render(
        request,
        "teamwork/settings.html",
        {
            "team": team,
            "form": form,
            "may_manage": may,
            "manager_label": TeamRole(team.managed_by_role).label
            if team.managed_by_role in TeamRole.values
            else "",
        },
        status=status,
    )


@login_required
@require_GET
def members(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = governance.team_get(user=request.user, team_id=team_id)
    return render(
        request,
        "teamwork/members.html",
        {
            "team": team,
            "members": governance.members_of(user=request.user, team=team),
            "may_manage": governance.may_manage(user=request.user, team=team),
        },
    )


def _member_details(member: Membership, form: MemberForm) -> team_services.MembershipDetails:
    return team_services.MembershipDetails(
        role=member.role,
        contracted_hours=form.cleaned_data["contracted_hours"],
        skills=list(form.cleaned_data["skills"]),
        team_roles=list(member.team_roles or []),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(
    request: AuthedRequest, team_id: uuid.UUID, membership_id: uuid.UUID
) -> HttpResponse:
    team = governance.team_get(user=request.user, team_id=team_id)
    member = governance.member_get(user=request.user, team=team, membership_id=membership_id)
    status = 200
    if request.method == "POST":
        result = submit_versioned(
            data=request.POST,
            make=MemberForm,
            save=lambda form: team_services.membership_update(
                membership=member,
                version=form.cleaned_data["version"],
                details=_member_details(member, form),
                actor=request.user,
            ),
            current_version=lambda: (
                governance.member_get(
                    user=request.user, team=team, membership_id=membership_id
                ).version
            ),
        )
        if result.saved:
            messages.success(
                request,
                _("%(name)s’s details are saved.") % {"name": member.user.get_full_name()},
            )
            return redirect("teamwork:members", team_id=team.id)
        form, status = result.form, result.status
    else:
        form = MemberForm(
            initial={
                "skills": member.skills,
                "contracted_hours": member.contracted_hours,
                "version": member.version,
            }
        )
    return render(
        request,
        "teamwork/member_form.html",
        {
            "team": team,
            "member": member,
            "form": form,
            "may_manage": governance.may_manage(user=request.user, team=team),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roles(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    view = governance.roles_of(user=request.user, team_id=team_id)
    queryset = Membership.objects.filter(pk__in=[m.pk for m in view.members]).select_related("user")
    status = 200
    if request.method == "POST":
        form = RoleTermForm(request.POST, members=queryset)
        if form.is_valid():
            data = form.cleaned_data
            try:
                role_services.role_term_start(
                    team=view.team,
                    member=data["member"],
                    role=data["role"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("The role’s new term is saved."))
                return redirect("teamwork:roles", team_id=view.team.id)
        status = 400
    else:
        form = RoleTermForm(members=queryset, initial={"starts_on": view.today})
    return render(request, "teamwork/roles.html", {"view": view, "form": form}, status=status)


@login_required
@require_POST
def role_term_end(request: AuthedRequest, team_id: uuid.UUID, term_id: uuid.UUID) -> HttpResponse:
    team = governance.team_get(user=request.user, team_id=team_id)
    term = governance.term_get(user=request.user, team=team, term_id=term_id)
    role_services.role_term_end(term=term, version=posted_version(request), actor=request.user)
    messages.success(
        request, _("%(role)s: the term has ended.") % {"role": term.get_role_display()}
    )
    return redirect("teamwork:roles", team_id=team.id)


@login_required
@require_GET
def history(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team, entries = governance.history_of(user=request.user, team_id=team_id)
    return render(request, "teamwork/history.html", {"team": team, "entries": entries})
