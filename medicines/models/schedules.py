"""When a line is due, over time: one schedule per version of the line, and its check."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from careteams.team_owned import TeamOwnedChild
from medicines.models.base import (
    AppendOnly,
)
from medicines.models.lines import MedicineLine
from medicines.vocabulary import (
    VisitPart,
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
