"""What every medicines model shares: the kinds' names, the field limits, and the append-only
base of dose records, PRN follow-ups, stock events and schedules (their `save()` refuses an
update, `delete()` refuses, and the database refuses both: medicines/db_guards.py)."""

from typing import Any, Final

from django.db import models

from careteams import registry

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
