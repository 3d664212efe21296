"""This app's sections in the header navigation of a team's pages."""

from typing import Any

from careteams.models import Team


def team_sections(team: Team) -> list[dict[str, Any]]:
    """Each as {"label": ..., "url": ...}; the URL is under /teams/<team_id>/ where it can be."""
    return []
