from django import template
from django.utils import timezone

from scheduling import words
from scheduling.models import Visit
from scheduling.rules import windows

register = template.Library()


@register.filter
def arrival(visit: Visit) -> str:
    """'Between 08:00 and 08:45' in the zone the page shows (inside `{% timezone %}`)."""
    return words.arrival(
        start=visit.planned_start,
        window_start=visit.window_start,
        window_end=visit.window_end,
        zone=timezone.get_current_timezone(),
    )


@register.filter
def planned(visit: Visit) -> str:
    return windows.planned_text(
        start=visit.planned_start, end=visit.planned_end, zone=timezone.get_current_timezone()
    )
