"""Meetings with their agendas, the decision log (searchable) and people's open actions."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from careteams import access, dates, timeutil
from careteams.access import AnyUser
from careteams.models import Membership, Team
from teamwork.models import ActionItem, AgendaItem, Decision, Meeting
from teamwork.selectors.governance import team_get

SEARCH_MAX = 200
LOG_LENGTH = 200


def meetings_of(*, user: AnyUser, team_id: uuid.UUID) -> tuple[Team, list[Meeting]]:
    team = team_get(user=user, team_id=team_id)
    return team, list(Meeting.objects.filter(team=team).select_related("created_by")[:50])


def _team_records[M: Any](queryset: QuerySet[M], user: AnyUser, team: Team) -> QuerySet[M]:
    return queryset.filter(team=team, team__in=access.member_teams(user))


def meeting_get(*, user: AnyUser, team: Team, meeting_id: uuid.UUID | str) -> Meeting:
    return access.get_visible(
        _team_records(Meeting.objects.select_related("team"), user, team), meeting_id
    )


def item_get(*, user: AnyUser, team: Team, item_id: uuid.UUID | str) -> AgendaItem:
    return access.get_visible(
        _team_records(AgendaItem.objects.select_related("team", "meeting"), user, team), item_id
    )


def decision_get(*, user: AnyUser, team: Team, decision_id: uuid.UUID | str) -> Decision:
    return access.get_visible(
        _team_records(Decision.objects.select_related("team", "decided_by"), user, team),
        decision_id,
    )


def action_get(*, user: AnyUser, team: Team, action_id: uuid.UUID | str) -> ActionItem:
    return access.get_visible(
        _team_records(ActionItem.objects.select_related("team", "owner__user"), user, team),
        action_id,
    )


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("decided_by", "superseded_by").prefetch_related(
        Prefetch("actions", queryset=ActionItem.objects.select_related("owner__user"))
    )


@dataclass(frozen=True)
class MeetingView:
    team: Team
    meeting: Meeting
    items: list[AgendaItem]
    decisions: dict[uuid.UUID, list[Decision]]
    members: list[Membership]

    @property
    def rows(self) -> list[tuple[AgendaItem, list[Decision]]]:
        """Each item with its decisions, oldest first (a changed decision's successors too)."""
        return [(item, self.decisions.get(item.pk, [])) for item in self.items]


def meeting_view(*, user: AnyUser, team_id: uuid.UUID, meeting_id: uuid.UUID) -> MeetingView:
    team = team_get(user=user, team_id=team_id)
    meeting = meeting_get(user=user, team=team, meeting_id=meeting_id)
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("added_by"))
    decisions: dict[uuid.UUID, list[Decision]] = {}
    for decision in _decisions().filter(item__in=[i.pk for i in items]).order_by("decided_at"):
        decisions.setdefault(decision.item_id, []).append(decision)  # type: ignore[arg-type]
    members = list(
        Membership.objects.active()
        .filter(team=team)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )
    return MeetingView(team, meeting, items, decisions, members)


@dataclass(frozen=True)
class DecisionView:
    team: Team
    decision: Decision
    line: list[Decision]  # the whole line, oldest first, this one included
    present: list[str]
    members: list[Membership]


def decision_view(*, user: AnyUser, team_id: uuid.UUID, decision_id: uuid.UUID) -> DecisionView:
    team = team_get(user=user, team_id=team_id)
    decision = decision_get(user=user, team=team, decision_id=decision_id)
    # One line of decisions shares its agenda item (or, without one, its title); the chain is
    # then followed in memory.
    same = _decisions().filter(team=team)
    same = (
        same.filter(item_id=decision.item_id)
        if decision.item_id
        else same.filter(item__isnull=True, title=decision.title)
    )
    line = sorted(same, key=lambda d: d.decided_at)
    members = list(
        Membership.objects.filter(team=team).select_related("user").order_by("user__first_name")
    )
    names = {str(m.pk): m.user.get_full_name() or m.user.email for m in members}
    present = [names.get(pk, "a former member") for pk in decision.present]
    current = next(d for d in line if d.pk == decision.pk)
    return DecisionView(team, current, line, present, [m for m in members if m.is_active])


@dataclass(frozen=True)
class LogQuery:
    text: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    errors: list[str] = field(default_factory=list)


def log_query(params: Any) -> LogQuery:
    """The search from the query string; a date that is not one is said, not ignored."""
    errors = []
    found: dict[str, dt.date | None] = {}
    for name, label in (("since", "From"), ("until", "To")):
        raw = str(params.get(name, "") or "")
        try:
            found[name] = dates.parse(raw) if raw else None
        except ValueError as error:
            errors.append(f"{label}: {error}")
            found[name] = None
    text = str(params.get("q", "") or "").replace("\x00", "")[:SEARCH_MAX].strip()
    return LogQuery(text, found["since"], found["until"], errors)


@dataclass(frozen=True)
class DecisionLog:
    team: Team
    query: LogQuery
    decisions: list[Decision]


def decision_log(*, user: AnyUser, team_id: uuid.UUID, query: LogQuery) -> DecisionLog:
    """Decisions matching the words (in the title or the text) and the days (in the team's
    time zone), newest first; a decision that was changed says by which."""
    team = team_get(user=user, team_id=team_id)
    found = _decisions().filter(team=team)
    for word in query.text.split()[:10]:
        found = found.filter(Q(title__icontains=word) | Q(text__icontains=word))
    if query.since:
        found = found.filter(decided_at__gte=timeutil.day_bounds(team.zone, query.since)[0])
    if query.until:
        found = found.filter(decided_at__lt=timeutil.day_bounds(team.zone, query.until)[1])
    return DecisionLog(team, query, list(found.order_by("-decided_at")[:LOG_LENGTH]))


# How long a closed action (done or withdrawn) stays on the team's actions list, below the open.
CLOSED_SHOWN = dt.timedelta(days=14)


def _open_actions() -> QuerySet[ActionItem]:
    # The client of an action raised by a record is loaded: its name is in the text, so the
    # page that shows it logs the read (careteams/access_log.py).
    return ActionItem.objects.filter(
        done_at__isnull=True, withdrawn_at__isnull=True
    ).select_related("owner__user", "decision", "medicine_line__client")


def open_actions_for(*, member: Membership) -> list[ActionItem]:
    """The member's actions not yet done, soonest first (their My day lists them)."""
    return list(_open_actions().filter(owner=member).order_by("due_on", "created_at"))


def actions_of(*, user: AnyUser, team_id: uuid.UUID) -> tuple[Team, list[ActionItem]]:
    team = team_get(user=user, team_id=team_id)
    return team, list(_open_actions().filter(team=team).order_by("due_on", "created_at"))


def closed_actions_of(*, team: Team, now: dt.datetime) -> list[ActionItem]:
    """Actions done or withdrawn lately, newest first: who did it and when, or why it was
    withdrawn (a refusal corrected), so nothing leaves the list without saying so."""
    since = now - CLOSED_SHOWN
    return list(
        ActionItem.objects.filter(team=team)
        .filter(Q(done_at__gte=since) | Q(withdrawn_at__gte=since))
        .select_related("owner__user", "done_by", "decision", "medicine_line__client")
        .order_by("-created_at")[:LOG_LENGTH]
    )


def gp_actions_open(*, team: Team) -> list[ActionItem]:
    """The team's open actions to tell the GP (Team today shows them until done)."""
    return list(
        _open_actions().filter(team=team, medicine_line__isnull=False).order_by("created_at")
    )
