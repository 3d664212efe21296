"""The client's medicines pages (list, add, a line with its check, change, stop, stock and PRN
protocol) and the team's medicines policy. Parse, call, render: the selectors scope (another
team's client or line is a 404), the services decide."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.selectors import team_for_member
from careteams.versioned_forms import add_error, posted_version, submit_versioned
from clients.models import Client
from medicines import selectors, services
from medicines.forms import ChangeForm, LineForm, PolicyForm, StockForm, StopForm, line_initial
from medicines.models import MedicineLine


def _list_page(request: AuthedRequest, client: Client, **context: Any) -> dict[str, Any]:
    return {
        "client": client,
        "lines": selectors.medicines_page(user=request.user, client=client),
        "allergies": selectors.active_allergies(client),
        **context,
    }


@login_required
@require_GET
def medicines_list(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = selectors.client_for(user=request.user, client_id=client_id)
    # ?part=list is the fragment the page's live script fetches when a line changes.
    template = (
        "medicines/_list.html" if request.GET.get("part") == "list" else "medicines/list.html"
    )
    return render(request, template, _list_page(request, client))


@login_required
@require_http_methods(["GET", "POST"])
def line_add(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = selectors.client_for(user=request.user, client_id=client_id)
    status = 200
    if request.method == "POST":
        form = LineForm(request.POST)
        if form.is_valid():
            try:
                line = services.line_add(
                    user=request.user,
                    client=client,
                    details=form.details(),
                    allergy_reason=form.cleaned_data["allergy_reason"],
                )
            except NotFound:
                raise
            except DomainError as error:
                add_error(form, error)
                status = error.status
            else:
                messages.success(request, _("Added: it awaits a second person's check."))
                return redirect("medicines:line", client_id=client.id, line_id=line.id)
        else:
            status = 400
    else:
        form = LineForm(initial={"version": 1, "times": "08:00"})
    return render(
        request, "medicines/line_form.html", {"client": client, "form": form}, status=status
    )


def _line(request: AuthedRequest, client_id: uuid.UUID, line_id: uuid.UUID) -> MedicineLine:
    client = selectors.client_for(user=request.user, client_id=client_id)
    return selectors.line_for(user=request.user, client=client, line_id=line_id)


def _line_page(
    request: AuthedRequest, line: MedicineLine, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "client": line.client,
        "line": line,
        "allergies": selectors.active_allergies(line.client),
        "stop_form": forms.get("stop_form") or StopForm(initial={"version": line.version}),
        "stock_form": forms.get("stock_form") or StockForm(),
        "stock": selectors.stock_of(line) if line.track_stock else None,
        "stock_events": selectors.stock_events_of(line)[:10] if line.track_stock else [],
        "doses": selectors.recent_prn_doses(line) if line.prn else [],
        "may_check": line.transcribed_by_id != request.user.pk,
    }
    return render(request, "medicines/line.html", context, status=status)


@login_required
@require_GET
def line_detail(request: AuthedRequest, client_id: uuid.UUID, line_id: uuid.UUID) -> HttpResponse:
    return _line_page(request, _line(request, client_id, line_id))


@login_required
@require_POST
def line_check(request: AuthedRequest, client_id: uuid.UUID, line_id: uuid.UUID) -> HttpResponse:
    line = _line(request, client_id, line_id)
    try:
        services.line_check(user=request.user, line=line, version=posted_version(request))
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Checked: it is on the visits from now."))
    return redirect("medicines:line", client_id=line.client_id, line_id=line.id)


@login_required
@require_http_methods(["GET", "POST"])
def line_change(request: AuthedRequest, client_id: uuid.UUID, line_id: uuid.UUID) -> HttpResponse:
    line = _line(request, client_id, line_id)
    status = 200
    if request.method == "POST":
        result = submit_versioned(
            data=request.POST,
            make=ChangeForm,
            save=lambda form: services.line_change(
                user=request.user,
                line=line,
                version=form.cleaned_data["version"],
                details=form.details(),
                change_note=form.cleaned_data["change_note"],
                allergy_reason=form.cleaned_data["allergy_reason"],
            ),
            current_version=lambda: _line(request, client_id, line_id).version,
        )
        if result.saved:
            messages.success(request, _("Changed: the new version awaits a second person's check."))
            return redirect("medicines:line", client_id=line.client_id, line_id=line.id)
        form, status = result.form, result.status
    else:
        form = ChangeForm(initial=line_initial(line))
    return render(
        request,
        "medicines/line_form.html",
        {"client": line.client, "line": line, "form": form},
        status=status,
    )


@login_required
@require_POST
def line_stop(request: AuthedRequest, client_id: uuid.UUID, line_id: uuid.UUID) -> HttpResponse:
    line = _line(request, client_id, line_id)
    result = submit_versioned(
        data=request.POST,
        make=StopForm,
        save=lambda form: services.line_stop(
            user=request.user,
            line=line,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["stopped_reason"],
        ),
        current_version=lambda: _line(request, client_id, line_id).version,
    )
    if result.saved:
        messages.success(request, _("Stopped: no dose of it is due from now."))
        return redirect("medicines:line", client_id=line.client_id, line_id=line.id)
    return _line_page(request, line, result.status, stop_form=result.form)


@login_required
@require_POST
def stock_add(request: AuthedRequest, client_id: uuid.UUID, line_id: uuid.UUID) -> HttpResponse:
    line = _line(request, client_id, line_id)
    form = StockForm(request.POST)
    if not form.is_valid():
        return _line_page(request, line, 400, stock_form=form)
    try:
        event = services.stock_record(
            user=request.user,
            line=line,
            kind=form.cleaned_data["kind"],
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
        )
    except NotFound:
        raise
    except DomainError as error:
        add_error(form, error)
        return _line_page(request, line, error.status, stock_form=form)
    if event.mismatch:
        messages.warning(request, _("The count does not match the records: the team is told."))
    else:
        messages.success(request, _("Stock recorded."))
    return redirect("medicines:line", client_id=line.client_id, line_id=line.id)


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = team_for_member(user=request.user, team_id=team_id)
    current = selectors.policy_of(team)
    status = 200
    if request.method == "POST":
        result = submit_versioned(
            data=request.POST,
            make=PolicyForm,
            save=lambda form: services.policy_change(
                user=request.user,
                team=team,
                version=form.cleaned_data["version"],
                cd_witness_required=form.cleaned_data["cd_witness_required"],
                missed_dose_grace_minutes=form.cleaned_data["missed_dose_grace_minutes"],
            ),
            current_version=lambda: selectors.policy_of(team).version,
        )
        if result.saved:
            messages.success(request, _("The team's medicines policy is saved."))
            return redirect("medicines:policy", team_id=team.id)
        form, status = result.form, result.status
    else:
        form = PolicyForm(
            initial={
                "cd_witness_required": current.cd_witness_required,
                "missed_dose_grace_minutes": current.missed_dose_grace_minutes,
                "version": current.version,
            }
        )
    return render(request, "medicines/policy.html", {"team": team, "form": form}, status=status)
