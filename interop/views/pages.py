"""The team's pages: its partners and their credentials, and a client's consents."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careteams import timeutil
from careteams.errors import DomainError
from careteams.http import AuthedRequest
from careteams.versioned_forms import add_error
from interop import selectors, services
from interop.forms import ConsentForm, PartnerForm


@login_required
@require_http_methods(["GET", "POST"])
def partners(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team, found = selectors.team_partners(user=request.user, team_id=team_id)
    form = PartnerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.partner_register(
                    team=team,
                    details=services.PartnerDetails(**form.cleaned_data),
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("The partner is registered: issue its credentials."))
                return redirect("interop:partners", team_id=team.id)
        status = 400
    fhir_base = request.build_absolute_uri("/fhir")
    return render(
        request,
        "interop/partners.html",
        {"team": team, "partners": found, "form": form, "fhir_base": fhir_base},
        status=status,
    )


@login_required
@require_POST
def credentials_issue(request: AuthedRequest, partner_id: uuid.UUID) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, partner_id=partner_id)
    issued = services.partner_credentials_issue(partner=partner, actor=request.user)
    # Shown once, on this answer: only a hash of the secret is kept.
    return render(
        request,
        "interop/credentials.html",
        {
            "team": partner.team,
            "partner": partner,
            "credentials": issued,
            "token_url": request.build_absolute_uri(reverse("fhir:token")),
        },
    )


@login_required
@require_POST
def credentials_revoke(request: AuthedRequest, partner_id: uuid.UUID) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, partner_id=partner_id)
    services.partner_credentials_revoke(partner=partner, actor=request.user)
    messages.success(request, _("Its credentials and tokens no longer work."))
    return redirect("interop:partners", team_id=partner.team_id)


@login_required
@require_http_methods(["GET", "POST"])
def consents(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = selectors.client_get(user=request.user, client_id=client_id)
    partners_of_team = selectors.team_partners(user=request.user, team_id=client.team_id)[1]
    form = ConsentForm(request.POST or None, partners=list(partners_of_team))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            details = services.ConsentDetails(
                partner_id=uuid.UUID(data["partner"]),
                basis=data["basis"],
                scope=data["scope"],
                given_on=data["given_on"],
                until=data["until"],
            )
            try:
                services.consent_record(
                    client=client,
                    details=details,
                    actor=request.user,
                    today=timeutil.local_today(client.team.zone),
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("The consent is recorded."))
                return redirect("interop:consents", client_id=client.id)
        status = 400
    return render(
        request,
        "interop/consents.html",
        {
            "client": client,
            "team": client.team,
            "consents": selectors.client_consents(user=request.user, client=client),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def consent_revoke(request: AuthedRequest, consent_id: uuid.UUID) -> HttpResponse:
    consent = selectors.consent_get(user=request.user, consent_id=consent_id)
    services.consent_revoke(consent=consent, actor=request.user)
    messages.success(
        request, _("The consent is revoked: the partner can no longer read the record.")
    )
    return redirect("interop:consents", client_id=consent.client_id)
