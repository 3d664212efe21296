"""Reading a team's week and one member's day (members only: DESIGN §6)."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from mobile_api import selectors
from mobile_api.problems import ERRORS_FOR_READS, error_responses
from mobile_api.schemas.rota import MyDayOut, WeekOut
from mobile_api.schemas.types import SaneDate
from mobile_api.security import user_of
from scheduling import selectors as rota

router = Router(tags=["Rota"])


class DayQuery(Schema):
    day: SaneDate | None = None


@router.get(
    "/teams/{team_id}/week/{monday}",
    response={200: WeekOut, **error_responses(ERRORS_FOR_READS)},
    summary="A team's week: members, shifts, absences, visits with carers, rule problems",
)
def week(request: HttpRequest, team_id: uuid.UUID, monday: SaneDate) -> dict[str, Any]:
    board = rota.week_board(
        user=user_of(request), team_id=team_id, monday=rota.week_from_text(monday.isoformat())
    )
    return selectors.week_out(board)


@router.get(
    "/teams/{team_id}/my-day",
    response={200: MyDayOut, **error_responses(ERRORS_FOR_READS)},
    summary="My day: my visits in order and my shifts (today in the team's time zone)",
)
def my_day(request: HttpRequest, team_id: uuid.UUID, query: Query[DayQuery]) -> dict[str, Any]:
    return selectors.my_day_out(rota.my_day(user=user_of(request), team_id=team_id, day=query.day))
