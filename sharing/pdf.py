"""A client's own copy as a readable PDF: every section the JSON copy holds, printed from the
same gathering (sharing.selectors.own_copy), in the fonts every careteams PDF uses
(printing.pdf_fonts: each script prints as written, right-to-left shaped)."""

import io
from typing import Any

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from printing.pdf_fonts import document, paragraph, register, table_style

GRID = colors.HexColor("#768692")
KEY_FILL = colors.HexColor("#e8edee")


def titles() -> dict[str, str]:
    return {
        "client": _("Details"),
        "emergency_contacts": _("Emergency contacts"),
        "care_plan": _("Care plan: problems, what we do, and ratings"),
        "notes": _("Notes (with every amendment)"),
        "visits": _("Visits and what was done"),
        "family_access": _("Family access"),
        "consents": _("Consents"),
        "messages": _("Messages about you"),
        "handover_notes": _("Handover notes about you"),
        "allergies": _("Allergies and sensitivities"),
        "medicines": _("Medicines and every dose recorded"),
        "read_log": _("Who has read your record"),
        "copies_produced": _("Copies of your record produced"),
    }


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=10),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5),
        "key": ParagraphStyle("key", fontName=bold, fontSize=8.5, leading=10.5),
    }


def _words(value: Any) -> str:
    """A value as one readable text: nested records one per line, as `field: value` pairs."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_words(v) for v in value)
    return str(value)


def _record(row: dict[str, Any], styles: dict[str, ParagraphStyle]) -> Table:
    cells: list[list[Paragraph]] = [
        [
            paragraph(name.replace("_", " ").capitalize(), styles["key"]),
            paragraph(_words(value), styles["cell"]),
        ]
        for name, value in row.items()
    ]
    table = Table(cells, colWidths=[45 * mm, 135 * mm])
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (0, -1), KEY_FILL),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def own_copy_pdf(*, copy: dict[str, Any], name: str) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = document(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Your record: %(name)s") % {"name": name},
        author="careteams",
    )
    produced = dateformat.format(timezone.localtime(), "j F Y H:i")
    story: list[Flowable] = [
        paragraph(_("Everything we hold about %(name)s") % {"name": name}, styles["title"]),
        paragraph(
            _("Produced on %(when)s at your request (subject access).") % {"when": produced},
            styles["body"],
        ),
    ]
    for key, title in titles().items():
        section = copy.get(key)
        story.append(paragraph(title, styles["h2"]))
        rows = [section] if isinstance(section, dict) else list(section or [])
        if not rows:
            story.append(paragraph(_("Nothing recorded."), styles["body"]))
        for row in rows:
            story += [_record(row, styles), Spacer(1, 2 * mm)]
    doc.build(story)
    return buffer.getvalue()
