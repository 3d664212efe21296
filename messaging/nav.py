"""This app's section in the header navigation of a team's pages."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from careteams.models import Team


def team_sections(team: Team) -> list[dict[str, Any]]:
    """Messages, with its unread count fetched after the page loads (`unread_url`), so that no
    page pays a query for it."""
    kwargs = {"team_id": team.id}
    return [
        {
            "label": _("Messages"),
            "url": reverse("messaging:channels", kwargs=kwargs),
            "unread_url": reverse("messaging:unread", kwargs=kwargs),
        }
    ]
