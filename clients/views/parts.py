"""The pages of every kind kept on the client record (`careteams.registry.ClientPart`): its
list and add form, a record's change form, and ending a record. The kind gives a template
for its list; the forms come from its declared fields and the writes go through its services
(the declaration's hooks), so a new kind adds no view. Only the client's team: else a 404."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careteams import registry
from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import add_error, posted_version, submit_versioned
from clients import forms_parts
from clients.models import Client
from clients.selectors import parts, records


def _page(client: Client, entity: registry.Entity) -> HttpResponse:
    return redirect("clients:part", client_id=client.id, kind=entity.name)


def _context(client: Client, entity: registry.Entity, **more: Any) -> dict[str, Any]:
    return {
        "client": client,
        "part": entity.part,
        "kind": entity.name,
        "records": parts.part_records(client=client, entity=entity),
        **more,
    }


@login_required
@require_http_methods(["GET", "POST"])
def part(request: AuthedRequest, client_id: uuid.UUID, kind: str) -> HttpResponse:
    """The kind's records of the client, and the form to add one. `?part=list` is the
    fragment the record page's live script fetches when one of them changes."""
    entity = parts.part_get(kind)
    client = records.client_get(user=request.user, client_id=client_id)
    form_class = forms_parts.add_form(entity)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=entity.model(client=client))
        if form.is_valid():
            assert entity.create is not None
            try:
                entity.create(form.instance, request.user)
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return _page(client, entity)
        status = 400
    else:
        form = form_class()
    context = _context(client, entity, form=form, editable=True)
    if request.GET.get("part") == "list":
        return render(request, "clients/_part.html", context)
    return render(request, "clients/part_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def part_change(
    request: AuthedRequest, client_id: uuid.UUID, kind: str, record_id: uuid.UUID
) -> HttpResponse:
    entity = parts.part_get(kind)
    client = records.client_get(user=request.user, client_id=client_id)
    record = parts.part_record_get(client=client, entity=entity, record_id=record_id)
    form_class = forms_parts.change_form(entity)
    status = 200
    if request.method == "POST":
        assert entity.update is not None
        update = entity.update
        submitted = submit_versioned(
            data=request.POST,
            make=lambda data: form_class(data, instance=record),
            save=lambda form: update(form.instance, form.cleaned_data["version"], request.user),
            current_version=lambda: (
                parts.part_record_get(client=client, entity=entity, record_id=record_id).version
            ),
        )
        if submitted.saved:
            messages.success(request, _("Changes saved."))
            return _page(client, entity)
        form, status = submitted.form, submitted.status
    else:
        form = form_class(instance=record, initial={"version": record.version})
    context = {"client": client, "part": entity.part, "kind": kind, "record": record, "form": form}
    return render(request, "clients/part_change.html", context, status=status)


@login_required
@require_POST
def part_end(
    request: AuthedRequest, client_id: uuid.UUID, kind: str, record_id: uuid.UUID
) -> HttpResponse:
    """End a record (it is kept, marked ended, through the kind's `delete` service)."""
    entity = parts.part_get(kind)
    client = records.client_get(user=request.user, client_id=client_id)
    record = parts.part_record_get(client=client, entity=entity, record_id=record_id)
    assert entity.delete is not None
    try:
        entity.delete(record, posted_version(request), request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Ended."))
    return _page(client, entity)
