"""The medicines record (issue 25, docs/medicines.md): the team's policy, the client's medicines
list, and what happened to each dose, PRN follow-ups and stock.

Lines are versioned and change through the services; dose records, PRN follow-ups and stock
events are append-only: `save()` refuses an update, `delete()` refuses, and the database
refuses both whatever writes to it (medicines/db_guards.py). A correction is a new record that
`supersedes` the earlier one, which stays readable.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careteams import registry
from careteams.models import Team
from careteams.team_owned import TeamOwnedChild
from clients.models import Client
from medicines.vocabulary import (
    TAKEN,
    CdSchedule,
    DmdKind,
    Food,
    Form,
    LineStatus,
    NotGivenReason,
    Outcome,
    Route,
    Source,
    StockKind,
    Supply,
    Support,
    VisitPart,
)

MEDICINES_POLICY: Final = registry.kind_name("medicines_policy")
MEDICINE_LINE: Final = registry.kind_name("medicine_line")
DOSE_RECORD: Final = registry.kind_name("dose_record")
PRN_FOLLOW_UP: Final = registry.kind_name("prn_follow_up")
STOCK_EVENT: Final = registry.kind_name("stock_event")

NAME_MAX: Final = 200
TEXT_MAX: Final = 1_000  # instructions, a best-interests decision, a PRN protocol's words
NOTE_MAX: Final = 1_000
REASON_MAX: Final = 500
TOLERANCE_MAX_MINUTES: Final = 720
GRACE_MAX_MINUTES: Final = 720
INTERVAL_MAX_MINUTES: Final = 7 * 24 * 60


class AppendOnlyError(Exception):
    """An attempt to change or delete a dose record, a PRN follow-up or a stock event."""


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Medicine records are never changed: record a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Medicine records are never deleted: record a correction.")


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


class DoseRecord(AppendOnly, TeamOwnedChild):
    """What happened to one dose: append-only, a correction supersedes it."""

    # Given by the device that recorded it: the same id again is the same record.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    line = models.ForeignKey(MedicineLine, on_delete=models.PROTECT, related_name="doses")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="dose_records")
    visit = models.ForeignKey(
        "scheduling.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dose_records",
    )
    # The scheduled time of the dose; none for a PRN dose.
    due_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    amount = models.DecimalField(_("amount"), null=True, blank=True, max_digits=9, decimal_places=3)
    reason = models.CharField(
        _("reason"), max_length=20, choices=NotGivenReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    prn_reason = models.CharField(_("why it was needed"), max_length=REASON_MAX, blank=True)
    taken_at = models.DateTimeField(help_text="When it happened, on the device.")
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, help_text="By the server.")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.CharField(max_length=REASON_MAX, blank=True)
    # A rule the record broke but which could not refuse it (made offline, it had happened).
    warning = models.CharField(max_length=REASON_MAX, blank=True)
    late_entry = models.BooleanField(default=False)

    team_parent = "client"

    class Meta:
        ordering = ("client", "taken_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values) & Q(reason__in=NotGivenReason.values),
                name="dose_record_choices_are_choices",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.NOT_GIVEN) & ~Q(reason=""))
                | (~Q(outcome=Outcome.NOT_GIVEN) & Q(reason="")),
                name="dose_record_reason_only_when_not_given",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.PARTLY) | Q(amount__isnull=False),
                name="dose_record_partly_says_how_much",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="dose_record_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="dose_record_correction_has_a_reason",
            ),
            # One first record per scheduled dose: anything after it is a correction of it.
            models.UniqueConstraint(
                fields=["line", "due_at"],
                condition=Q(due_at__isnull=False, supersedes__isnull=True),
                name="dose_record_one_first_per_scheduled_dose",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "due_at"], name="dose_record_client_due"),
            models.Index(fields=["line", "taken_at"], name="dose_record_line_taken"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} {self.line_id} {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def taken(self) -> bool:
        return self.outcome in TAKEN


class PrnFollowUp(AppendOnly, TeamOwnedChild):
    """Whether a PRN dose worked, asked later (one answer per dose)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dose = models.ForeignKey(DoseRecord, on_delete=models.PROTECT, related_name="follow_ups")
    effective = models.BooleanField(_("it worked"))
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    team_parent = "dose"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dose"], name="prn_follow_up_once_per_dose"),
        ]

    def __str__(self) -> str:
        return f"Follow-up of {self.dose_id}"


class StockEvent(AppendOnly, TeamOwnedChild):
    """Medicine received, carried forward, returned, disposed of or counted. A count keeps what
    the records made the team expect, so a difference stays flagged."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    line = models.ForeignKey(MedicineLine, on_delete=models.PROTECT, related_name="stock_events")
    kind = models.CharField(_("what happened"), max_length=16, choices=StockKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=3)
    expected_quantity = models.DecimalField(null=True, blank=True, max_digits=9, decimal_places=3)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    team_parent = "line"

    class Meta:
        ordering = ("line", "recorded_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StockKind.values) & Q(quantity__gte=0),
                name="stock_event_kind_and_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} of {self.line_id}"

    @property
    def mismatch(self) -> bool:
        """A count that differs from what the records say should be there."""
        return (
            self.kind == StockKind.COUNTED
            and self.expected_quantity is not None
            and Decimal(self.quantity) != Decimal(self.expected_quantity)
        )


class ScheduleManager(models.Manager["LineSchedule"]):
    """Each schedule with `checked_at`, the moment of its second check (None before it)."""

    def get_queryset(self) -> models.QuerySet["LineSchedule"]:
        # The stubs take the annotation for a second definition of the model's attribute.
        found = super().get_queryset()
        return found.annotate(checked_at=F("checks__checked_at"))  # type: ignore[no-redef]


class LineSchedule(AppendOnly, TeamOwnedChild):
    """When a line is due from a moment on, one per version of the line (written by `line_add`
    and `line_change`): its clock times or visit part, tolerance, start and stop dates and
    time-critical flag. Each dose is read by the schedule in force at its moment, so a change
    never redraws the past. Append-only, in the database too (medicines/db_guards.py): the
    version's second check is a row of its own (`LineScheduleCheck`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    line = models.ForeignKey(MedicineLine, on_delete=models.PROTECT, related_name="schedules")
    times = models.JSONField(default=list, blank=True)
    visit_part = models.CharField(max_length=10, choices=VisitPart.choices, blank=True)
    time_tolerance_minutes = models.PositiveSmallIntegerField(default=60)
    time_critical = models.BooleanField(default=False)
    starts_on = models.DateField()
    stops_on = models.DateField(null=True, blank=True)
    in_force_from = models.DateTimeField()

    # Annotated by the manager from the schedule's check; None for one just made.
    checked_at: dt.datetime | None = None

    objects = ScheduleManager()

    team_parent = "line"

    class Meta:
        ordering = ["in_force_from"]
        indexes = [models.Index(fields=["line", "in_force_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_part__in=[*VisitPart.values, ""]),
                name="line_schedule_visit_part_is_a_choice",
            ),
        ]

    def __str__(self) -> str:
        when = self.visit_part or ", ".join(self.times)
        return f"{self.line_id} {when} from {self.in_force_from:%Y-%m-%d %H:%M}"


class LineScheduleCheck(AppendOnly, TeamOwnedChild):
    """The second person's check of one schedule (one version of a line), made once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One per schedule (a key, as a team-owned child's parent is, with a unique rule).
    schedule = models.ForeignKey(LineSchedule, on_delete=models.PROTECT, related_name="checks")
    # Empty only for the checks of versions checked before checks were rows of their own.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    checked_at = models.DateTimeField()

    team_parent = "schedule"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule"], name="line_schedule_checked_once"),
        ]

    def __str__(self) -> str:
        return f"Check of {self.schedule_id} at {self.checked_at:%Y-%m-%d %H:%M}"
