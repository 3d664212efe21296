"""This app's sections in the header navigation of a team's pages."""

from typing import Any

from django.urls import reverse

from careteams.models import Team


def team_sections(team: Team) -> list[dict[str, Any]]:
    """Each as {"label": ..., "url": ...}; the URL is under /teams/<team_id>/ where it can be."""
    kwargs = {"team_id": team.id}
    return [
        {"label": "Clients", "url": reverse("clients:client-list", kwargs=kwargs)},
        {"label": "Caseload", "url": reverse("clients:caseload", kwargs=kwargs)},
    ]
