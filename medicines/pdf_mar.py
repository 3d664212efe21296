"""The MAR as a PDF that looks like the paper chart kept in the home: landscape A4, the client's
identity, allergies and GP at the top, a grid for each medicine line (its times down, the days of
the month across, each cell the outcome's code over the recorder's initials), then the "when
required" doses, corrections, notes, who the initials are, and the key of codes.

A blank MAR (`blank=True` on the chart) prints the same lines with empty cells, for a new
client's first weeks on paper. Every name prints as written, in any script, through
printing.pdf_fonts (as the care plan does).
"""

import datetime as dt
import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from medicines import mar_codes
from medicines.mar import GAP, NOT_DUE, Entry, LineChart, Mar
from medicines.words import dose_words, line_details, prn_protocol
from printing.pdf_fonts import document, paragraph, register, table_style

HEADER_FILL = colors.HexColor("#e8edee")
GRID = colors.HexColor("#768692")
GAP_FILL = colors.HexColor("#fbd5d2")
NOT_DUE_FILL = colors.HexColor("#f0f4f5")
MARGIN = 10 * mm
MEDICINE_WIDTH = 58 * mm
TIME_WIDTH = 13 * mm
# Wide enough for "Lunchtime visit" in two lines, when a line is given with a visit.
PART_TIME_WIDTH = 19 * mm
BLANK_PRN_ROWS = 10


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=14, leading=17, spaceAfter=2),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=10.5, leading=13, spaceBefore=6),
        "body": ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11),
        "strong": ParagraphStyle("strong", fontName=bold, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7, leading=8.5),
        "head": ParagraphStyle("head", fontName=bold, fontSize=7, leading=8.5),
        "day": ParagraphStyle("day", fontName=regular, fontSize=5.5, leading=6.5, alignment=1),
        "code": ParagraphStyle("code", fontName=bold, fontSize=6, leading=7, alignment=1),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return paragraph(text, style)


def _when(value: dt.datetime, zone: ZoneInfo) -> str:
    return formats.date_format(value.astimezone(zone), "j M H:i")


def _table(
    rows: list[list[object]], widths: Sequence[float], extra: list[tuple[object, ...]]
) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *extra,
            ]
        )
    )
    return table


def _identity(mar: Mar, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    client = mar.client
    month = formats.date_format(mar.first, "F Y")
    title = (
        _("Medication administration record (blank)")
        if mar.blank
        else _("Medication administration record")
    )
    allergies = "; ".join(
        " ".join(
            part
            for part in (
                a.substance,
                f"({a.reaction})" if a.reaction else "",
                a.get_severity_display(),
            )
            if part
        )
        for a in mar.allergies
    )
    gp = ", ".join(p for p in (client.gp_practice_name, client.gp_practice_phone) if p)
    cells = [
        [_p(_("Name"), styles["head"]), _p(client.full_name, styles["strong"])],
        [_p(_("NHS number"), styles["head"]), _p(client.nhs_number_display or "–", styles["body"])],
        [
            _p(_("Date of birth"), styles["head"]),
            _p(
                formats.date_format(client.date_of_birth, "j F Y") if client.date_of_birth else "–",
                styles["body"],
            ),
        ],
        [_p(_("GP practice"), styles["head"]), _p(gp or _("Not recorded"), styles["body"])],
        [
            _p(_("Allergies"), styles["head"]),
            _p(allergies or _("No allergies recorded: ask and record them"), styles["strong"]),
        ],
    ]
    box = Table(cells, colWidths=[30 * mm, 150 * mm], hAlign="LEFT")
    box.setStyle(
        table_style(
            [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 4), (-1, 4), GAP_FILL)]
        )
    )
    return [
        _p(f"{title}: {month}", styles["title"]),
        _p(
            _("From the %(team)s care team. Printed %(when)s.")
            % {"team": client.team.name, "when": _when(timezone.now(), mar.zone)},
            styles["body"],
        ),
        Spacer(1, 2 * mm),
        box,
    ]


def _cell_text(code: str, initials: str) -> str:
    return f"{code}\n{initials}" if initials else code


def _grid(
    mar: Mar,
    chart: LineChart,
    styles: dict[str, ParagraphStyle],
    widths: tuple[float, float],
) -> Table:
    time_width, day_width = widths
    header: list[object] = [_p(_("Medicine"), styles["head"]), _p(_("Time"), styles["head"])]
    header += [
        _p(f"{day.day}\n{formats.date_format(day, 'D')[:2]}", styles["day"]) for day in mar.days
    ]
    rows: list[list[object]] = [header]
    extra: list[tuple[object, ...]] = []
    described = _p("\n".join(line_details(chart.line, staff=True)), styles["cell"])
    for index, row in enumerate(chart.rows):
        cells: list[object] = [described if index == 0 else "", _p(row.time, styles["cell"])]
        for column, cell in enumerate(row.cells, start=2):
            initials = cell.entry.initials if cell.entry else ""
            cells.append(_p(_cell_text(cell.code, initials), styles["code"]))
            fill = {GAP: GAP_FILL, NOT_DUE: NOT_DUE_FILL}.get(cell.state)
            if fill is not None:
                extra.append(("BACKGROUND", (column, index + 1), (column, index + 1), fill))
        rows.append(cells)
    if not chart.rows:
        rows.append([described, _p(_("No times"), styles["cell"])] + [""] * len(mar.days))
    extra.append(("SPAN", (0, 1), (0, max(1, len(chart.rows)))))
    extra.append(("LEFTPADDING", (2, 0), (-1, -1), 0.5))
    extra.append(("RIGHTPADDING", (2, 0), (-1, -1), 0.5))
    return _table(rows, [MEDICINE_WIDTH, time_width] + [day_width] * len(mar.days), extra)


def _prn(mar: Mar, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if not mar.prn_lines:
        return []
    out: list[Flowable] = [_p(_("When required (PRN)"), styles["h2"])]
    protocols: list[list[object]] = [
        [_p(h, styles["head"]) for h in (_("Medicine"), _("Protocol"))]
    ]
    protocols += [
        [
            _p("\n".join(line_details(line, staff=True)), styles["cell"]),
            _p("\n".join(prn_protocol(line)), styles["cell"]),
        ]
        for line in mar.prn_lines
    ]
    out.append(_table(protocols, [90 * mm, 187 * mm], []))
    heads = (_("Given at"), _("Medicine"), _("Amount"), _("Why"), _("Did it work?"), _("By"))
    rows: list[list[object]] = [[_p(h, styles["head"]) for h in heads]]
    for dose in mar.prn_doses:
        record = dose.entry.record
        effect = "; ".join(
            (_("Yes") if f.effective else _("No")) + (f" ({f.note})" if f.note else "")
            for f in dose.follow_ups
        )
        rows.append(
            [
                _p(_when(dose.entry.at, mar.zone), styles["cell"]),
                _p(str(dose.line), styles["cell"]),
                _p(
                    dose_words(record.amount, dose.line.dose_unit) if record.amount else "",
                    styles["cell"],
                ),
                _p(record.prn_reason or "", styles["cell"]),
                _p(effect or _("Not asked yet"), styles["cell"]),
                _p(f"{dose.entry.code} {dose.entry.by}", styles["cell"]),
            ]
        )
    if mar.blank:
        rows += [[""] * len(heads) for _row in range(BLANK_PRN_ROWS)]
    if len(rows) > 1:
        out += [
            Spacer(1, 2 * mm),
            _table(rows, [30 * mm, 60 * mm, 25 * mm, 70 * mm, 50 * mm, 42 * mm], []),
        ]
    return out


def _entry_words(entry: Entry, zone: ZoneInfo) -> str:
    return f"{entry.code} {entry.by}, {_when(entry.at, zone)}"


def _records(mar: Mar, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = []
    if mar.corrections:
        heads = (_("Dose"), _("Was"), _("Corrected to"), _("Why"))
        rows: list[list[object]] = [[_p(h, styles["head"]) for h in heads]]
        for entry in mar.corrections:
            assert entry.corrects is not None
            due = entry.record.due_at or entry.record.taken_at
            rows.append(
                [
                    _p(f"{_when(due, mar.zone)} {entry.record.line}", styles["cell"]),
                    _p(_entry_words(entry.corrects, mar.zone), styles["cell"]),
                    _p(_entry_words(entry, mar.zone), styles["cell"]),
                    _p(entry.record.correction_reason, styles["cell"]),
                ]
            )
        out += [
            _p(_("Corrections"), styles["h2"]),
            _table(rows, [70 * mm, 60 * mm, 60 * mm, 87 * mm], []),
        ]
    notes = [e for e in _all_entries(mar) if e.record.note or e.record.warning]
    if notes:
        rows = [[_p(h, styles["head"]) for h in (_("Dose"), _("Record"), _("Note"))]]
        for entry in notes:
            text = " ".join(t for t in (entry.record.warning, entry.record.note) if t)
            due = entry.record.due_at or entry.record.taken_at
            rows.append(
                [
                    _p(f"{_when(due, mar.zone)} {entry.record.line}", styles["cell"]),
                    _p(_entry_words(entry, mar.zone), styles["cell"]),
                    _p(text, styles["cell"]),
                ]
            )
        out += [
            _p(_("Notes and warnings"), styles["h2"]),
            _table(rows, [70 * mm, 60 * mm, 147 * mm], []),
        ]
    return out


def _all_entries(mar: Mar) -> list[Entry]:
    seen: dict[object, Entry] = {}
    for chart in mar.lines:
        for row in chart.rows:
            for cell in row.cells:
                for entry in (*cell.others, *([cell.entry] if cell.entry else [])):
                    seen[entry.record.pk] = entry
    for dose in mar.prn_doses:
        seen[dose.entry.record.pk] = dose.entry
    return sorted(seen.values(), key=lambda e: e.at)


def _pairs(pairs: list[tuple[str, str]], styles: dict[str, ParagraphStyle]) -> Table:
    """Code and meaning, four pairs to a row."""
    per_row = 4
    rows: list[list[object]] = []
    for start in range(0, len(pairs), per_row):
        row: list[object] = []
        for code, words in pairs[start : start + per_row]:
            row += [_p(code, styles["head"]), _p(words, styles["cell"])]
        rows.append(row + [""] * (2 * per_row - len(row)))
    table = Table(rows, colWidths=[10 * mm, 59 * mm] * per_row, hAlign="LEFT")
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _key(mar: Mar, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    pairs = [(code, str(words)) for code, words in mar_codes.KEY]
    out: list[Flowable] = [KeepTogether([_p(_("Key"), styles["h2"]), _pairs(pairs, styles)])]
    if mar.signatures:
        names = list(mar.signatures.items())
        out.append(KeepTogether([_p(_("Initials"), styles["h2"]), _pairs(names, styles)]))
    elif mar.blank:
        rows: list[list[object]] = [
            [_p(h, styles["head"]) for h in (_("Initials"), _("Name"), _("Signature"))]
        ]
        rows += [["", "", ""] for _row in range(6)]
        out += [_p(_("Initials"), styles["h2"]), _table(rows, [25 * mm, 90 * mm, 90 * mm], [])]
    return out


def mar_pdf(mar: Mar) -> bytes:
    """The chart as landscape A4 pages, a grid per line, then the PRN doses and the rest."""
    styles = _styles()
    buffer = io.BytesIO()
    width = landscape(A4)[0] - 2 * MARGIN
    parts = any(row.visit_part for chart in mar.lines for row in chart.rows)
    time_width = PART_TIME_WIDTH if parts else TIME_WIDTH
    day_width = (width - MEDICINE_WIDTH - time_width) / max(1, len(mar.days))
    doc = document(
        buffer,
        pagesize=landscape(A4),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"MAR: {mar.client.full_name}",
        author="careteams",
    )
    story: list[Flowable] = _identity(mar, styles)
    story.append(_p(_("Regular medicines"), styles["h2"]))
    if not mar.lines:
        story.append(_p(_("No regular medicines in this month."), styles["body"]))
    for chart in mar.lines:
        story += [
            KeepTogether([_grid(mar, chart, styles, (time_width, day_width))]),
            Spacer(1, 1.5 * mm),
        ]
    story += _prn(mar, styles)
    story += _records(mar, styles)
    story += _key(mar, styles)
    doc.build(story)
    return buffer.getvalue()
