"""Pages of messages and handover notes. With htmx a sent message is appended to the list and
a read handover leaves its place; without JavaScript each form posts and the page comes back."""

import uuid
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careteams import dates, timeutil
from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.models import Team
from careteams.versioned_forms import add_error
from clients.models import Client
from clients.selectors import records
from messaging import selectors, services
from messaging.forms import ClientMessageForm, HandoverForm, MessageForm
from messaging.models import ClientMessage, HandoverNote, TeamMessage

READ_WHAT = "messages"


def _htmx(request: AuthedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _next(request: AuthedRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# The team channel ----------------------------------------------------------------------------


@login_required
@require_GET
def channel_list(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.channel_team(user=request.user, team_id=team_id)
    channels = selectors.channels(user=request.user, team=team)
    return render(
        request,
        "messaging/channels.html",
        {
            "team": team,
            "channels": channels,
            "is_member": selectors.is_member(user=request.user, team=team),
        },
    )


def _conversation(
    request: AuthedRequest,
    *,
    team: Team,
    client: Client | None,
    form: MessageForm,
    status: int = 200,
) -> HttpResponse:
    found: QuerySet[TeamMessage] | QuerySet[ClientMessage]
    if client is None:
        found = selectors.team_messages(user=request.user, team=team)
        items_url = reverse("messaging:team-items", kwargs={"team_id": team.id})
        post_url = reverse("messaging:team-channel", kwargs={"team_id": team.id})
        template = "messaging/team_channel.html"
    else:
        found = selectors.client_messages(user=request.user, client=client)
        items_url = reverse("messaging:client-items", kwargs={"client_id": client.id})
        post_url = reverse("messaging:client-channel", kwargs={"client_id": client.id})
        template = "messaging/client_channel.html"
    context: dict[str, Any] = {
        "team": team,
        "client": client,
        "form": form,
        "items_url": items_url,
        "post_url": post_url,
        "cursor": team.last_change_seq,
    }
    if _htmx(request) and request.method == "POST":
        return render(request, "messaging/_message_form.html", context, status=status)
    context["messages_shown"] = selectors.recent(found)
    if client is not None:
        context["handovers"] = list(selectors.client_handovers(user=request.user, client=client))
    response = render(request, template, context, status=status)
    # Opening the channel reads it: its unread count goes (on this and the person's other pages).
    services.channel_mark_read(team=team, client=client, actor=request.user)
    return response


def _posted(
    request: AuthedRequest, *, team: Team, client: Client | None, message: Any, url: str
) -> HttpResponse:
    services.channel_mark_read(team=team, client=client, actor=request.user)
    if not _htmx(request):
        return redirect(f"{url}#message-{message.id}")
    form_class = MessageForm if client is None else ClientMessageForm
    return render(
        request,
        "messaging/_message_form.html",
        {
            "team": team,
            "client": client,
            "form": form_class(),
            "post_url": url,
            "appended": [message],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_channel(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.channel_team(user=request.user, team_id=team_id)
    if request.method != "POST":
        return _conversation(request, team=team, client=None, form=MessageForm())
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.message_post_team(
                team=team,
                author=request.user,
                body=form.cleaned_data["body"],
                message_id=form.cleaned_data["message_id"],
            )
        except DomainError as error:
            add_error(form, error)
        else:
            url = reverse("messaging:team-channel", kwargs={"team_id": team.id})
            return _posted(request, team=team, client=None, message=message, url=url)
    return _conversation(request, team=team, client=None, form=form, status=400)


def _items(request: AuthedRequest, team: Team, found: Any) -> HttpResponse:
    return render(
        request,
        "messaging/_messages.html",
        {"team": team, "messages_shown": selectors.after(found, key=request.GET.get("after", ""))},
    )


@login_required
@require_GET
def team_items(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    """The messages after ?after= (a key the page holds): what a live page appends."""
    team = selectors.channel_team(user=request.user, team_id=team_id)
    return _items(request, team, selectors.team_messages(user=request.user, team=team))


@login_required
@require_GET
def unread_badge(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    """The unread count beside Messages in the header, fetched after the page loads (so no
    page pays for it) and refreshed live."""
    team = selectors.channel_team(user=request.user, team_id=team_id)
    return render(
        request,
        "messaging/_unread.html",
        {"team": team, "unread": selectors.unread(user=request.user, team=team)},
    )


# A client's channel --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_channel(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = selectors.client_channel(user=request.user, client_id=client_id)
    records.read_logged(user=request.user, client=client, what=READ_WHAT)
    if request.method != "POST":
        return _conversation(request, team=client.team, client=client, form=ClientMessageForm())
    form = ClientMessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.message_post_client(
                client=client,
                author=request.user,
                body=form.cleaned_data["body"],
                message_id=form.cleaned_data["message_id"],
                shared_with_family=form.cleaned_data["shared_with_family"],
            )
        except DomainError as error:
            add_error(form, error)
        else:
            url = reverse("messaging:client-channel", kwargs={"client_id": client.id})
            return _posted(request, team=client.team, client=client, message=message, url=url)
    return _conversation(request, team=client.team, client=client, form=form, status=400)


@login_required
@require_GET
def client_items(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = selectors.client_channel(user=request.user, client_id=client_id)
    records.read_logged(user=request.user, client=client, what=READ_WHAT)
    return _items(request, client.team, selectors.client_messages(user=request.user, client=client))


@login_required
@require_GET
def family_items(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    """The family view's shared messages, as its live page refreshes them."""
    client = selectors.family_client(user=request.user, client_id=client_id)
    records.read_logged(user=request.user, client=client, what="shared messages")
    shown = selectors.recent(selectors.family_messages_of(user=request.user, client_id=client.id))
    return render(
        request,
        "messaging/_family_items.html",
        {"client_id": client.id, "team": client.team, "messages_shown": shown},
    )


# Handover notes ------------------------------------------------------------------------------


def _handover_form(request: AuthedRequest, *, team: Team, client: Client | None) -> HttpResponse:
    amends: HandoverNote | None = None
    raw_amends = request.POST.get("amends") or request.GET.get("amends") or ""
    if raw_amends:
        amends = selectors.handover_get(user=request.user, handover_id=raw_amends)
        if amends.team_id != team.id or amends.client_id != (client.id if client else None):
            raise NotFound()
    back = (
        reverse("messaging:client-channel", kwargs={"client_id": client.id})
        if client
        else reverse("scheduling:my-day", kwargs={"team_id": team.id})
    )
    context: dict[str, Any] = {"team": team, "client": client, "amends": amends, "back": back}
    if request.method != "POST":
        initial = {"amends": amends.id, "body": amends.body} if amends else {}
        return render(
            request,
            "messaging/handover_form.html",
            {**context, "form": HandoverForm(initial=initial)},
        )
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            services.handover_write(
                team=team,
                author=request.user,
                body=form.cleaned_data["body"],
                handover_id=form.cleaned_data["handover_id"],
                client=client,
                amends=amends,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            flash.success(request, _("Handover note saved: the next carer will see it."))
            return redirect(back)
    return render(request, "messaging/handover_form.html", {**context, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def handover_new(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    """A handover for the next shift (about no one client)."""
    team = selectors.member_team(user=request.user, team_id=team_id)
    return _handover_form(request, team=team, client=None)


@login_required
@require_http_methods(["GET", "POST"])
def client_handover_new(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = selectors.client_channel(user=request.user, client_id=client_id)
    return _handover_form(request, team=client.team, client=client)


@login_required
@require_POST
def handover_read(request: AuthedRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = selectors.handover_get(user=request.user, handover_id=handover_id)
    services.handover_mark_read(handover=handover, actor=request.user)
    if _htmx(request):
        return render(request, "messaging/_handover_read.html", {"handover": handover})
    flash.success(request, _("Handover marked read."))
    return redirect(_next(request, reverse("scheduling:my-day", args=[handover.team_id])))


@login_required
@require_GET
def my_handovers_part(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    """My day's handover section on its own: what a live page refreshes."""
    team = selectors.member_team(user=request.user, team_id=team_id)
    member = selectors.membership(user=request.user, team=team)
    day = dates.query_date(request.GET, "day") or timeutil.local_today(team.zone)
    context = selectors.my_handovers_context(user=request.user, member=member, day=day)
    return render(request, "messaging/_my_handovers.html", context)
