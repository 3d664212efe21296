"""Family access for the team (invite, revoke) and the family's own pages (accept, read)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.models import Door
from careteams.reading import in_readers_language
from careteams.versioned_forms import add_error, posted_version
from clients import pdf
from clients.forms import InviteForm
from clients.models import Client, FamilyAccess
from clients.selectors import family as family_selectors
from clients.selectors import records
from clients.services import family as services


def _family_page(
    request: AuthedRequest,
    client: Client,
    form: InviteForm,
    *,
    link: str = "",
    status: int = 200,
) -> HttpResponse:
    people = (
        FamilyAccess.objects.filter(client=client).select_related("person").order_by("-granted_at")
    )
    return render(
        request,
        "clients/family_access.html",
        {"client": client, "form": form, "people": list(people), "link": link},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_access(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                _, token = services.family_invite(
                    client=client, actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                add_error(form, error)
            else:
                link = request.build_absolute_uri(
                    reverse("clients:invitation", kwargs={"token": token})
                )
                return _family_page(request, client, InviteForm(), link=link)
        return _family_page(request, client, form, status=400)
    return _family_page(request, client, InviteForm())


@login_required
@require_POST
def family_revoke(
    request: AuthedRequest, client_id: uuid.UUID, access_id: uuid.UUID
) -> HttpResponse:
    client = records.client_get(user=request.user, client_id=client_id)
    access = records.family_access_get(client=client, access_id=access_id)
    try:
        services.family_revoke(access=access, version=posted_version(request), actor=request.user)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        form = InviteForm()
        form.add_error(None, error.detail)
        return _family_page(request, client, form, status=error.status)
    messages.success(request, _("Access ended: the link and the family view no longer open."))
    return redirect("clients:family-access", client_id=client.id)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: AuthedRequest, token: str) -> HttpResponse:
    try:
        found = services.invitation_for(token)
        if request.method == "POST":
            access = services.family_accept(token=token, user=request.user)
            messages.success(request, _("You can now read the care plan."))
            return redirect("clients:family-client", client_id=access.client_id)
    except NotFound:
        return render(
            request,
            "clients/invitation_invalid.html",
            {"detail": _(services.LINK_DOES_NOT_WORK)},
            status=404,
        )
    except DomainError as error:
        return render(
            request,
            "clients/invitation.html",
            {"access": found, "error": error.detail},
            status=error.status,
        )
    return render(request, "clients/invitation.html", {"access": found})


@login_required
@require_GET
def family_client(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    view = family_selectors.family_view(user=request.user, client_id=client_id)
    today = family_selectors.family_today(user=request.user, view=view)
    # ?part=view is the fragment the page's live script fetches when the team changes it.
    template = "clients/family_client.html"
    if request.GET.get("part") == "view":
        template += "#view"
    return render(request, template, {"view": view, "today": today})


@login_required
@require_GET
def family_care_plan_pdf(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    view = family_selectors.family_view(user=request.user, client_id=client_id, door=Door.PDF)
    # In the family member's language: their own, else the client's team's.
    with in_readers_language(request.user, view.team_language):
        content = pdf.plain_care_plan_pdf(view)
    return pdf.response(content, filename="care-plan.pdf")
