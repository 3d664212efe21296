"""The doorstep details of a client's record: GP practice, communication needs and preferred
name; emergency contacts (add, change, remove); which visits an intervention belongs to."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import add_error, posted_version, submit_versioned
from clients.forms_doorstep import ContactForm, DoorstepForm, ScheduleForm
from clients.models import Client, EmergencyContact, Intervention
from clients.selectors import records
from clients.services import care_plan, doorstep


def _record(client: Client) -> HttpResponse:
    return redirect("clients:client-detail", client_id=client.id)


@login_required
@require_http_methods(["GET", "POST"])
def doorstep_edit(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    status = 200
    if request.method == "POST":
        submitted = submit_versioned(
            data=request.POST,
            make=DoorstepForm,
            save=lambda form: doorstep.client_doorstep_update(
                client=client, actor=request.user, **form.cleaned_data
            ),
            current_version=lambda: Client.objects.get(pk=client.pk).version,
        )
        if submitted.saved:
            messages.success(request, _("Doorstep details saved."))
            return _record(client)
        form, status = submitted.form, submitted.status
    else:
        form = DoorstepForm(
            initial={
                name: getattr(client, name)
                for name in ("preferred_name", "gp_practice_name", "gp_practice_phone")
            }
            | {"communication_needs": client.communication_needs, "version": client.version}
        )
    return render(
        request, "clients/doorstep_form.html", {"client": client, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            doorstep.emergency_contact_add(client=client, actor=request.user, **data)
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Emergency contact added."))
            return _record(client)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "form": form, "contact": None}
    return render(request, "clients/contact_form.html", context, status=status)


def _contact(client: Client, contact_id: uuid.UUID) -> EmergencyContact:
    return records.emergency_contact_get(client=client, contact_id=contact_id)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(
    request: AuthedRequest, client_id: uuid.UUID, contact_id: uuid.UUID
) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    contact = _contact(client, contact_id)
    status = 200
    if request.method == "POST":
        submitted = submit_versioned(
            data=request.POST,
            make=ContactForm,
            save=lambda form: doorstep.emergency_contact_update(
                contact=contact,
                actor=request.user,
                **(form.cleaned_data | {"order": form.cleaned_data["order"] or contact.order}),
            ),
            current_version=lambda: EmergencyContact.objects.get(pk=contact.pk).version,
        )
        if submitted.saved:
            messages.success(request, _("Emergency contact changed."))
            return _record(client)
        form, status = submitted.form, submitted.status
    else:
        fields = ("name", "relationship", "phone", "may_be_told", "order", "version")
        form = ContactForm(initial={name: getattr(contact, name) for name in fields})
    context = {"client": client, "form": form, "contact": contact}
    return render(request, "clients/contact_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_remove(
    request: AuthedRequest, client_id: uuid.UUID, contact_id: uuid.UUID
) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    contact = _contact(client, contact_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            doorstep.emergency_contact_remove(
                contact=contact, version=posted_version(request), actor=request.user
            )
        except DomainError as error:
            errors = [error.detail]
        else:
            messages.success(
                request,
                _("%(name)s is no longer an emergency contact.") % {"name": contact.name},
            )
            return _record(client)
    context = {"client": client, "contact": contact, "errors": errors}
    return render(request, "clients/contact_remove.html", context, status=409 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def intervention_schedule(
    request: AuthedRequest, client_id: uuid.UUID, problem_id: uuid.UUID, intervention_id: uuid.UUID
) -> HttpResponse:
    """Which visits the intervention is a task of: they appear on those visits' checklists."""
    client = records.client_get(user=request.user, client_id=client_id)
    problem = records.problem_get(client=client, problem_id=problem_id)
    intervention: Intervention = records.intervention_get(
        problem=problem, intervention_id=intervention_id
    )
    status = 200
    if request.method == "POST":
        submitted = submit_versioned(
            data=request.POST,
            make=ScheduleForm,
            save=lambda form: care_plan.intervention_schedule_set(
                intervention=intervention,
                version=form.cleaned_data["version"],
                parts=form.cleaned_data["parts"],
                weekdays=form.cleaned_data["weekdays"],
                every_days=form.cleaned_data["every_days"],
                every_days_from=form.cleaned_data["every_days_from"],
                actor=request.user,
            ),
            current_version=lambda: Intervention.objects.get(pk=intervention.pk).version,
        )
        if submitted.saved:
            messages.success(request, _("Saved: the intervention is on those visits' tasks."))
            return redirect("clients:problem-detail", client_id=client.id, problem_id=problem.id)
        form, status = submitted.form, submitted.status
    else:
        form = ScheduleForm(
            initial={
                "parts": intervention.visit_parts,
                "weekdays": intervention.visit_weekdays,
                "every_days": intervention.every_days,
                "every_days_from": intervention.every_days_from,
                "version": intervention.version,
            }
        )
    context = {"client": client, "problem": problem, "intervention": intervention, "form": form}
    return render(request, "clients/schedule_form.html", context, status=status)
