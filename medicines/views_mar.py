"""The MAR chart's pages: a month and a week on screen, the month as a PDF, the blank MAR, and
the family's plain version. Members of the client's team only (anyone else a 404: a coach sees
no client), but for the plain version, which is the family's and the client's."""

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from careteams import dates, timeutil
from careteams.http import AuthedRequest
from careteams.models import Door
from careteams.reading import in_readers_language
from clients import pdf
from medicines import family, mar, pdf_mar


@login_required
@require_GET
def mar_now(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = mar.mar_client(user=request.user, client_id=client_id)
    today = timeutil.local_today(client.team.zone)
    return redirect("mar:month", client_id=client.id, day=today.replace(day=1).isoformat())


@login_required
@require_GET
def mar_month(request: AuthedRequest, client_id: uuid.UUID, day: str) -> HttpResponse:
    client = mar.mar_client(user=request.user, client_id=client_id, what="MAR")
    first, last = mar.month_bounds(dt.date.fromisoformat(day))
    chart = mar.mar_build(client=client, first=first, last=last)
    context = {
        "client": client,
        "mar": chart,
        "view": "month",
        "previous": first - dt.timedelta(days=1),
        "next": last + dt.timedelta(days=1),
        "key": mar.key(),
    }
    return render(request, "medicines/mar.html", context)


@login_required
@require_GET
def mar_week(request: AuthedRequest, client_id: uuid.UUID, day: str) -> HttpResponse:
    client = mar.mar_client(user=request.user, client_id=client_id, what="MAR")
    first, last = mar.week_bounds(dt.date.fromisoformat(day))
    chart = mar.mar_build(client=client, first=first, last=last)
    context = {
        "client": client,
        "mar": chart,
        "view": "week",
        "previous": first - dt.timedelta(days=7),
        "next": first + dt.timedelta(days=7),
        "key": mar.key(),
    }
    return render(request, "medicines/mar.html", context)


@login_required
@require_GET
def mar_month_pdf(request: AuthedRequest, client_id: uuid.UUID, day: str) -> HttpResponse:
    client = mar.mar_client(user=request.user, client_id=client_id, what="MAR", door=Door.PDF)
    first, last = mar.month_bounds(dt.date.fromisoformat(day))
    with in_readers_language(request.user, client.team.language):
        content = pdf_mar.mar_pdf(mar.mar_build(client=client, first=first, last=last))
    return pdf.response(content, filename=f"mar-{client.family_name}-{first:%Y-%m}.pdf")


@login_required
@require_GET
def mar_blank_pdf(request: AuthedRequest, client_id: uuid.UUID, day: str) -> HttpResponse:
    client = mar.mar_client(user=request.user, client_id=client_id, what="MAR", door=Door.PDF)
    first, last = mar.month_bounds(dt.date.fromisoformat(day))
    with in_readers_language(request.user, client.team.language):
        content = pdf_mar.mar_pdf(mar.mar_build(client=client, first=first, last=last, blank=True))
    return pdf.response(content, filename=f"mar-blank-{client.family_name}-{first:%Y-%m}.pdf")


@login_required
@require_GET
def family_medicines(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    week = dates.query_date(request.GET, "week")
    plain = family.family_medicines(user=request.user, client_id=client_id, day=week)
    return render(request, "medicines/family_medicines.html", {"plain": plain})
