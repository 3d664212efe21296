"""The member's calendar address (under their security settings) and the feed it serves."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from careteams.errors import NotFound
from careteams.http import AuthedRequest
from sharing import ical
from sharing.selectors import calendar as selectors
from sharing.services import calendar as services


@login_required
@require_http_methods(["GET", "POST"])
def calendar_address(request: AuthedRequest) -> HttpResponse:
    """Make, replace or revoke one's own address; a new one is shown once, to copy."""
    memberships = selectors.calendar_memberships_of(user=request.user)
    shown: dict[uuid.UUID, str] = {}
    message = ""
    if request.method == "POST":
        chosen = next((m for m in memberships if str(m.pk) == request.POST.get("membership")), None)
        if chosen is None:
            raise NotFound()
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(membership=chosen, actor=request.user)
            message = _("The address is revoked: calendars that use it get nothing from now on.")
        else:
            _feed, token = services.calendar_feed_create(membership=chosen, actor=request.user)
            path = reverse("sharing:calendar-feed", kwargs={"token": token})
            shown[chosen.pk] = request.build_absolute_uri(path)
            message = _("Your new address is below. Copy it now: it is shown only this once.")
    live = set(
        selectors.calendar_feeds_of(user_id=request.user.pk).values_list("membership_id", flat=True)
    )
    rows = [
        {"membership": m, "live": m.pk in live, "url": shown.get(m.pk, "")} for m in memberships
    ]
    return render(request, "sharing/calendar_address.html", {"rows": rows, "message": message})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """For calendar services, without signing in: the token is the key. Revoked is a 404."""
    feed = selectors.calendar_feed_by_token(token)
    body = ical.calendar_ical(selectors.member_calendar(feed=feed))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="careteams.ics"'
    # Shared caches must never keep someone's rota; the calendar service fetches it again.
    response["Cache-Control"] = "private, no-store"
    return response
