"""This app's sections in the header navigation of a team's pages."""

from typing import Any

from django.urls import reverse

from careteams.models import Team


def team_sections(team: Team) -> list[dict[str, Any]]:
    """Each as {"label": ..., "url": ...}; the URL is under /teams/<team_id>/ where it can be."""
    kwargs = {"team_id": team.id}
    return [
        {"label": "My day", "url": reverse("scheduling:my-day", kwargs=kwargs)},
        {"label": "Team today", "url": reverse("scheduling:team-today", kwargs=kwargs)},
        {"label": "Week", "url": reverse("scheduling:week-current", kwargs=kwargs)},
        {"label": "Patterns", "url": reverse("scheduling:patterns", kwargs=kwargs)},
        {"label": "Swaps", "url": reverse("scheduling:swaps", kwargs=kwargs)},
        {"label": "Figures", "url": reverse("scheduling:figures", kwargs=kwargs)},
    ]
