"""Handover notes and shared messages inside other apps' pages, each one tag:
`{% my_handovers %}` on My day, `{% handovers_for_visit visit %}` on a visit, and
`{% family_messages client_id %}` in the family view."""

import uuid
from typing import Any

from django import template

from messaging import selectors

register = template.Library()


@register.filter
def message_key(message: selectors.Message) -> str:
    return selectors.key_of(message)


@register.inclusion_tag("messaging/_my_handovers.html", takes_context=True)
def my_handovers(context: template.Context) -> dict[str, Any]:
    """Reads My day's `day` (its team, member and date) and the signed-in user."""
    request = context["request"]
    day = context["day"]
    found = selectors.my_handovers_context(user=request.user, member=day.member, day=day.day)
    return {**found, "request": request, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("messaging/_visit_handovers.html", takes_context=True)
def handovers_for_visit(context: template.Context, visit: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "visit": visit,
        "handovers": selectors.handovers_for_visit(user=request.user, visit=visit),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("messaging/_family_messages.html", takes_context=True)
def family_messages(context: template.Context, client_id: uuid.UUID) -> dict[str, Any]:
    """Inside the family view, which has logged the read and set the team's time zone."""
    request = context["request"]
    found = selectors.family_messages_of(user=request.user, client_id=client_id)
    return {"client_id": client_id, "messages_shown": selectors.recent(found)}
