"""One visit's row of the week board."""

import uuid

from careteams import timeutil
from careteams.access import AnyUser
from careteams.models import Team
from careteams.selectors import team_for_member
from scheduling.selectors import week_cache
from scheduling.selectors.records import visit_get
from scheduling.selectors.week import week_board
from scheduling.selectors.week_board_shapes import VisitRow, WeekBoard


def visit_row(
    *,
    user: AnyUser,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    team: Team | None = None,
    position: week_cache.Position | None = None,
) -> tuple[WeekBoard, VisitRow]:
    """One visit's row of the board, as the whole week's rules see it (`team` and `position`:
    as for `week_board`)."""
    if team is None or team.id != team_id:
        team = team_for_member(user=user, team_id=team_id)
    visit = visit_get(user=user, team=team, visit_id=visit_id)
    day = visit.planned_start.astimezone(team.zone).date()
    board = week_board(
        user=user,
        team_id=team.id,
        monday=timeutil.monday_of(day),
        day=day,
        team=team,
        position=position,
        all_visits=False,
    )
    row = next(r for r in board.shown.visits if r.visit.id == visit.id)
    return board, row
