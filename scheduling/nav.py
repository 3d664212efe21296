"""This app's sections in the header navigation of a team's pages."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from careteams.models import Team


def team_sections(team: Team) -> list[dict[str, Any]]:
    """Each as {"label": ..., "url": ...}; the URL is under /teams/<team_id>/ where it can be."""
    kwargs = {"team_id": team.id}
    return [
        {"label": _("My day"), "url": reverse("scheduling:my-day", kwargs=kwargs)},
        {"label": _("Team today"), "url": reverse("scheduling:team-today", kwargs=kwargs)},
        {"label": _("Week"), "url": reverse("scheduling:week-current", kwargs=kwargs)},
        {"label": _("Patterns"), "url": reverse("scheduling:patterns", kwargs=kwargs)},
        {"label": _("Swaps"), "url": reverse("scheduling:swaps", kwargs=kwargs)},
        {"label": _("Figures"), "url": reverse("scheduling:figures", kwargs=kwargs)},
    ]
