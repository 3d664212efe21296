"""Writing notes (on their own, against a visit, or amending an earlier note) and reading them."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import add_error
from clients.forms import NoteForm
from clients.hooks import VisitLink
from clients.models import CareProblem, Client, Note, ProblemStatus
from clients.selectors import records
from clients.services import notes as services


@login_required
@require_GET
def notes(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    records.read_logged(user=request.user, client=client, what="notes")
    all_notes = records.notes_of(user=request.user, client=client, limit=None)
    return render(request, "clients/notes.html", {"client": client, "notes": all_notes})


def _problems(client: Client) -> Any:
    return CareProblem.objects.filter(client=client, status=ProblemStatus.ACTIVE).order_by(
        "problem_code"
    )


def _linked(
    request: AuthedRequest, client: Client, raw_visit: Any, raw_amends: Any
) -> tuple[VisitLink | None, Note | None]:
    """The visit and earlier note named in the form, both of this client, or a DomainError."""
    visit = amends = None
    if raw_visit:
        try:
            visit = records.visit_get(user=request.user, client=client, visit_id=raw_visit)
        except DomainError as exc:
            raise DomainError(_("Choose a visit to this client."), field="visit") from exc
    if raw_amends:
        try:
            amends = records.note_get(user=request.user, client=client, note_id=raw_amends)
        except DomainError as exc:
            raise DomainError(str(services.NOT_THIS_CLIENT), field="amends") from exc
    return visit, amends


@login_required
@require_http_methods(["GET", "POST"])
def note_new(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    problems = _problems(client)
    context: dict[str, Any] = {"client": client}
    if request.method == "POST":
        form = NoteForm(request.POST, problems=problems)
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit, amends = _linked(request, client, data["visit"], data["amends"])
                context |= {"visit": visit, "amends": amends}
                services.note_write(
                    client=client,
                    author=request.user,
                    body=data["body"],
                    note_id=data["note_id"],
                    written_at=data["written_at"],
                    shareable=data["shareable"],
                    problems=data["problems"],
                    visit=visit,
                    amends=amends,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Note saved."))
                if visit is not None:
                    # Written from the visit card: back to the visit, where the work goes on.
                    return redirect(
                        "scheduling:visit-card", team_id=client.team_id, visit_id=visit.id
                    )
                return redirect("clients:client-detail", client_id=client.id)
        return render(request, "clients/note_form.html", {**context, "form": form}, status=400)
    # With its offset, so that it reads back the same whatever time zone the page shows.
    initial: dict[str, Any] = {"written_at": timezone.now().isoformat(timespec="seconds")}
    # A link naming a visit or note this user may not see, or a malformed id, is a 404.
    raw_visit, raw_amends = request.GET.get("visit", ""), request.GET.get("amends", "")
    visit = (
        records.visit_get(user=request.user, client=client, visit_id=raw_visit)
        if raw_visit
        else None
    )
    amends = (
        records.note_get(user=request.user, client=client, note_id=raw_amends)
        if raw_amends
        else None
    )
    if visit is not None:
        initial["visit"] = visit.id
    if amends is not None:
        initial |= {
            "amends": amends.id,
            "shareable": amends.shareable,
            "problems": list(amends.problems.all()),
        }
    form = NoteForm(initial=initial, problems=problems)
    return render(
        request,
        "clients/note_form.html",
        {**context, "form": form, "visit": visit, "amends": amends},
    )
