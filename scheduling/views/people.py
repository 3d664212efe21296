"""My day (and the changes to my rota), swaps, team figures and the PDFs."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from careteams import access, dates, timeutil
from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.models import Team
from careteams.reading import in_readers_language
from careteams.versioned_forms import posted_version
from scheduling import pdf, pdf_run_sheet, selectors
from scheduling.models import RotaNotice, RotaStatus, SwapOffer
from scheduling.services import swaps as swap_services
from scheduling.services import weeks as week_services
from scheduling.views.common import back


def _day_param(request: AuthedRequest) -> dt.date | None:
    return dates.query_date(request.GET, "day")


def _render_my_day(
    request: AuthedRequest,
    team_id: uuid.UUID,
    day: dt.date | None,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    data = selectors.my_day(user=request.user, team_id=team_id, day=day)
    # The journeys between my visits of the day, shown above the visit they lead to.
    travel = selectors.member_day_travel(team=data.team, member=data.member, visits=data.visits)
    template = "scheduling/my_day.html"
    if request.GET.get("part") == "visits":
        template += "#visits"
    context = {"day": data, "travel": travel, "errors": errors or []}
    return render(request, template, context, status=status)


@login_required
@require_GET
def my_day(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    return _render_my_day(request, team_id, _day_param(request))


@login_required
@require_POST
def notice_seen(request: AuthedRequest, team_id: uuid.UUID, notice_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    me = selectors.membership_in(user=request.user, team=team)
    notice = access.get_visible(RotaNotice.objects.filter(team=team, member=me), notice_id)
    week_services.rota_notice_mark_seen(notice=notice, member=me, actor=request.user)
    return back(request, reverse("scheduling:my-day", kwargs={"team_id": team.id}))


@login_required
@require_POST
def notices_seen(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    me = selectors.membership_in(user=request.user, team=team)
    count = week_services.rota_notices_mark_all_seen(member=me, actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d change marked as seen.", "%(count)d changes marked as seen.", count)
        % {"count": count},
    )
    return back(request, reverse("scheduling:my-day", kwargs={"team_id": team.id}))


# Swaps -------------------------------------------------------------------------------------


def _render_swaps(
    request: AuthedRequest,
    team_id: uuid.UUID,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    offers = selectors.swap_offers(user=request.user, team_id=team_id)
    return render(
        request, "scheduling/swaps.html", {"offers": offers, "errors": errors or []}, status=status
    )


@login_required
@require_GET
def swaps(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    return _render_swaps(request, team_id)


def _offer(request: AuthedRequest, team: Team, offer_id: uuid.UUID) -> SwapOffer:
    return access.get_visible(SwapOffer.objects.filter(team=team), offer_id)


@login_required
@require_POST
def swap_take(request: AuthedRequest, team_id: uuid.UUID, offer_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    offer = _offer(request, team, offer_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        version = posted_version(request)
        swap_services.swap_offer_take(offer=offer, version=version, taker=me, actor=request.user)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _render_swaps(request, team.id, errors=[error.detail], status=error.status)
    messages.success(request, _("It is yours now."))
    return redirect("scheduling:swaps", team_id=team.id)


@login_required
@require_POST
def swap_withdraw(request: AuthedRequest, team_id: uuid.UUID, offer_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    offer = _offer(request, team, offer_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        version = posted_version(request)
        swap_services.swap_offer_withdraw(
            offer=offer, version=version, member=me, actor=request.user
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _render_swaps(request, team.id, errors=[error.detail], status=error.status)
    messages.success(request, _("Offer taken back."))
    return redirect("scheduling:swaps", team_id=team.id)


# Figures and PDFs --------------------------------------------------------------------------


def _week_param(request: AuthedRequest, team: Team) -> dt.date:
    text = request.GET.get("week", "")
    if not text:
        return timeutil.monday_of(timeutil.local_today(team.zone))
    return selectors.week_from_text(text)


@login_required
@require_GET
def figures(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_reader(user=request.user, team_id=team_id)
    data = selectors.team_figures(
        user=request.user, team_id=team.id, monday=_week_param(request, team)
    )
    return render(request, "scheduling/figures.html", {"figures": data})


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _monday_of_text(week: str) -> dt.date:
    monday = selectors.week_from_text(week)
    if monday.isoformat() != week:
        raise NotFound(f"There is no week starting {week}: weeks start on a Monday.")
    return monday


@login_required
@require_GET
def week_pdf(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    """For members and the team's coaches: the rota names no client."""
    team = selectors.team_for_reader(user=request.user, team_id=team_id)
    monday = _monday_of_text(week)
    rows = selectors.week_rows(user=request.user, team=team, monday=monday)
    rota_week = selectors.rota_week_get(team=team, monday=monday)
    published = rota_week is not None and rota_week.status == RotaStatus.PUBLISHED
    # Coaches see the visits without the clients' names (docs/design.md, who may see what).
    show_clients = access.membership_of(request.user, team) is not None
    with in_readers_language(request.user, team.language):
        content = pdf.rota_week_pdf(rows, published=published, show_clients=show_clients)
    return _pdf(content, f"rota-{monday.isoformat()}.pdf")


@login_required
@require_GET
def member_week_pdf(
    request: AuthedRequest, team_id: uuid.UUID, week: str, member_id: uuid.UUID
) -> HttpResponse:
    """A member's own week, with their visits' clients: for members of the team only."""
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    monday = _monday_of_text(week)
    member = access.get_visible(selectors.team_members(user=request.user, team=team), member_id)
    rows = selectors.week_rows(user=request.user, team=team, monday=monday)
    name = selectors.member_name(member).lower().replace(" ", "-")
    filename = f"week-{monday.isoformat()}-{name}.pdf".encode("ascii", "ignore").decode()
    with in_readers_language(request.user, team.language):
        return _pdf(pdf.member_week_pdf(rows, member), filename)


@login_required
@require_GET
def member_run_sheet_pdf(
    request: AuthedRequest, team_id: uuid.UUID, week: str, member_id: uuid.UUID
) -> HttpResponse:
    """A member's visits in order with addresses and travel, for the week or `?day=`: for
    members of the team only (it names clients and where they live)."""
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    monday = _monday_of_text(week)
    member = access.get_visible(selectors.team_members(user=request.user, team=team), member_id)
    day = _day_param(request)
    if day is not None and not monday <= day < monday + dt.timedelta(days=7):
        raise NotFound(f"{day.isoformat()} is not in the week starting {monday.isoformat()}.")
    rows = selectors.week_rows(user=request.user, team=team, monday=monday)
    name = selectors.member_name(member).lower().replace(" ", "-")
    when = (day or monday).isoformat()
    filename = f"run-sheet-{when}-{name}.pdf".encode("ascii", "ignore").decode()
    with in_readers_language(request.user, team.language):
        return _pdf(pdf_run_sheet.member_run_sheet_pdf(rows, member, day=day), filename)
