"""Partner organisations a team shares records with, and each client's consent to it.

Not kinds of the change feed (devices never hold them): written through the small services in
interop/services.py, like coach links. A consent is never deleted: it is revoked, at once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careteams.models import Team
from careteams.team_owned import TeamOwnedChild
from clients.models import Client


class PartnerKind(models.TextChoices):
    GP_PRACTICE = "gp_practice", _("GP practice")
    DISCHARGE_TEAM = "discharge_team", _("Hospital discharge team")
    OTHER = "other", _("Other organisation")


class Partner(models.Model):
    """An organisation registered by a team to read its consented clients' records over FHIR.

    `reader` is the account its reads are written under in the read log (it cannot sign in);
    `application` is its django-oauth-toolkit client (client credentials), None until issued
    or after it was revoked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(_("name"), max_length=150)
    ods_code = models.CharField(
        _("ODS code"),
        max_length=10,
        help_text=_("The organisation's code in the NHS Organisation Data Service, e.g. A81001."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner", editable=False
    )
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner",
        editable=False,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("team", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PartnerKind.values), name="partner_kind_is_a_choice"
            ),
            models.UniqueConstraint(fields=["team", "ods_code"], name="partner_ods_once_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class ConsentScope(models.TextChoices):
    """What a consent lets the partner read. Notes only with the second, and then only the
    notes the client agreed to share (`Note.shareable`): docs/interoperability.md."""

    CARE_RECORD = "care_record", _("Care record: plan, outcomes, visits, allergies, flags")
    WITH_SHARED_NOTES = "with_shared_notes", _("Care record and the notes shared with the client")


class ConsentBasis(models.TextChoices):
    CLIENT_CONSENT = "client_consent", _("The client agreed")
    LPA_HEALTH = "lpa_health", _("Lasting power of attorney (health and welfare)")
    COURT_DEPUTY = "court_deputy", _("Court-appointed deputy")
    BEST_INTERESTS = "best_interests", _("Best-interests decision")
    DIRECT_CARE = "direct_care", _("Direct care (implied consent, recorded)")


class PartnerConsent(TeamOwnedChild):
    """One client's consent that one partner may read their record, from a day until another
    (or until revoked). Revoking sets `revoked_at`: the partner's next request is a 404."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="partner_consents")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="consents")
    basis = models.CharField(_("basis"), max_length=20, choices=ConsentBasis.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=ConsentScope.choices)
    given_on = models.DateField(_("given on"))
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: no end date."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    team_parent = "client"

    class Meta:
        ordering = ("client", "-recorded_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=ConsentBasis.values) & Q(scope__in=ConsentScope.values),
                name="partner_consent_choices_are_choices",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("given_on")),
                name="partner_consent_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["client", "partner"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_partner_consent_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} may read {self.client_id}"

    @property
    def shares_notes(self) -> bool:
        return self.scope == ConsentScope.WITH_SHARED_NOTES
