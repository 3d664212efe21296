"""The team's figures over weeks and months: charts with tables, and the same as CSV."""

import csv
import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from careteams import access
from careteams.http import AuthedRequest
from teamwork import charts
from teamwork.selectors import figures as selectors


def _scale(request: HttpRequest) -> selectors.Scale:
    return "month" if request.GET.get("by") == "month" else "week"


@login_required
@require_GET
def trends(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    """For the team and its coach: figures only, never who the clients are."""
    trend = selectors.team_trend(user=request.user, team_id=team_id, scale=_scale(request))
    return render(
        request,
        "teamwork/trends.html",
        {
            "trend": trend,
            "charts": charts.trends(trend.rows),
            "is_member": access.membership_of(request.user, trend.team) is not None,
        },
    )


CSV_COLUMNS = (
    ("period", lambda r: r.period.label),
    ("first_day", lambda r: r.period.first_day.isoformat()),
    ("days", lambda r: r.period.days),
    ("shift_hours", lambda r: round(r.shift_hours, 2)),
    ("client_hours", lambda r: round(r.client_hours, 2)),
    ("client_share_percent", lambda r: _round(r.client_share)),
    ("contracted_hours", lambda r: round(r.contracted_hours, 2)),
    ("visits", lambda r: r.visits),
    ("late", lambda r: r.late),
    ("missed", lambda r: r.missed),
    ("clients", lambda r: r.clients),
    ("carers_per_client", lambda r: _round(r.carers_per_client)),
    ("most_carers", lambda r: r.most_carers),
    ("clients_over_limit", lambda r: "" if r.over_limit is None else r.over_limit),
    ("sickness_hours", lambda r: round(r.sickness_hours, 2)),
    ("sickness_percent", lambda r: _round(r.sickness_rate)),
    ("problems_rated_twice", lambda r: r.problems_rated),
    ("knowledge_change", lambda r: _round(r.knowledge_change)),
    ("behaviour_change", lambda r: _round(r.behaviour_change)),
    ("status_change", lambda r: _round(r.status_change)),
)


def _round(value: float | None) -> object:
    return "" if value is None else round(value, 2)


@login_required
@require_GET
def trends_csv(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    trend = selectors.team_trend(user=request.user, team_id=team_id, scale=_scale(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="team-figures-by-{trend.scale}.csv"'
    writer = csv.writer(response)
    writer.writerow([name for name, _ in CSV_COLUMNS])
    for row in trend.rows:
        writer.writerow([get(row) for _, get in CSV_COLUMNS])
    return response
