"""The team's client list and search, the client record, adding and editing clients, nurses,
and the team's caseload."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from careteams import selectors as teams
from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import add_error, submit_versioned
from clients.forms import ClientForm, NursesForm, SearchForm
from clients.models import Client
from clients.selectors import caseload as caseload_selectors
from clients.selectors import parts, records
from clients.services import clients as services


@login_required
@require_GET
def client_list(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = teams.team_for_member(user=request.user, team_id=team_id)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    clients = list(records.clients_search(user=request.user, team=team, query=query))
    return render(
        request,
        "clients/client_list.html",
        {"team": team, "search": search, "query": query, "clients": clients},
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_new(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = teams.team_for_member(user=request.user, team_id=team_id)
    # A new client has no visits yet: only a nurse may type the code (key_safe_client_ids).
    key_safe = records.key_safe_readable(user=request.user, client=Client(team=team))
    form = ClientForm(request.POST if request.method == "POST" else None, key_safe=key_safe)
    if request.method == "POST":
        if form.is_valid():
            try:
                client = services.client_create(
                    team=team,
                    details=form.details(),
                    actor=request.user,
                    key_safe_code=form.typed_key_safe_code(),
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("%(name)s added.") % {"name": client.full_name})
                return redirect("clients:client-detail", client_id=client.id)
        return render(request, "clients/client_form.html", {"team": team, "form": form}, status=400)
    return render(request, "clients/client_form.html", {"team": team, "form": form})


@login_required
@require_GET
def client_detail(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    record = records.client_record(user=request.user, client_id=client_id)
    # ?part=record is the fragment the page's live script fetches when the record changes.
    template = "clients/client_detail.html"
    if request.GET.get("part") == "record":
        template += "#record"
    # The kinds kept on the record (careteams.registry.ClientPart) each refresh on their own.
    sections = [] if "#" in template else parts.parts_of(client=record.client)
    return render(request, template, {"record": record, "client": record.client, "parts": sections})


def _client_initial(client: Client, key_safe_code: str) -> dict[str, Any]:
    hidden = {"version", "key_safe_code"}
    initial = {name: getattr(client, name) for name in ClientForm.base_fields if name not in hidden}
    initial["key_safe_code"] = key_safe_code
    initial["nhs_number"] = client.nhs_number_display
    initial["version"] = client.version
    return initial


def _stored_version(client: Client) -> int:
    client.refresh_from_db()
    return client.version


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    # The code is in the form only for those who may read it; for anyone else it stays as is.
    key_safe = records.key_safe_readable(user=request.user, client=client)
    status = 200
    if request.method == "POST":
        submitted = submit_versioned(
            data=request.POST,
            make=lambda data: ClientForm(data, key_safe=key_safe),
            save=lambda form: services.client_update(
                client=client,
                version=form.cleaned_data["version"],
                details=form.details(),
                actor=request.user,
                key_safe_code=form.typed_key_safe_code(),
            ),
            current_version=lambda: _stored_version(client),
        )
        if submitted.saved:
            messages.success(request, _("Changes saved."))
            return redirect("clients:client-detail", client_id=client.id)
        form, status = submitted.form, submitted.status
    else:
        code = records.key_safe_read(user=request.user, client=client)  # logged when shown
        form = ClientForm(initial=_client_initial(client, code), key_safe=key_safe)
    return render(
        request,
        "clients/client_form.html",
        {"team": client.team, "form": form, "client": client},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_nurses(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    members = teams.team_members(user=request.user, team=client.team)
    status = 200
    if request.method == "POST":
        submitted = submit_versioned(
            data=request.POST,
            make=lambda d: NursesForm(d, members=members),
            save=lambda form: services.client_set_nurses(
                client=client,
                version=form.cleaned_data["version"],
                primary=form.cleaned_data["primary_nurse"],
                second=form.cleaned_data["second_nurse"],
                actor=request.user,
            ),
            current_version=lambda: _stored_version(client),
        )
        if submitted.saved:
            messages.success(request, _("Named nurses saved."))
            return redirect("clients:client-detail", client_id=client.id)
        form, status = submitted.form, submitted.status
    else:
        form = NursesForm(
            initial={
                "primary_nurse": client.primary_nurse,
                "second_nurse": client.second_nurse,
                "version": client.version,
            },
            members=members,
        )
    return render(
        request, "clients/nurses_form.html", {"client": client, "form": form}, status=status
    )


@login_required
@require_GET
def caseload(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    data = caseload_selectors.caseload(user=request.user, team_id=team_id)
    return render(request, "clients/caseload.html", {"caseload": data, "team": data.team})
