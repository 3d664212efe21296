"""The commissioners' figures of a team, as JSON and CSV: for the team and its coach."""

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from careteams import dates
from careteams.http import AuthedRequest
from sharing import figures_output
from sharing.selectors import figures as selectors


def _report(request: AuthedRequest, team_id: uuid.UUID) -> selectors.CommissionerReport:
    return selectors.commissioner_report(
        user=request.user,
        team_id=team_id,
        first=dates.query_date(request.GET, "from"),
        last=dates.query_date(request.GET, "to"),
    )


def _download(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def commissioner_json(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    body = json.dumps(figures_output.report_json(_report(request, team_id)), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _download(response, "commissioner-figures.json")


@login_required
@require_GET
def commissioner_csv(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    body = figures_output.report_csv(_report(request, team_id))
    return _download(
        HttpResponse(body, content_type="text/csv; charset=utf-8"), "commissioner-figures.csv"
    )
