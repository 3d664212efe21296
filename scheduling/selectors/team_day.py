"""The team's day page: the domain's cards of today (scheduling/selectors/visit_card.py:
team_day_cards), the late ones with whom to call, and the missed visits of the last days still
waiting for a reason. For the team's members only."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from careteams import timeutil
from careteams.access import AnyUser
from careteams.models import Team
from scheduling import access as scheduling_access
from scheduling import hooks
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.rules.lateness import Timing, end_of_day
from scheduling.selectors.visit_card import VisitCard, team_day_cards
from scheduling.visit_models import MissedReason

# How far back the page looks for missed visits that nobody has explained yet.
MISSED_LOOKBACK_DAYS = 7


@dataclass
class TeamDay:
    team: Team
    day: dt.date
    now: dt.datetime
    cards: list[VisitCard]
    unexplained: list[Visit]
    cursor: int
    # What the apps above the rota add (medicines: missed doses, time-critical doses soon).
    parts: hooks.DayParts = field(default_factory=lambda: hooks.DayParts([]))

    @property
    def refresh_in(self) -> int | None:
        return self.parts.refresh_in(self.now)

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
        return [(value, str(label)) for value, label in MissedReason.choices]


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


def _unexplained(user: AnyUser, team: Team, day: dt.date, now: dt.datetime) -> list[Visit]:
    """Visits of the last days nobody checked in to and nobody has said why (a visit with a
    recorded reason is `missed`)."""
    start = timeutil.day_bounds(team.zone, day - dt.timedelta(days=MISSED_LOOKBACK_DAYS))[0]
    end = timeutil.day_bounds(team.zone, day)[0]
    visits = (
        scheduling_access.visits_visible_to(user)
        .filter(team=team, planned_start__gte=start, planned_start__lt=end)
        .filter(status=VisitStatus.PLANNED)
        .select_related("client")
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.select_related("member__user"))
        )
        .order_by("planned_start")
    )
    return [v for v in visits if end_of_day(v.planned_start, team.zone) <= now]


def team_day(*, user: AnyUser, team_id: uuid.UUID, now: dt.datetime | None = None) -> TeamDay:
    now = now or timezone.now()
    cards = team_day_cards(user=user, team_id=team_id, now=now)
    unexplained = _unexplained(user, cards.team, cards.day, now)
    start, end = timeutil.day_bounds(cards.team.zone, cards.day)
    ask = hooks.DayAsk(
        user=user,
        team=cards.team,
        start=start,
        end=end,
        now=now,
        visits=[card.visit for card in cards.cards],
    )
    return TeamDay(
        cards.team,
        cards.day,
        now,
        cards.cards,
        unexplained,
        cards.cursor,
        hooks.day_parts(ask),
    )


def team_day_counts(team: Team, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """The team home page's line (careteams.hooks.team_day_facts): the visits starting in the
    span, and how many of them have no carer yet. The caller has scoped the team."""
    counts = (
        Visit.objects.filter(team=team, planned_start__gte=start, planned_start__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .annotate(carers_count=Count("assignments"))
        .aggregate(
            visits=Count("id"),
            unassigned=Count("id", filter=Q(carers_count__lt=1)),
        )
    )
    return {"visits": counts["visits"], "unassigned": counts["unassigned"]}
