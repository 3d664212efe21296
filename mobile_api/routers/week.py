"""Reading a team's week and one member's day (members only: docs/design.md, who may see what)."""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext
from ninja import Query, Router, Schema

from careteams import timeutil
from careteams.errors import DomainError
from mobile_api import selectors
from mobile_api.problems import ERRORS_FOR_READS, error_responses
from mobile_api.schemas.rota import MyDayOut, WeekOut
from mobile_api.schemas.types import SaneDate
from mobile_api.security import user_of
from scheduling import selectors as rota
from scheduling.selectors import week_cache

router = Router(tags=["Rota"])


class DayQuery(Schema):
    day: SaneDate | None = None


@router.get(
    "/teams/{team_id}/week/{monday}",
    response={200: WeekOut, 304: None, **error_responses(ERRORS_FOR_READS)},
    summary="A team's week: members, shifts, absences, visits with carers, rule problems",
    description=(
        "With `day` (a date of the week), only that day's visits and problems (the days list "
        "counts every day's visits). Answers carry an ETag: sent back as If-None-Match, the "
        "answer is 304 Not Modified while nothing of the team changed (docs/api.md)."
    ),
)
def week(
    request: HttpRequest,
    team_id: uuid.UUID,
    monday: SaneDate,
    query: Query[DayQuery],
    response: HttpResponse,
) -> dict[str, Any] | HttpResponse:
    user = user_of(request)
    # Access first: another team's week is a 404 whatever tag the client sends.
    team = rota.team_for_member(user=user, team_id=team_id)
    first = rota.week_from_text(monday.isoformat())
    if query.day is not None and timeutil.monday_of(query.day) != first:
        raise DomainError(
            gettext("%(day)s is not a day of the week of %(first)s.")
            % {"day": query.day, "first": first},
            field="day",
        )
    position = week_cache.position_of(team)
    etag = week_cache.week_etag(
        user=user, team=team, variant=request.get_full_path(), position=position
    )
    if week_cache.not_modified(request.headers.get("If-None-Match"), etag):
        unchanged = HttpResponseNotModified()
        unchanged["ETag"] = etag
        return unchanged
    board = rota.week_board(
        user=user,
        team_id=team.id,
        monday=first,
        day=query.day,
        team=team,
        position=position,
        all_visits=query.day is None,
    )
    response["ETag"] = etag
    return selectors.week_out(board, day_only=query.day is not None)


@router.get(
    "/teams/{team_id}/my-day",
    response={200: MyDayOut, **error_responses(ERRORS_FOR_READS)},
    summary="My day: my visits in order and my shifts (today in the team's time zone)",
)
def my_day(request: HttpRequest, team_id: uuid.UUID, query: Query[DayQuery]) -> dict[str, Any]:
    return selectors.my_day_out(rota.my_day(user=user_of(request), team_id=team_id, day=query.day))
