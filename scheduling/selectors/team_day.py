"""The team's day: today's visits with their state, the late ones with whom to call, and the
missed visits of the last days still waiting for a reason. For the team's members only."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from careteams import timeutil
from careteams.access import AnyUser
from careteams.models import Team
from careteams.selectors import team_for_member
from scheduling.models import VisitStatus
from scheduling.rules.lateness import Timing
from scheduling.selectors.visit_card import VisitCard, _cards, _visits
from scheduling.visit_models import MissedReason

# How far back the page looks for missed visits that nobody has explained yet.
MISSED_LOOKBACK_DAYS = 7


@dataclass
class TeamDay:
    team: Team
    day: dt.date
    now: dt.datetime
    cards: list[VisitCard]
    unexplained: list[VisitCard]
    cursor: int

    @property
    def late(self) -> list[VisitCard]:
        return [c for c in self.cards if state_of(c) == "late"]

    @property
    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for card in self.cards:
            found[state_of(card)] = found.get(state_of(card), 0) + 1
        return found

    @property
    def missed_reasons(self) -> list[tuple[str, str]]:
        return list(MissedReason.choices)


def state_of(card: VisitCard) -> str:
    """One word for the page: planned, late, in_progress, done, missed or cancelled."""
    visit = card.visit
    if visit.status in (VisitStatus.DONE, VisitStatus.CANCELLED, VisitStatus.IN_PROGRESS):
        return str(visit.status)
    if visit.status == VisitStatus.MISSED or card.timing == Timing.MISSED:
        return "missed"
    if card.timing == Timing.LATE:
        return "late"
    return "planned"


def team_day(*, user: AnyUser, team_id: uuid.UUID, now: dt.datetime | None = None) -> TeamDay:
    team = team_for_member(user=user, team_id=team_id)
    now = now or timezone.now()
    day = timeutil.local_today(team.zone, now=now)
    start, end = timeutil.day_bounds(team.zone, day)
    earliest = timeutil.day_bounds(team.zone, day - dt.timedelta(days=MISSED_LOOKBACK_DAYS))[0]
    visits = list(
        _visits(user, team)
        .filter(planned_start__gte=earliest, planned_start__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .exclude(planned_start__lt=start, status__in=(VisitStatus.DONE, VisitStatus.IN_PROGRESS))
        .order_by("planned_start")
    )
    cards = _cards(user, team, visits, now)
    today = [c for c in cards if c.visit.planned_start >= start]
    unexplained = [
        c
        for c in cards
        if c.visit.planned_start < start and state_of(c) == "missed" and c.missed is None
    ]
    return TeamDay(team, day, now, today, unexplained, team.last_change_seq)
