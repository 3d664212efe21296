"""The team's medicines policy and the client's medicines list: lines are versioned and change
through the services (medicines/services/lines.py)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careteams.models import Team
from careteams.team_owned import TeamOwnedChild
from clients.models import Client
from medicines.models.base import (
    GRACE_MAX_MINUTES,
    NAME_MAX,
    REASON_MAX,
    TEXT_MAX,
    TOLERANCE_MAX_MINUTES,
)
from medicines.vocabulary import (
    CdSchedule,
    DmdKind,
    Food,
    Form,
    LineStatus,
    Route,
    Source,
    Supply,
    Support,
    VisitPart,
)


class MedicinesPolicy(models.Model):
    """What the team decided about medicines (one per team, made on first read)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="medicines_policy")
    cd_witness_required = models.BooleanField(
        _("a witness for controlled drugs"),
        default=True,
        help_text=_("A second member witnesses every controlled drug given."),
    )
    missed_dose_grace_minutes = models.PositiveSmallIntegerField(
        _("missed-dose grace (minutes)"),
        default=60,
        help_text=_("A dose with no outcome this long after the end of its window is missed."),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "medicines policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(missed_dose_grace_minutes__lte=GRACE_MAX_MINUTES),
                name="medicines_policy_grace_at_most_12_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"Medicines policy of {self.team_id}"


class MedicineLine(TeamOwnedChild):
    """One medicine on the client's list, as transcribed and checked by a second person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="medicine_lines")
    name = models.CharField(_("medicine"), max_length=NAME_MAX)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    strength = models.CharField(
        _("strength"), max_length=60, blank=True, help_text=_("For example 500 mg, 5 mg/5 ml.")
    )
    dmd_code = models.CharField(
        _("dm+d code"), max_length=18, blank=True, help_text=_("Optional: 6 to 18 digits.")
    )
    dmd_kind = models.CharField(_("dm+d kind"), max_length=3, choices=DmdKind.choices, blank=True)
    ingredients = models.CharField(
        _("active ingredients"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Separated by commas, e.g. codeine, paracetamol. Blank: the medicine's name."),
    )
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    dose_min = models.DecimalField(_("dose (least)"), max_digits=9, decimal_places=3)
    dose_max = models.DecimalField(_("dose (most)"), max_digits=9, decimal_places=3)
    dose_unit = models.CharField(
        _("dose unit"), max_length=30, help_text=_("For example tablet, ml, puff, application.")
    )
    times = models.JSONField(
        _("times"), default=list, blank=True, help_text=_("Times of day, e.g. 08:00, 18:00.")
    )
    time_tolerance_minutes = models.PositiveSmallIntegerField(_("tolerance (minutes)"), default=60)
    visit_part = models.CharField(
        _("with the visit of"),
        max_length=10,
        choices=VisitPart.choices,
        blank=True,
        help_text=_("Given with the client's visit of this part of the day, not at clock times."),
    )
    food = models.CharField(_("food"), max_length=8, choices=Food.choices, blank=True)
    support = models.CharField(_("support"), max_length=12, choices=Support.choices)
    starts_on = models.DateField(_("starts on"))
    stops_on = models.DateField(_("stops on"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    supply = models.CharField(_("supply"), max_length=10, choices=Supply.choices)
    body_site = models.CharField(_("body site"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    instructions = models.CharField(_("special instructions"), max_length=TEXT_MAX, blank=True)
    time_critical = models.BooleanField(_("time-critical"), default=False)
    cd_schedule = models.CharField(
        _("controlled drug"), max_length=1, choices=CdSchedule.choices, blank=True
    )
    covert = models.BooleanField(_("given covertly"), default=False)
    covert_decision = models.CharField(
        _("best-interests decision"), max_length=TEXT_MAX, blank=True
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    transcribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Recorded when the medicine matched one of the client's allergies and was added anyway.
    allergy_confirmed_reason = models.CharField(max_length=REASON_MAX, blank=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    prn = models.BooleanField(_("when required (PRN)"), default=False)
    prn_for = models.CharField(_("what for"), max_length=TEXT_MAX, blank=True)
    prn_min_interval_minutes = models.PositiveIntegerField(
        _("least time between doses (minutes)"), null=True, blank=True
    )
    prn_max_24h = models.DecimalField(
        _("most in 24 hours"), null=True, blank=True, max_digits=9, decimal_places=3
    )
    prn_if_ineffective = models.CharField(_("if it does not work"), max_length=TEXT_MAX, blank=True)
    track_stock = models.BooleanField(_("keep a stock count"), default=False)
    status = models.CharField(
        max_length=8, choices=LineStatus.choices, default=LineStatus.ACTIVE, editable=False
    )
    stopped_reason = models.CharField(max_length=REASON_MAX, blank=True, editable=False)
    stopped_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the last change was, in the words of whoever changed it (shown on the visit card).
    change_note = models.CharField(max_length=REASON_MAX, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    team_parent = "client"

    class Meta:
        ordering = ("client", "status", "prn", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=Form.values)
                & Q(route__in=Route.values)
                & Q(dmd_kind__in=DmdKind.values)
                & Q(food__in=Food.values)
                & Q(support__in=Support.values)
                & Q(supply__in=Supply.values)
                & Q(cd_schedule__in=CdSchedule.values)
                & Q(source__in=Source.values)
                & Q(status__in=LineStatus.values)
                & Q(visit_part__in=[*VisitPart.values, ""]),
                name="medicine_line_choices_are_choices",
            ),
            models.CheckConstraint(
                condition=Q(dose_min__gt=0) & Q(dose_max__gte=F("dose_min")),
                name="medicine_line_dose_positive_and_in_order",
            ),
            models.CheckConstraint(
                condition=Q(time_tolerance_minutes__lte=TOLERANCE_MAX_MINUTES),
                name="medicine_line_tolerance_at_most_12_hours",
            ),
            models.CheckConstraint(
                condition=Q(covert=False) | ~Q(covert_decision=""),
                name="medicine_line_covert_needs_a_decision",
            ),
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=F("transcribed_by")),
                name="medicine_line_checked_by_another",
            ),
            models.CheckConstraint(
                condition=Q(stops_on__isnull=True) | Q(stops_on__gte=F("starts_on")),
                name="medicine_line_stops_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status=LineStatus.ACTIVE) | Q(stopped_at__isnull=False),
                name="medicine_line_stopped_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["client", "status"], name="medicine_line_client")]

    def __str__(self) -> str:
        return f"{self.name} {self.strength}".strip()

    @property
    def ingredient_list(self) -> list[str]:
        """The active ingredients, lower case; the name when none were entered."""
        return ingredient_list(self.ingredients or self.name)

    @property
    def is_checked(self) -> bool:
        return self.checked_by_id is not None

    @property
    def is_controlled(self) -> bool:
        return self.cd_schedule != CdSchedule.NONE

    @property
    def fixed_dose(self) -> bool:
        return Decimal(self.dose_min) == Decimal(self.dose_max)


def ingredient_list(text: str) -> list[str]:
    """'Codeine ,  PARACETAMOL' -> ['codeine', 'paracetamol']: what lines and allergies match on."""
    found = (" ".join(part.split()).lower() for part in text.split(","))
    return list(dict.fromkeys(part for part in found if part))
