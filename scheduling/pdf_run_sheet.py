"""A member's run sheet: their visits of a day or a week in order, with times, client, address
and the travel from the visit before, to carry on paper when the tablet has no signal.

A4 portrait, one table per day, in the fonts of printing.pdf_fonts (every name prints).
"""

import datetime as dt
import io
import uuid

from django.utils import dateformat
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from careteams.models import Membership
from clients.models import Client
from printing.pdf_fonts import document, table_style
from scheduling import rules
from scheduling.models import Visit, VisitStatus
from scheduling.pdf import GRID, HEADER_FILL, _p, _styles
from scheduling.selectors import WeekRows, member_name


def _address(client: Client) -> str:
    parts = [client.address_line_1, client.address_line_2, client.town, client.postcode]
    return ", ".join(part for part in parts if part) or _("No address recorded")


def _mine(rows: WeekRows, member: Membership) -> list[Visit]:
    return [
        v
        for v in rows.visits
        if v.status != VisitStatus.CANCELLED
        and any(a.member_id == member.id for a in v.assignments.all())
    ]


def _travel_into(rows: WeekRows, member: Membership) -> dict[uuid.UUID, int]:
    """Minutes of travel to each of the member's visits from the one before it that day."""
    visits = [
        rules.Visit(v.id, v.client_id, "", v.planned_start, v.planned_end, carer_ids=(member.id,))
        for v in _mine(rows, member)
    ]
    return {leg.after.id: leg.minutes for leg in rules.legs_of(visits, rows.team.zone, rows.travel)}


def member_run_sheet_pdf(
    rows: WeekRows, member: Membership, *, day: dt.date | None = None
) -> bytes:
    """The member's visits of the week (or of `day`), in order."""
    styles = _styles()
    zone = rows.team.zone
    visits = _mine(rows, member)
    travel = _travel_into(rows, member)
    days = [day] if day is not None else rows.days
    story: list[Flowable] = []
    name = member_name(member)
    if day is not None:
        title = _("%(name)s: run sheet for %(day)s") % {
            "name": name,
            "day": dateformat.format(day, "l j F Y"),
        }
    else:
        sunday = rows.monday + dt.timedelta(days=6)
        title = _("%(name)s: run sheet for %(monday)s to %(sunday)s") % {
            "name": name,
            "monday": dateformat.format(rows.monday, "j F"),
            "sunday": dateformat.format(sunday, "j F Y"),
        }
    total_travel = sum(
        travel.get(v.id, 0) for v in visits if v.planned_start.astimezone(zone).date() in days
    )
    story += [
        _p(title, styles["title"]),
        _p(
            _(
                "%(team)s. Times in %(zone)s. Travel is the journey from the visit before: "
                "%(minutes)s minutes in all, counted as working time."
            )
            % {"team": rows.team.name, "zone": rows.team.timezone, "minutes": total_travel},
            styles["meta"],
        ),
        Spacer(1, 4 * mm),
    ]
    for current in days:
        todays = [v for v in visits if v.planned_start.astimezone(zone).date() == current]
        heading = dateformat.format(current, "l j F")
        if current in rows.holidays:
            heading = _("%(day)s (bank holiday: %(name)s)") % {
                "day": heading,
                "name": rows.holidays[current],
            }
        if not todays:
            empty = _("%(day)s: no visits.") % {"day": heading}
            story += [_p(empty, styles["meta"]), Spacer(1, 3 * mm)]
            continue
        data: list[list[object]] = [
            [
                _p(text, styles["head"])
                for text in (_("Time"), _("Client"), _("Address"), _("Travel"))
            ]
        ]
        for visit in todays:
            start, end = visit.planned_start.astimezone(zone), visit.planned_end.astimezone(zone)
            client = visit.client
            minutes = travel.get(visit.id)
            data.append(
                [
                    _p(f"{start:%H:%M}–{end:%H:%M}", styles["cell"]),
                    _p(client.full_name, styles["name"]),
                    _p(_address(client), styles["cell"]),
                    _p(
                        _("%(minutes)s min") % {"minutes": minutes} if minutes else "–",
                        styles["cell"],
                    ),
                ]
            )
        table = Table(data, colWidths=[24 * mm, 50 * mm, 88 * mm, 22 * mm], repeatRows=1)
        table.setStyle(
            table_style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ]
            )
        )
        story += [KeepTogether([_p(heading, styles["head"]), Spacer(1, 1 * mm)]), table]
        story.append(Spacer(1, 4 * mm))
    buffer = io.BytesIO()
    document(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="careteams",
    ).build(story)
    return buffer.getvalue()
