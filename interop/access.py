"""Who a partner is, and which clients it may read: built on its consents, with the same
promise as careteams/access.py. A client without a live consent for the partner (another
team's, never consented, revoked, not yet begun or ended) does not exist for it: a 404.
"""

import uuid

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from oauth2_provider.oauth2_backends import get_oauthlib_core

from careteams import access, timeutil
from careteams.errors import NotFound
from clients.models import Client
from interop.models import Partner, PartnerConsent

FHIR_SCOPE = "fhir"


def partner_of_request(request: HttpRequest) -> Partner | None:
    """The partner whose client-credentials token (`Authorization: Bearer`) the request
    carries, checked by django-oauth-toolkit (unknown, expired, revoked or out of scope: None).
    A partner whose credentials were revoked has no application, so its tokens went with it."""
    valid, oauth = get_oauthlib_core().verify_request(request, scopes=[FHIR_SCOPE])
    if not valid or oauth.access_token is None:
        return None
    application_id = oauth.access_token.application_id
    return (
        Partner.objects.select_related("team", "reader")
        .filter(application_id=application_id)
        .first()
    )


def live_consents(partner: Partner) -> QuerySet[PartnerConsent]:
    """The partner's consents in force today (the team's day), none revoked."""
    today = timeutil.local_today(partner.team.zone)
    return PartnerConsent.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today),
        partner=partner,
        team_id=partner.team_id,
        revoked_at__isnull=True,
        given_on__lte=today,
    )


def clients_for_partner(partner: Partner) -> QuerySet[Client]:
    return Client.objects.filter(
        team_id=partner.team_id, id__in=live_consents(partner).values("client_id")
    )


def consent_for(partner: Partner, client_id: uuid.UUID | str) -> PartnerConsent:
    """The live consent for one client, or NotFound (malformed ids too)."""
    try:
        client_uuid = uuid.UUID(str(client_id))
    except ValueError as exc:
        raise NotFound() from exc
    consent = live_consents(partner).filter(client_id=client_uuid).first()
    if consent is None:
        raise NotFound()
    return consent


def partners_visible_to(user: access.AnyUser) -> QuerySet[Partner]:
    """The partners of the user's teams: members only."""
    return Partner.objects.filter(team_id__in=access.member_scope(user))
