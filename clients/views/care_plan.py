"""The Omaha care plan: add a problem, its interventions and ratings, resolve it; the PDF."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams import timeutil
from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.models import Door
from careteams.reading import in_readers_language
from careteams.versioned_forms import add_error, submit_versioned
from clients import omaha, pdf
from clients.forms import InterventionForm, ProblemChoiceForm, ProblemForm, RatingForm, ResolveForm
from clients.models import CareProblem, Client
from clients.selectors import records
from clients.services import care_plan as services


@login_required
@require_http_methods(["GET", "POST"])
def problem_new(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    """Two steps without JavaScript: choose the problem, then its modifiers and signs."""
    client = records.client_get(user=request.user, client_id=client_id)
    context: dict[str, Any] = {"client": client}
    if request.method == "POST":
        code = request.POST.get("problem_code", "")
        if code not in omaha.PROBLEMS:
            choice = ProblemChoiceForm(request.POST)
            choice.is_valid()
            choice.errors.pop("problem_code", None)
            choice.add_error("problem_code", _("Choose one of the 42 Omaha problems."))
            return render(
                request, "clients/problem_new.html", {**context, "choice": choice}, status=400
            )
        form = ProblemForm(request.POST, problem_code=code)
        if form.is_valid():
            data = form.cleaned_data
            try:
                problem = services.problem_add(
                    client=client,
                    problem_code=code,
                    scope=data["scope"],
                    severity=data["severity"],
                    signs_symptoms=data["signs_symptoms"],
                    identified_on=data["identified_on"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(problem)s added to the care plan.") % {"problem": problem.problem.name},
                )
                return redirect(
                    "clients:problem-detail", client_id=client.id, problem_id=problem.id
                )
        context |= {"form": form, "problem": omaha.PROBLEMS[code]}
        return render(request, "clients/problem_new.html", context, status=400)
    code = request.GET.get("problem_code", "")
    status = 200
    if code in omaha.PROBLEMS:
        form = ProblemForm(
            initial={
                "problem_code": code,
                "scope": omaha.Scope.INDIVIDUAL,
                "severity": omaha.Severity.ACTUAL,
                "identified_on": timeutil.local_today(client.team.zone),
            },
            problem_code=code,
        )
        context |= {"form": form, "problem": omaha.PROBLEMS[code]}
    else:
        choice = ProblemChoiceForm(request.GET if code else None)
        if code:
            choice.is_valid()
            status = 400
        context["choice"] = choice
    return render(request, "clients/problem_new.html", context, status=status)


def _render_problem(
    request: AuthedRequest,
    client: Client,
    problem: CareProblem,
    *,
    status: int = 200,
    **bound: forms.Form,
) -> HttpResponse:
    view = records.care_plan_problem(problem)
    today = timeutil.local_today(client.team.zone)
    context: dict[str, Any] = {
        "client": client,
        "view": view,
        "problem": problem,
        "intervention_form": InterventionForm(),
        "rating_form": RatingForm(initial={"rated_on": today}),
        "resolve_form": ResolveForm(initial={"resolved_on": today, "version": problem.version}),
        "has_errors": any(form.errors for form in bound.values()),
    }
    context.update(bound)
    return render(request, "clients/problem_detail.html", context, status=status)


@login_required
@require_GET
def problem_detail(
    request: AuthedRequest, client_id: uuid.UUID, problem_id: uuid.UUID
) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    problem = records.problem_get(client=client, problem_id=problem_id)
    return _render_problem(request, client, problem)


@login_required
@require_POST
def intervention_new(
    request: AuthedRequest, client_id: uuid.UUID, problem_id: uuid.UUID
) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    problem = records.problem_get(client=client, problem_id=problem_id)
    form = InterventionForm(request.POST)
    if form.is_valid():
        try:
            services.intervention_add(problem=problem, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Intervention added."))
            return redirect("clients:problem-detail", client_id=client.id, problem_id=problem.id)
    return _render_problem(request, client, problem, status=400, intervention_form=form)


@login_required
@require_POST
def rating_new(request: AuthedRequest, client_id: uuid.UUID, problem_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    problem = records.problem_get(client=client, problem_id=problem_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_add(problem=problem, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Rating recorded."))
            return redirect("clients:problem-detail", client_id=client.id, problem_id=problem.id)
    return _render_problem(request, client, problem, status=400, rating_form=form)


@login_required
@require_POST
def problem_resolve(
    request: AuthedRequest, client_id: uuid.UUID, problem_id: uuid.UUID
) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    problem = records.problem_get(client=client, problem_id=problem_id)

    def stored() -> int:
        problem.refresh_from_db()
        return problem.version

    submitted = submit_versioned(
        data=request.POST,
        make=ResolveForm,
        save=lambda form: services.problem_resolve(
            problem=problem,
            version=form.cleaned_data["version"],
            resolved_on=form.cleaned_data["resolved_on"],
            actor=request.user,
        ),
        current_version=stored,
    )
    if submitted.saved:
        messages.success(request, _("%(problem)s resolved.") % {"problem": problem.problem.name})
        return redirect("clients:client-detail", client_id=client.id)
    return _render_problem(
        request, client, problem, status=submitted.status, resolve_form=submitted.form
    )


@login_required
@require_GET
def care_plan_pdf(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    records.read_logged(user=request.user, client=client, what="care plan", door=Door.PDF)
    with in_readers_language(request.user, client.team.language):
        content = pdf.care_plan_pdf(client=client, problems=records.care_plan_problems(client))
    return pdf.response(content, filename=f"care-plan-{client.family_name}.pdf")
