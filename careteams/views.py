"""Landing pages. Each role gets its own door; the capability pages hang off these."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from careteams import access, health, hooks, selectors, services
from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import posted_version


@login_required
def home(request: HttpRequest) -> HttpResponse:
    target = selectors.landing_url_name(request.user)
    if target == hooks.member_landing():
        team = access.member_teams(request.user).order_by("name").first()
        assert team is not None
        return redirect(target, team_id=team.id)
    if target == "no-access":
        return render(request, "careteams/no_access.html")
    return redirect(target)


@login_required
def team_home(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    overview = selectors.team_overview(user=request.user, team_id=team_id)
    return render(request, "careteams/team_home.html", {"overview": overview})


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(
    request: AuthedRequest, team_id: uuid.UUID, membership_id: uuid.UUID
) -> HttpResponse:
    """Mark a colleague (or oneself) as having left the team: their access ends at once."""
    membership = selectors.membership_for_member(
        user=request.user, team_id=team_id, membership_id=membership_id
    )
    may_end = selectors.may_end_membership(user=request.user, membership=membership)
    error = "" if may_end else _("Only those your team chose for membership changes may do this.")
    status = 200 if may_end else 403
    if request.method == "POST" and may_end:
        try:
            services.membership_end(
                membership=membership, version=posted_version(request), actor=request.user
            )
        except DomainError as exc:
            error, status = exc.detail, 409 if exc.status == 400 else exc.status
        else:
            name = membership.user.get_full_name()
            messages.success(
                request, _("%(name)s has left the team; their access has ended.") % {"name": name}
            )
            if membership.user_id == request.user.pk:
                return redirect("home")
            return redirect("team-home", team_id=team_id)
    return render(
        request,
        "careteams/membership_end.html",
        {"membership": membership, "may_end": may_end, "errors": [error] if error else []},
        status=status,
    )


@login_required
def coach_home(request: HttpRequest) -> HttpResponse:
    teams = list(selectors.coached_teams_summary(user=request.user))
    if not teams:
        raise Http404
    return render(request, "careteams/coach_home.html", {"teams": teams})


@login_required
def family_home(request: HttpRequest) -> HttpResponse:
    clients = list(selectors.family_clients(user=request.user))
    if not clients:
        raise Http404
    # The heading in both languages when any of their teams chooses it (careteams.bilingual).
    bilingual = selectors.notices_bilingual(team_ids={client.team_id for client in clients})
    return render(
        request, "careteams/family_home.html", {"clients": clients, "bilingual": bilingual}
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when this worker can serve writes, 503 otherwise, with each
    check (database read and write, cache, channel layer) in the body (careteams/health.py)."""
    status, body = health.report()
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
