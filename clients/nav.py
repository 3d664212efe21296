"""This app's sections in the header navigation of a team's pages."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from careteams.models import Team


def team_sections(team: Team) -> list[dict[str, Any]]:
    """Each as {"label": ..., "url": ...}; the URL is under /teams/<team_id>/ where it can be."""
    kwargs = {"team_id": team.id}
    return [
        {"label": _("Clients"), "url": reverse("clients:client-list", kwargs=kwargs)},
        {"label": _("Caseload"), "url": reverse("clients:caseload", kwargs=kwargs)},
    ]
