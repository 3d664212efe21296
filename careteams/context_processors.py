from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from careteams import access, hooks
from careteams.models import Team


def _current_team(request: HttpRequest, teams: list[Team]) -> Team | None:
    """The team in the URL (/teams/<team_id>/…) when it is one of the user's, else their first."""
    match = request.resolver_match
    team_id = str(match.kwargs.get("team_id", "")) if match else ""
    return next((t for t in teams if str(t.id) == team_id), teams[0] if teams else None)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's links: the current team's sections, other teams, coaching, family."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    teams = list(access.member_teams(user).only("id", "name"))
    current = _current_team(request, teams)
    items: list[dict[str, Any]] = []
    if current is not None:
        items.append({"label": current.name, "url": reverse("team-home", args=[current.id])})
        # Each app's sections, as it registered them (careteams/hooks.py): the core imports none.
        items += hooks.nav_sections(current)
    items += [
        {"label": team.name, "url": reverse("team-home", args=[team.id])}
        for team in teams
        if team is not current
    ]
    # Read from the request's scope (careteams/access.py): no query of their own, and never a
    # scan of the clients.
    if access.coaches_any_team(user):
        items.append({"label": gettext("Coaching"), "url": reverse("coach-home")})
    if access.has_family_view(user):
        items.append({"label": gettext("Family"), "url": reverse("family-home")})
    for item in items:
        item["current"] = request.path == item["url"]
    return {"nav": items, "current_team": current}
