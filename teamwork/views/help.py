"""The team asks its coach for help; the coach answers from their home."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import add_error, submit_versioned
from teamwork.forms import AnswerForm, HelpForm
from teamwork.selectors import help as selectors
from teamwork.services import help as services


@login_required
@require_http_methods(["GET", "POST"])
def team_help(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team, requests = selectors.help_requests_of(user=request.user, team_id=team_id)
    status = 200
    if request.method == "POST":
        form = HelpForm(request.POST)
        if form.is_valid():
            try:
                services.help_request_ask(
                    team=team,
                    topic=form.cleaned_data["topic"],
                    text=form.cleaned_data["text"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Your coach has been asked."))
                return redirect("teamwork:help", team_id=team.id)
        status = 400
    else:
        form = HelpForm()
    return render(
        request,
        "teamwork/help.html",
        {"team": team, "requests": requests, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def coach_answer(request: AuthedRequest, request_id: uuid.UUID) -> HttpResponse:
    asked = selectors.help_request_for_coach(user=request.user, request_id=request_id)
    status = 200
    if request.method == "POST":
        result = submit_versioned(
            data=request.POST,
            make=AnswerForm,
            save=lambda form: services.help_request_answer(
                request=asked,
                answer=form.cleaned_data["answer"],
                version=form.cleaned_data["version"],
                actor=request.user,
            ),
            current_version=lambda: (
                selectors.help_request_for_coach(user=request.user, request_id=request_id).version
            ),
        )
        if result.saved:
            messages.success(
                request, _("Your answer is with %(team)s.") % {"team": asked.team.name}
            )
            return redirect("coach-home")
        form, status = result.form, result.status
    else:
        form = AnswerForm(initial={"answer": asked.answer, "version": asked.version})
    return render(
        request, "teamwork/coach_answer.html", {"asked": asked, "form": form}, status=status
    )
