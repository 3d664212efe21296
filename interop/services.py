"""Writes of partners, their credentials and clients' consents: each checks its actor, runs in
one transaction and locks the row it changes. Not in the change feed (no device holds them);
revoking a consent or credentials takes effect on the partner's very next request."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from careteams import access
from careteams.errors import DomainError
from careteams.models import Team, User
from clients.models import Client
from interop.models import ConsentBasis, ConsentScope, Partner, PartnerConsent, PartnerKind


@dataclass(frozen=True)
class PartnerDetails:
    name: str
    ods_code: str
    kind: str


@dataclass(frozen=True)
class Credentials:
    """Shown once: only a hash of the secret is kept."""

    client_id: str
    client_secret: str


def _check_details(details: PartnerDetails) -> None:
    if not details.name.strip():
        raise DomainError(_("Enter the organisation's name."), field="name")
    code = details.ods_code.strip()
    if not (3 <= len(code) <= 10 and code.isalnum()):
        raise DomainError(
            _("Enter the ODS code: 3 to 10 letters and digits, e.g. A81001."), field="ods_code"
        )
    if details.kind not in PartnerKind.values:
        raise DomainError(_("Choose what kind of organisation it is."), field="kind")


@transaction.atomic
def partner_register(*, team: Team, details: PartnerDetails, actor: User) -> Partner:
    """A partner of the team, with the account its reads are logged under (it cannot sign
    in). Registering changes the team's sharing, so it is for those who manage the team."""
    access.require_manager_of(actor, team)
    _check_details(details)
    code = details.ods_code.strip().upper()
    if Partner.objects.filter(team=team, ods_code=code).exists():
        raise DomainError(_("This team has registered that ODS code already."), field="ods_code")
    partner_id = uuid.uuid4()
    reader = User.objects.create_user(
        email=f"partner-{partner_id}@partners.invalid",
        password=None,
        first_name=details.name.strip()[:150],
        is_active=False,
    )
    return Partner.objects.create(
        id=partner_id,
        team=team,
        name=details.name.strip(),
        ods_code=code,
        kind=details.kind,
        reader=reader,
        registered_by=actor,
    )


def _locked(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().select_related("team").get(pk=partner.pk)


@transaction.atomic
def partner_credentials_issue(*, partner: Partner, actor: User) -> Credentials:
    """New OAuth2 client credentials (grant type client credentials) for the partner; any
    earlier ones, and every token issued with them, end now."""
    locked = _locked(partner)
    access.require_manager_of(actor, locked.team)
    if locked.application_id is not None:
        Application.objects.filter(pk=locked.application_id).delete()
    secret = generate_client_secret()
    application = Application.objects.create(
        name=f"{locked.name} ({locked.ods_code})"[:255],
        user=locked.reader,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    locked.application = application
    locked.save(update_fields=["application", "updated_at"])
    partner.application = application
    return Credentials(client_id=application.client_id, client_secret=secret)


@transaction.atomic
def partner_credentials_revoke(*, partner: Partner, actor: User) -> None:
    """The credentials and their tokens end at once (deleting the application deletes its
    tokens); the partner and its consents stay, for new credentials later."""
    locked = _locked(partner)
    access.require_manager_of(actor, locked.team)
    if locked.application_id is not None:
        Application.objects.filter(pk=locked.application_id).delete()
    partner.application = None


@dataclass(frozen=True)
class ConsentDetails:
    partner_id: uuid.UUID
    basis: str
    scope: str
    given_on: dt.date
    until: dt.date | None


def _check_consent(details: ConsentDetails, today: dt.date) -> None:
    if details.basis not in ConsentBasis.values:
        raise DomainError(_("Choose the basis of the consent."), field="basis")
    if details.scope not in ConsentScope.values:
        raise DomainError(_("Choose what the partner may read."), field="scope")
    if details.given_on > today:
        raise DomainError(_("The date it was given cannot be in the future."), field="given_on")
    if details.until is not None and details.until < today:
        raise DomainError(_("The end date must be today or later."), field="until")


@transaction.atomic
def consent_record(
    *, client: Client, details: ConsentDetails, actor: User, today: dt.date
) -> PartnerConsent:
    """The client's consent that one of the team's partners may read their record. Any member
    records it (as they record family access); one live consent per partner and client."""
    access.require_member_of(actor, client.team_id)
    _check_consent(details, today)
    partner = Partner.objects.filter(team_id=client.team_id, id=details.partner_id).first()
    if partner is None:
        raise DomainError(_("Choose one of the team's partners."), field="partner")
    try:
        with transaction.atomic():
            return PartnerConsent.objects.create(
                team_id=client.team_id,
                client=client,
                partner=partner,
                basis=details.basis,
                scope=details.scope,
                given_on=details.given_on,
                until=details.until,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("That partner has a consent in force already: revoke it first to change it."),
            field="partner",
        ) from exc


@transaction.atomic
def consent_revoke(*, consent: PartnerConsent, actor: User) -> PartnerConsent:
    """Ends the consent now: the partner's next request for the client is a 404. Revoking a
    revoked consent changes nothing."""
    locked = PartnerConsent.objects.select_for_update().get(pk=consent.pk)
    access.require_member_of(actor, locked.team_id)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked
