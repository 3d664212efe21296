"""What publishing a week would tell the team: its problems, the visits still without a
carer, and who the rota affects (each of them gets one notice)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from careteams.access import AnyUser
from scheduling import rules
from scheduling.selectors.week import week_board
from scheduling.selectors.week_board_shapes import VisitRow, WeekBoard


@dataclass(frozen=True)
class Affected:
    name: str
    shifts: int
    visits: int
    hours: float


@dataclass(frozen=True)
class PublishSummary:
    board: WeekBoard
    errors: list[rules.Problem]
    warnings: list[rules.Problem]
    unassigned: list[VisitRow]
    affected: list[Affected]

    @property
    def needs_confirmation(self) -> bool:
        """Publishing over errors or visits without a carer is a decision someone makes."""
        return bool(self.errors or self.unassigned)

    @property
    def seen(self) -> str:
        """What the summary showed, posted back with the confirmation: if the week changed in
        between, the team is shown the summary again rather than publishing blind."""
        return f"{len(self.errors)}:{len(self.warnings)}:{len(self.unassigned)}"


def publish_summary(*, user: AnyUser, team_id: uuid.UUID, monday: dt.date) -> PublishSummary:
    board = week_board(user=user, team_id=team_id, monday=monday)
    visits: dict[uuid.UUID, int] = {}
    for vd in board.visit_days:
        for row in vd.visits:
            if row.visit.status == "cancelled":
                continue
            for carer in row.carers:
                if carer is not None:
                    visits[carer.id] = visits.get(carer.id, 0) + 1
    affected = [
        Affected(
            name=row.name,
            shifts=sum(len(cell.shifts) for cell in row.cells),
            visits=visits.get(row.member.id, 0),
            hours=row.planned_hours,
        )
        for row in board.rows
        if visits.get(row.member.id) or any(cell.shifts for cell in row.cells)
    ]
    return PublishSummary(
        board=board,
        errors=[p for p in board.problems if p.level == rules.Level.ERROR],
        warnings=[p for p in board.problems if p.level != rules.Level.ERROR],
        unassigned=[row for vd in board.visit_days for row in vd.visits if row.needs_carer],
        affected=affected,
    )
