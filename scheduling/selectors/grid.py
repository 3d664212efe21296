"""The rota grid: one day of the week board drawn as rows of members on shift, time across
(07:00-22:00 in the team's time zone), each visit a block at its time and length with the
travel before it drawn as a gap of its length, and the open places in a row of their own.

Built from the board already loaded (`week_board`): no query of its own. Positions are columns
of five minutes, so the page places them with a fixed stylesheet (rota-grid.css): the pages'
Content-Security-Policy allows no inline style.
"""

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from careteams import timeutil
from careteams.models import Membership
from scheduling.models import Absence, Shift, VisitStatus
from scheduling.selectors.week_board_shapes import VisitRow, WeekBoard

FIRST_HOUR = 7
LAST_HOUR = 22
SLOT_MINUTES = 5
SLOTS = (LAST_HOUR - FIRST_HOUR) * 60 // SLOT_MINUTES
# Three slots are 45 px (rota-grid.css): the shortest block is still a 44 px target.
MIN_SPAN = 3


@dataclass(frozen=True)
class GridBlock:
    """One carer's place on a visit (or an open place), where the grid draws it."""

    row: VisitRow
    member_id: uuid.UUID | None  # the carer whose place it is; None for an open place
    column: int  # 1-based, a five-minute slot from 07:00
    span: int
    travel_minutes: int = 0
    travel_span: int = 0  # the gap drawn before the block, in slots (0: no journey)
    short_by: int = 0
    outside: bool = False  # starts before 07:00 or ends after 22:00: drawn at the edge

    @property
    def key(self) -> str:
        """The block's element id: a visit shows once per carer."""
        return f"g-{self.row.visit.id}-{self.member_id or 'open'}"


@dataclass
class GridRow:
    member: Membership | None  # None: the row of open places
    name: str
    role: str = ""
    shifts: list[Shift] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    blocks: list[GridBlock] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"grid-row-{self.member.id if self.member else 'open'}"

    @property
    def target(self) -> str:
        """What a move to this row posts as its member: an id, or "open"."""
        return str(self.member.id) if self.member else "open"


@dataclass(frozen=True)
class DayGrid:
    day: dt.date
    rows: list[GridRow]
    open_row: GridRow
    hours: list[tuple[str, int]]  # each hour's label and its column

    @property
    def all_rows(self) -> list[GridRow]:
        return [self.open_row, *self.rows]


def _columns(board: WeekBoard, start: dt.datetime, end: dt.datetime) -> tuple[int, int, bool]:
    """The first column and the span of a visit in the day's grid, kept inside the grid."""
    day_start, _end = timeutil.day_bounds(board.team.zone, board.day.date)
    first_minute = FIRST_HOUR * 60
    begin = (start - day_start).total_seconds() / 60 - first_minute
    finish = (end - day_start).total_seconds() / 60 - first_minute
    low, high = max(0.0, begin), min(finish, SLOTS * SLOT_MINUTES)
    column = min(math.floor(low / SLOT_MINUTES), SLOTS - MIN_SPAN) + 1
    span = max(MIN_SPAN, math.ceil((high - low) / SLOT_MINUTES))
    return column, min(span, SLOTS - column + 1), begin < 0 or finish > SLOTS * SLOT_MINUTES


def _blocks(board: WeekBoard, row: VisitRow) -> list[GridBlock]:
    column, span, outside = _columns(board, row.visit.planned_start, row.visit.planned_end)
    travel = {leg.member_id: leg for leg in row.travel}
    blocks = []
    # A former member's place is not drawn: it is theirs still, not open, and in no row.
    for carer in (c for c in row.carers if c is not None):
        leg = travel.get(carer.id)
        minutes = leg.minutes if leg else 0
        blocks.append(
            GridBlock(
                row,
                carer.id,
                column,
                span,
                travel_minutes=minutes,
                travel_span=min(math.ceil(minutes / SLOT_MINUTES), column - 1),
                short_by=leg.short_by if leg else 0,
                outside=outside,
            )
        )
    blocks += [GridBlock(row, None, column, span, outside=outside)] * row.open_places
    return blocks


def day_grid(board: WeekBoard) -> DayGrid:
    """The grid of the board's day: a row for each member on shift or with a visit that day
    (in the order of their first shift), and the open places' row first."""
    day = board.day.date
    index = next(n for n, d in enumerate(board.days) if d.date == day)
    rows: dict[uuid.UUID, GridRow] = {}
    for member_row in board.rows:
        cell = member_row.cells[index]
        if cell.shifts or cell.absences:
            rows[member_row.member.id] = GridRow(
                member_row.member,
                member_row.name,
                member_row.member.get_role_display(),
                list(cell.shifts),
                list(cell.absences),
            )
    by_id = {r.member.id: r for r in board.rows}
    open_row = GridRow(None, _("Open visits"))
    for visit_row in board.shown.visits:
        if visit_row.visit.status == VisitStatus.CANCELLED:
            continue
        for block in _blocks(board, visit_row):
            if block.member_id is None:
                open_row.blocks.append(block)
                continue
            if block.member_id not in rows and block.member_id in by_id:
                found = by_id[block.member_id]
                rows[block.member_id] = GridRow(
                    found.member, found.name, found.member.get_role_display()
                )
            if block.member_id in rows:
                rows[block.member_id].blocks.append(block)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    ordered = sorted(rows.values(), key=lambda r: (r.shifts[0].start if r.shifts else far, r.name))
    per_hour = 60 // SLOT_MINUTES
    hours = [
        (f"{hour:02d}:00", (hour - FIRST_HOUR) * per_hour + 1)
        for hour in range(FIRST_HOUR, LAST_HOUR)
    ]
    return DayGrid(day, ordered, open_row, hours)
