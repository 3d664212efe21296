"""Confirming a client's home location from a carer's check-in location, with the client's
consent (issue 15: travel between clients needs where they live)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from careteams.http import AuthedRequest
from careteams.versioned_forms import submit_versioned
from clients.forms_location import LocationConfirmForm
from clients.models import Client
from clients.selectors import check_in_locations, records
from clients.services import clients as services


def _confirm(request: AuthedRequest, client: Client, form: LocationConfirmForm) -> Client:
    found = check_in_locations.check_in_location_get(
        client=client, attendance_id=form.cleaned_data["attendance"]
    )
    return services.client_location_confirm(
        client=client,
        version=form.cleaned_data["version"],
        latitude=found.latitude,
        longitude=found.longitude,
        consent=form.cleaned_data["consent"],
        actor=request.user,
    )


def _stored_version(client: Client) -> int:
    client.refresh_from_db()
    return client.version


@login_required
@require_POST
def client_location_confirm(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    """Another team's client, or a check-in not at this client's visits, is a 404."""
    client = records.client_get(user=request.user, client_id=client_id)
    submitted = submit_versioned(
        data=request.POST,
        make=LocationConfirmForm,
        save=lambda form: _confirm(request, client, form),
        current_version=lambda: _stored_version(client),
    )
    if submitted.saved:
        messages.success(request, _("The client's home location is saved."))
        return redirect("clients:client-detail", client_id=client.id)
    record = records.client_record(user=request.user, client_id=client_id)
    return render(
        request,
        "clients/client_detail.html",
        {"record": record, "client": record.client, "location_form": submitted.form},
        status=submitted.status,
    )
