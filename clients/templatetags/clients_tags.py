from django import template

from clients import hooks
from clients.models import Intervention, Note
from clients.rules import is_late as _is_late

register = template.Library()


@register.filter
def is_late(note: Note) -> bool:
    """Received long after it was written (see clients.rules.LATE_ENTRY_AFTER)."""
    return _is_late(written_at=note.recorded_at, received_at=note.received_at)


@register.filter
def hours(value: float) -> str:
    """1.5 not 1.50; 2 not 2.00."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@register.filter
def visit_schedule(intervention: Intervention) -> str:
    """Which visits the intervention is a task of, in plain words ("morning visits on Mon")."""
    return hooks.visits().schedule_words(intervention)
