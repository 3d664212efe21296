"""Reads of partners and consents for the team's pages, scoped through interop/access.py."""

import uuid

from django.db.models import Model, QuerySet

from careteams import access as core_access
from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients.access import clients_visible_to
from clients.models import Allergy, CareProblem, Client, FamilyAccess, Note, OutcomeRating
from interop import access
from interop.models import Partner, PartnerConsent
from scheduling.models import Visit

PARTNER_ROLE = "partner organisation"


def reader_roles(user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """For the read log: the readers that are partners' accounts."""
    ids = Partner.objects.filter(reader_id__in=user_ids).values_list("reader_id", flat=True)
    return dict.fromkeys(ids, PARTNER_ROLE)


def team_partners(*, user: AnyUser, team_id: uuid.UUID) -> tuple[Team, QuerySet[Partner]]:
    team = core_access.get_visible(core_access.member_teams(user), team_id)
    partners = access.partners_visible_to(user).filter(team=team).select_related("application")
    return team, partners


def partner_get(*, user: AnyUser, partner_id: uuid.UUID) -> Partner:
    return core_access.get_visible(
        access.partners_visible_to(user).select_related("team", "application"), partner_id
    )


def client_get(*, user: AnyUser, client_id: uuid.UUID) -> Client:
    return core_access.get_visible(clients_visible_to(user).select_related("team"), client_id)


def client_consents(*, user: AnyUser, client: Client) -> QuerySet[PartnerConsent]:
    """Every consent of the client, newest first, revoked ones too (the record's history)."""
    return (
        PartnerConsent.objects.filter(client=client, team_id__in=core_access.member_scope(user))
        .select_related("partner", "recorded_by", "revoked_by")
        .order_by("-recorded_at")
    )


def consent_get(*, user: AnyUser, consent_id: uuid.UUID) -> PartnerConsent:
    return core_access.get_visible(
        PartnerConsent.objects.filter(team_id__in=core_access.member_scope(user)).select_related(
            "client", "partner"
        ),
        consent_id,
    )


# The FHIR API's reads: which client a resource belongs to, and the partner's team's people.

_OWNERS: dict[str, tuple[type[Model], str]] = {
    "Condition": (CareProblem, "client_id"),
    "Observation": (OutcomeRating, "problem__client_id"),
    "Encounter": (Visit, "client_id"),
    "AllergyIntolerance": (Allergy, "client_id"),
    "DocumentReference": (Note, "client_id"),
    "Consent": (PartnerConsent, "client_id"),
    "RelatedPerson": (FamilyAccess, "client_id"),
}
# Resources whose id starts with their client's id.
_CLIENT_IDS = ("Patient", "CarePlan", "CareTeam", "Flag")


def record_owner(rtype: str, rid: str) -> uuid.UUID | None:
    """The client a resource of this type and id belongs to (a rating's Observations carry
    the rating's id and a letter, a Flag its client's id and the flag), or None."""
    try:
        key = uuid.UUID(rid[:36])
    except ValueError:
        return None
    if rtype in _CLIENT_IDS:
        return key
    if rtype not in _OWNERS:
        return None
    model, path = _OWNERS[rtype]
    found: uuid.UUID | None = (
        model._default_manager.filter(pk=key).values_list(path, flat=True).first()
    )
    return found


def consented_client(partner: Partner, client_id: uuid.UUID | str) -> tuple[Client, PartnerConsent]:
    """The client and the partner's live consent for them, or NotFound."""
    consent = access.consent_for(partner, client_id)
    client = Client.objects.select_related("team").get(pk=consent.client_id)
    return client, consent


def partner_clients(partner: Partner) -> QuerySet[Client]:
    return (
        access.clients_for_partner(partner)
        .select_related("team")
        .prefetch_related("emergency_contacts")
        .order_by("family_name", "given_name", "id")
    )


def partner_team_members(partner: Partner) -> QuerySet[Membership]:
    """Everyone who is or was a member of the partner's team: the people its records name."""
    return Membership.objects.filter(team_id=partner.team_id).select_related("user", "team")
