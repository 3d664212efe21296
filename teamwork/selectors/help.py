"""Requests for the coach's help: the team's own, and those a coach may answer."""

import uuid

from careteams import access
from careteams.access import AnyUser
from careteams.models import Team
from teamwork.models import HelpRequest
from teamwork.selectors.governance import team_get


def help_requests_of(*, user: AnyUser, team_id: uuid.UUID) -> tuple[Team, list[HelpRequest]]:
    team = team_get(user=user, team_id=team_id)
    return team, list(
        HelpRequest.objects.filter(team=team).select_related("asked_by", "answered_by")[:50]
    )


def help_requests_for_coach(*, user: AnyUser) -> list[HelpRequest]:
    """The coach's teams' requests, unanswered first."""
    return list(
        HelpRequest.objects.filter(team_id__in=access.coached_team_ids(user))
        .select_related("team", "asked_by", "answered_by")
        .order_by("answered_at", "-asked_at")[:100]
    )


def help_request_for_coach(*, user: AnyUser, request_id: uuid.UUID | str) -> HelpRequest:
    return access.get_visible(
        HelpRequest.objects.filter(team_id__in=access.coached_team_ids(user)).select_related(
            "team", "asked_by", "answered_by"
        ),
        request_id,
    )
