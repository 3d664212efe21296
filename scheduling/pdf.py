"""The rota as a PDF: the team's week (a row per member, a column per day) and a member's week.

A4 landscape, in DejaVu Sans with a fallback font for each other script (printing.pdf_fonts),
so that every name prints as it is written: Siân, Łukasz, Ольга, فاطمة الزهراء, सुनीता, 王秀英.
"""

import datetime as dt
import io

from django.utils import dateformat
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

from careteams.models import Membership
from printing.pdf_fonts import document, paragraph, register, table_style
from scheduling import rules
from scheduling.models import Absence, Shift, Visit, VisitStatus
from scheduling.selectors import WeekRows, member_name, plan_of

HOLIDAY_FILL = colors.HexColor("#fff4c2")
HEADER_FILL = colors.HexColor("#e8edee")
GRID = colors.HexColor("#768692")


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, spaceAfter=4),
        "meta": ParagraphStyle("meta", fontName=regular, fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8, leading=10),
        "name": ParagraphStyle("name", fontName=bold, fontSize=8, leading=10),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return paragraph(text, style)


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _local(rows: WeekRows, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(rows.team.zone)


def _shift_text(rows: WeekRows, shift: Shift) -> str:
    start, end = _local(rows, shift.start), _local(rows, shift.end)
    return f"{start:%H:%M}–{end:%H:%M} {shift.get_kind_display()}"


def _absent_on(rows: WeekRows, absence: Absence, day: dt.date) -> bool:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=rows.team.zone)
    return absence.start < start + dt.timedelta(days=1) and absence.end > start


def _day_heads(rows: WeekRows, styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    heads = []
    for day in rows.days:
        text = dateformat.format(day, "D j M")
        if day in rows.holidays:
            text += "\n" + _("Bank holiday: %(name)s") % {"name": rows.holidays[day]}
        heads.append(_p(text, styles["head"]))
    return heads


def _holiday_styles(rows: WeekRows, first_col: int, nrows: int) -> list[tuple[object, ...]]:
    return [
        ("BACKGROUND", (first_col + n, 0), (first_col + n, nrows - 1), HOLIDAY_FILL)
        for n, day in enumerate(rows.days)
        if day in rows.holidays
    ]


def _document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return document(
        buffer,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=title,
        author="careteams",
    )


def _visit_line(rows: WeekRows, visit: Visit, *, show_clients: bool) -> str:
    start, end = _local(rows, visit.planned_start), _local(rows, visit.planned_end)
    who = visit.client.full_name if show_clients else _("Visit")
    return f"{start:%H:%M}–{end:%H:%M} {who}"


def _open_visits(rows: WeekRows, styles: dict[str, ParagraphStyle], *, show_clients: bool) -> Table:
    """The week's visits still needing a carer, by day."""
    data: list[list[object]] = [
        [
            _p(text, styles["head"])
            for text in (_("Day"), _("Visit"), _("Carers needed"), _("Assigned"))
        ]
    ]
    for visit in rows.visits:
        assigned = len(visit.assignments.all())
        if visit.status == VisitStatus.CANCELLED or assigned >= visit.carers_needed:
            continue
        day = _local(rows, visit.planned_start)
        data.append(
            [
                _p(dateformat.format(day, "D j M"), styles["cell"]),
                _p(_visit_line(rows, visit, show_clients=show_clients), styles["cell"]),
                _p(str(visit.carers_needed), styles["cell"]),
                _p(str(assigned), styles["cell"]),
            ]
        )
    if len(data) == 1:
        data.append([_p(_("None: every visit has its carers."), styles["cell"]), "", "", ""])
    table = Table(data, colWidths=[30 * mm, 120 * mm, 30 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ]
        )
    )
    return table


def rota_week_pdf(rows: WeekRows, *, published: bool, show_clients: bool = True) -> bytes:
    """The team's week: a row per member, a column per day with their shifts, absences and
    visits, hours planned (travel included) against contract, then the visits needing a carer.
    Coaches see the visits without the clients' names (`show_clients=False`)."""
    styles = _styles()
    plan = plan_of(rows)
    planned = rules.planned_hours(plan)
    travel = rules.travel_minutes_by_member(plan)
    live = [v for v in rows.visits if v.status != VisitStatus.CANCELLED]
    header = [
        _p(_("Member"), styles["head"]),
        *_day_heads(rows, styles),
        _p(_("Hours / expected (contract)"), styles["head"]),
    ]
    data: list[list[object]] = [header]
    for member in rows.members:
        row: list[object] = [
            _p(f"{member_name(member)}\n{member.get_role_display()}", styles["name"])
        ]
        for day in rows.days:
            lines = [
                _shift_text(rows, s)
                for s in rows.shifts
                if s.member_id == member.id and _local(rows, s.start).date() == day
            ]
            lines += [
                str(a.get_kind_display())
                for a in rows.absences
                if a.member_id == member.id and _absent_on(rows, a, day)
            ]
            lines += [
                _visit_line(rows, v, show_clients=show_clients)
                for v in live
                if _local(rows, v.planned_start).date() == day
                and any(a.member_id == member.id for a in v.assignments.all())
            ]
            row.append(_p("\n".join(lines) or "–", styles["cell"]))
        expected = rules.expected_hours(plan, plan.members[member.id])
        driving = (
            "\n" + _("Travel %(minutes)s min") % {"minutes": travel[member.id]}
            if travel.get(member.id)
            else ""
        )
        row.append(
            _p(
                f"{_hours(planned.get(member.id, 0.0))} / {_hours(expected)} "
                f"({_hours(float(member.contracted_hours))}){driving}",
                styles["cell"],
            )
        )
        data.append(row)
    widths = [45 * mm, *([30 * mm] * 7), 22 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                *_holiday_styles(rows, 1, len(data)),
            ]
        )
    )
    sunday = rows.monday + dt.timedelta(days=6)
    status = _("Published") if published else _("Draft: may still change")
    story: list[Flowable] = [
        _p(
            _("%(team)s: rota for %(monday)s to %(sunday)s")
            % {
                "team": rows.team.name,
                "monday": dateformat.format(rows.monday, "j F"),
                "sunday": dateformat.format(sunday, "j F Y"),
            },
            styles["title"],
        ),
        _p(
            _(
                "%(status)s. Times in %(zone)s. Hours exclude breaks and include travel between "
                "visits; expected hours allow for leave."
            )
            % {"status": status, "zone": rows.team.timezone},
            styles["meta"],
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        _p(_("Visits needing a carer"), styles["title"]),
        _open_visits(rows, styles, show_clients=show_clients),
    ]
    buffer = io.BytesIO()
    _document(buffer, f"{rows.team.name} rota {rows.monday.isoformat()}").build(story)
    return buffer.getvalue()


def member_week_pdf(rows: WeekRows, member: Membership) -> bytes:
    """One member's week: each day's shifts, absences and visits, and their hours."""
    styles = _styles()
    plan = plan_of(rows)
    planned = rules.planned_hours(plan).get(member.id, 0.0)
    expected = rules.expected_hours(plan, plan.members[member.id])
    mine: list[Visit] = [
        v
        for v in rows.visits
        if v.status != VisitStatus.CANCELLED
        and any(a.member_id == member.id for a in v.assignments.all())
    ]
    data: list[list[object]] = [_day_heads(rows, styles)]
    cells: list[object] = []
    for day in rows.days:
        lines = [
            _shift_text(rows, s)
            for s in rows.shifts
            if s.member_id == member.id and _local(rows, s.start).date() == day
        ]
        lines += [
            str(a.get_kind_display())
            for a in rows.absences
            if a.member_id == member.id and _absent_on(rows, a, day)
        ]
        for visit in mine:
            start = _local(rows, visit.planned_start)
            if start.date() == day:
                end = _local(rows, visit.planned_end)
                where = f", {visit.client.postcode}" if visit.client.postcode else ""
                lines.append(f"{start:%H:%M}–{end:%H:%M} {visit.client.full_name}{where}")
        cells.append(_p("\n".join(lines) or "–", styles["cell"]))
    data.append(cells)
    table = Table(data, colWidths=[39 * mm] * 7, repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                *_holiday_styles(rows, 0, 2),
            ]
        )
    )
    sunday = rows.monday + dt.timedelta(days=6)
    story: list[Flowable] = [
        _p(
            _("%(name)s: week of %(monday)s to %(sunday)s")
            % {
                "name": member_name(member),
                "monday": dateformat.format(rows.monday, "j F"),
                "sunday": dateformat.format(sunday, "j F Y"),
            },
            styles["title"],
        ),
        _p(
            _(
                "%(team)s. Planned %(planned)s hours, expected %(expected)s (contract "
                "%(contract)s). Times in %(zone)s."
            )
            % {
                "team": rows.team.name,
                "planned": _hours(planned),
                "expected": _hours(expected),
                "contract": _hours(float(member.contracted_hours)),
                "zone": rows.team.timezone,
            },
            styles["meta"],
        ),
        Spacer(1, 4 * mm),
        table,
    ]
    buffer = io.BytesIO()
    _document(buffer, f"{member_name(member)} week {rows.monday.isoformat()}").build(story)
    return buffer.getvalue()
