"""Publishing a week: a summary first (errors, warnings, visits without a carer, who is
affected), then the team's confirmation."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.versioned_forms import posted_version
from scheduling.selectors.publish import PublishSummary, publish_summary
from scheduling.services import weeks as week_services
from scheduling.views.week import week_action, week_url


def _render(
    request: AuthedRequest, summary: PublishSummary, errors: list[str], status: int = 200
) -> HttpResponse:
    board = summary.board
    context = {"summary": summary, "board": board, "errors": errors}
    with timezone.override(board.team.zone):
        return render(request, "scheduling/week_publish.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def week_publish(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team, monday = week_action(request, team_id, week)
    summary = publish_summary(user=request.user, team_id=team.id, monday=monday)
    if request.method == "GET":
        return _render(request, summary, [])
    if request.POST.get("seen") != summary.seen:
        return _render(
            request,
            summary,
            [_("The week changed since this summary was shown: check it again before publishing.")],
            status=409,
        )
    if summary.needs_confirmation and request.POST.get("confirm") != "yes":
        return _render(
            request,
            summary,
            [_("Tick the box to say the team publishes the week with these problems.")],
            status=400,
        )
    try:
        week_services.rota_week_publish(
            team=team, monday=monday, version=posted_version(request), actor=request.user
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _render(request, summary, [error.detail], status=error.status)
    told = len(summary.affected)
    messages.success(
        request,
        ngettext(
            "The week is published. %(n)s member with work this week gets one notice; "
            "later changes are shown to the people they affect.",
            "The week is published. %(n)s members with work this week get one notice each; "
            "later changes are shown to the people they affect.",
            told,
        )
        % {"n": told},
    )
    return redirect(week_url(team.id, monday))
