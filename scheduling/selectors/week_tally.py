"""The week's visits counted per day without loading them: the board's day tabs and the API
week's days need each day's number of visits and of those needing a carer, and the planner's
list of visits it could not place needs to know which are still open; the board shows one
day's visits in full."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from careteams.access import AnyUser
from careteams.models import Team
from scheduling import access as scheduling_access
from scheduling.models import VisitStatus


@dataclass
class WeekTally:
    per_day: dict[dt.date, tuple[int, int]]  # visits, of which needing a carer
    open_ids: set[uuid.UUID] = field(default_factory=set)  # planned, with places left


def week_tally(*, user: AnyUser, team: Team, start: dt.datetime, end: dt.datetime) -> WeekTally:
    """One query of plain rows, through the same scoping as the visits themselves."""
    rows = (
        scheduling_access.visits_visible_to(user)
        .filter(team=team, planned_start__gte=start, planned_start__lt=end)
        .annotate(assigned=Count("assignments"))
        .values_list("id", "planned_start", "status", "carers_needed", "assigned")
    )
    counts: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    tally = WeekTally({})
    for visit_id, planned_start, status, needed, assigned in rows:
        day = counts[planned_start.astimezone(team.zone).date()]
        day[0] += 1
        if status != VisitStatus.CANCELLED and assigned < needed:
            day[1] += 1
            if status == VisitStatus.PLANNED:
                tally.open_ids.add(visit_id)
    tally.per_day = {day: (n, needing) for day, (n, needing) in counts.items()}
    return tally
