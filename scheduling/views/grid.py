"""The rota grid's actions: the hints for a visit (who could take it, ranked), and moving one
carer's place on a visit to another row (by touch, keyboard or drag: the same request)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.models import Membership, Team
from careteams.versioned_forms import posted_version
from scheduling import selectors
from scheduling.models import Visit
from scheduling.selectors.hints import visit_hints
from scheduling.services import visits as services
from scheduling.views.week import PARTS, is_htmx, render_week, week_action, week_url

OPEN = "open"


def _member(request: AuthedRequest, team: Team, text: str, *, field: str) -> Membership | None:
    """The member a form names, or None for none; a stale or forged id is refused by name."""
    if not text or text == OPEN:
        return None
    try:
        member_id = uuid.UUID(text)
    except ValueError:
        member_id = None
    found = (
        selectors.member_of_team(user=request.user, team=team, member_id=member_id)
        if member_id
        else None
    )
    if found is None:
        raise DomainError(_("Choose a current member of this team."), field=field)
    return found


def _visit(request: AuthedRequest, team: Team, text: str) -> Visit:
    try:
        visit_id = uuid.UUID(text)
    except ValueError as exc:
        raise DomainError(_("Choose a visit on the grid first."), field="visit") from exc
    return selectors.visit_get(user=request.user, team=team, visit_id=visit_id)


def _move(request: AuthedRequest, team: Team, visit: Visit) -> str:
    """Call the board's assignment services for the move the form asks for; what was done."""
    version = posted_version(request)
    from_member = _member(request, team, request.POST.get("from", ""), field="from")
    to_member = _member(request, team, request.POST.get("to", ""), field="to")
    # Always a text (blank when none was given): a move made by a person needs one when it
    # breaks a hard rule (scheduling/services/visits.py).
    reason = request.POST.get("reason", "")
    name = visit.client.full_name
    when = timezone.localtime(visit.planned_start, team.zone).strftime("%H:%M")
    if to_member is None and request.POST.get("to") != OPEN:
        raise DomainError(_("Choose the row to move the visit to."), field="to")
    if to_member is None:
        if from_member is None:
            raise DomainError(_("This place is already open."), field="to")
        services.visit_unassign(
            visit=visit, version=version, member=from_member, actor=request.user
        )
        return _("%(name)s at %(when)s is open again.") % {"name": name, "when": when}
    if from_member is None:
        services.visit_assign(
            visit=visit, version=version, member=to_member, actor=request.user, reason=reason
        )
    else:
        services.visit_move(
            visit=visit,
            version=version,
            from_member=from_member,
            member=to_member,
            actor=request.user,
            reason=reason,
        )
    return _("%(name)s at %(when)s moved to %(member)s.") % {
        "name": name,
        "when": when,
        "member": selectors.member_name(to_member),
    }


@login_required
@require_POST
def grid_move(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    """Move one place on a visit to another row of the grid (or to the open row). Answers the
    grid of the visit's day, the moved block focused; a refused move answers the grid as it
    stands with the reason, and its status."""
    team, monday = week_action(request, team_id, week)
    visit = _visit(request, team, request.POST.get("visit", ""))
    day = visit.planned_start.astimezone(team.zone).date()
    done, errors, status = "", [], 200
    try:
        done = _move(request, team, visit)
    except DomainError as refused:
        errors, status = [refused.detail], refused.status
    if not is_htmx(request):
        for error in errors:
            messages.error(request, error)
        if done:
            messages.success(request, done)
        return redirect(week_url(team.id, monday, day=day) + "&view=grid#grid")
    board = selectors.week_board(
        user=request.user, team_id=team.id, monday=monday, day=day, all_visits=False
    )
    to = request.POST.get("to", "")
    response = render_week(
        request,
        board,
        PARTS["grid"],
        status=status,
        view="grid",
        updated=done,
        errors=errors,
        focus_key=f"g-{visit.id}-{to if done else request.POST.get('from') or OPEN}",
    )
    if done:
        response["HX-Trigger"] = "rota-changed"
    return response


@login_required
@require_GET
def grid_hints(
    request: AuthedRequest, team_id: uuid.UUID, week: str, visit_id: uuid.UUID
) -> HttpResponse:
    """Who could take a visit, ranked, each with what taking it would mean."""
    team, _monday = week_action(request, team_id, week)
    visit = selectors.visit_get(user=request.user, team=team, visit_id=visit_id)
    try:
        from_member = _member(request, team, request.GET.get("from", ""), field="from")
    except DomainError:
        from_member = None
    hints = visit_hints(user=request.user, team=team, visit=visit, from_member=from_member)
    context = {
        "team": team,
        "found": hints,
        "move_url": request.path.rsplit("/hints/", 1)[0] + "/move/",
        "start_text": visit.planned_start.astimezone(team.zone).strftime("%H:%M"),
        "end_text": visit.planned_end.astimezone(team.zone).strftime("%H:%M"),
    }
    with timezone.override(team.zone):
        return render(request, "scheduling/week_grid_hints.html", context)
