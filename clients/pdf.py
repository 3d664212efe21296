"""The care plan as a PDF: the team's full Omaha plan, and the family's plain-language version.

A4 portrait, in DejaVu Sans with a fallback font for each other script (printing.pdf_fonts),
so that every name prints as written: Llŷr, Żółkowski, Δημήτρης, فاطمة الزهراء, सुनीता, 王秀英.
"""

import io
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import dateformat, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

from careteams.bilingual import text_in_both
from clients import plain_language
from clients.models import Client, RiskFlag
from clients.selectors.family import FamilyView
from clients.selectors.records import ProblemView
from printing.pdf_fonts import document, paragraph, register, table_style

HEADER_FILL = colors.HexColor("#e8edee")
GRID = colors.HexColor("#768692")
LAST_RATINGS = 6


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=8),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8.5, leading=10.5),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return paragraph(text, style)


def _table(rows: list[list[object]], widths: Sequence[float]) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return document(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="careteams",
    )


def _problem_flowables(view: ProblemView, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    problem = view.problem
    status = (
        _("resolved %(day)s") % {"day": dateformat.format(problem.resolved_on, "j M Y")}
        if problem.resolved_on
        else _("since %(day)s") % {"day": dateformat.format(problem.identified_on, "j M Y")}
    )
    kind = _("%(scope)s, %(severity)s") % {
        "scope": problem.get_scope_display(),
        "severity": str(problem.get_severity_display()).lower(),
    }
    if view.signs:
        kind = _("%(kind)s. Signs and symptoms: %(signs)s") % {
            "kind": kind,
            "signs": "; ".join(view.signs),
        }
    out: list[Flowable] = [
        _p(f"{problem.problem_code} {problem.problem.name} ({status})", styles["h2"]),
        _p(kind, styles["body"]),
    ]
    if view.interventions:
        rows: list[list[object]] = [
            [
                _p(h, styles["head"])
                for h in (_("Category"), _("Target"), _("What we do"), _("How often"))
            ]
        ]
        rows += [
            [
                _p(str(i.get_category_display()), styles["cell"]),
                _p(str(i.get_target_display()), styles["cell"]),
                _p(i.care_description, styles["cell"]),
                _p(i.frequency or "–", styles["cell"]),
            ]
            for i in view.interventions
        ]
        out += [Spacer(1, 2 * mm), _table(rows, [38 * mm, 38 * mm, 75 * mm, 29 * mm])]
    if view.ratings:
        heads = (_("Rated on"), _("Knowledge"), _("Behaviour"), _("Status"))
        rows = [[_p(h, styles["head"]) for h in heads]]
        rows += [
            [
                _p(dateformat.format(r.rated_on, "j M Y"), styles["cell"]),
                _p(str(r.knowledge), styles["cell"]),
                _p(str(r.behaviour), styles["cell"]),
                _p(str(r.status), styles["cell"]),
            ]
            for r in view.ratings[-LAST_RATINGS:]
        ]
        out += [Spacer(1, 2 * mm), _table(rows, [45 * mm, 30 * mm, 30 * mm, 30 * mm])]
    return out


def care_plan_pdf(*, client: Client, problems: Sequence[ProblemView]) -> bytes:
    """The team's care plan: identity, risk flags, each problem with interventions and ratings."""
    styles = _styles()
    buffer = io.BytesIO()
    # The heading for the public in both languages when the team chooses (careteams.bilingual).
    title = text_in_both(
        lambda: _("Care plan: %(name)s") % {"name": client.full_name},
        bilingual=client.team.bilingual_notices,
    )
    doc = _document(buffer, title)
    flags = [str(RiskFlag(f).label) for f in client.risk_flags if f in RiskFlag.values]
    born = dateformat.format(client.date_of_birth, "j F Y") if client.date_of_birth else ""
    story: list[Flowable] = [
        _p(title, styles["title"]),
        _p(
            " · ".join(
                part
                for part in (
                    _("NHS number %(number)s") % {"number": client.nhs_number_display}
                    if client.nhs_number
                    else "",
                    _("Born %(day)s") % {"day": born} if born else "",
                    client.postcode,
                    _("Team %(team)s") % {"team": client.team.name},
                )
                if part
            ),
            styles["body"],
        ),
        _p(
            _("Risk flags: %(flags)s") % {"flags": ", ".join(flags) or _("none")},
            styles["body"],
        ),
        _p(
            _("Printed %(when)s") % {"when": dateformat.format(timezone.localtime(), "j F Y H:i")},
            styles["body"],
        ),
    ]
    if not problems:
        story.append(_p(_("No problems on the care plan yet."), styles["body"]))
    for view in problems:
        story += _problem_flowables(view, styles)
    doc.build(story)
    return buffer.getvalue()


def plain_care_plan_pdf(view: FamilyView) -> bytes:
    """For the client and family: the plan in plain words, and who is coming when."""
    styles = _styles()
    buffer = io.BytesIO()

    # The headings for the public in both languages when the team chooses (careteams.bilingual).
    def heading(render: Callable[[], str]) -> str:
        return text_in_both(render, bilingual=view.bilingual)

    title = heading(lambda: _("Care plan for %(name)s") % {"name": view.name})
    doc = _document(buffer, title)
    zone = ZoneInfo(view.timezone)
    story: list[Flowable] = [
        _p(title, styles["title"]),
        _p(
            heading(lambda: _("From the %(team)s care team.") % {"team": view.team_name}),
            styles["body"],
        ),
        _p(heading(lambda: _("What we help with")), styles["h2"]),
    ]
    for problem in view.problems:
        story.append(_p(problem.name, styles["h2"]))
        if problem.resolved:
            story.append(_p(plain_language.resolved(), styles["body"]))
            continue
        for help_ in problem.help:
            line = f"{help_.kind}: {help_.what}"
            if help_.how_often:
                line = _("%(help)s (%(how_often)s)") % {"help": line, "how_often": help_.how_often}
            story.append(_p(line, styles["body"]))
    if not view.problems:
        story.append(_p(_("Nothing has been written in the plan yet."), styles["body"]))
    story.append(_p(heading(lambda: _("Coming visits")), styles["h2"]))
    heads = (_("Day"), _("Time"), _("Who is coming"))
    rows: list[list[object]] = [[_p(h, styles["head"]) for h in heads]]
    for visit in view.visits:
        start = visit.start.astimezone(zone)
        rows.append(
            [
                _p(dateformat.format(start, "l j F"), styles["cell"]),
                _p(visit.arrival, styles["cell"]),
                _p(", ".join(visit.carers) or _("To be arranged"), styles["cell"]),
            ]
        )
    if view.visits:
        story.append(_table(rows, [55 * mm, 55 * mm, 70 * mm]))
    else:
        story.append(_p(_("No visits are planned yet."), styles["body"]))
    doc.build(story)
    return buffer.getvalue()


def response(content: bytes, *, filename: str) -> HttpResponse:
    result = HttpResponse(content, content_type="application/pdf")
    result["Content-Disposition"] = content_disposition_header(True, filename)
    return result
