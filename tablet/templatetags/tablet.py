"""The tablet app's part of every page: the manifest link, the offline status line and the page
scripts that keep the day and the send queue (tablet/static/tablet/: offline-ui.js,
offline-store.js, offline-sync.js, offline.js)."""

import json
from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from careteams.models import Team
from scheduling.visit_models import NotDoneReason
from tablet import held

register = template.Library()


@register.filter
def json_script_value(value: Any) -> SafeString:
    """A value as a JavaScript literal inside a served .js file (not HTML): JSON, with the
    characters that could end a script or comment escaped."""
    text = json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\/")
    return mark_safe(text)  # noqa: S308 - JSON with the dangerous characters escaped


@register.inclusion_tag("tablet/_head.html")
def tablet_head() -> dict[str, Any]:
    return {}


@register.inclusion_tag("tablet/_shell.html", takes_context=True)
def tablet_shell(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    team = context.get("current_team")
    return {
        "user": user,
        "team": team if user is not None and user.is_authenticated else None,
        "keep_days": settings.TABLET_KEEP_DAYS,
        "reasons": [{"value": v, "label": label} for v, label in NotDoneReason.choices],
        "csp_nonce": context.get("csp_nonce"),
    }


@register.inclusion_tag("tablet/_from_former_members.html")
def from_former_members(team: Team) -> dict[str, Any]:
    """The team home's link to what arrived from a former member's tablet, with how many held
    items await review."""
    return {"team": team, "awaiting": held.awaiting_review(team=team)}
