"""Arabic and Hebrew names copy out of every PDF exactly as written, and wrap word by word in
the order they are read.

Read back with poppler's pdftotext (scripts/install-fonts installs it). pdftotext gives
right-to-left text in logical order and wraps a right-to-left line in embedding controls
(U+202B ... U+202C) of its own; the letters between them must be the name's own letters, not
the joined presentation forms the glyphs are drawn with.
"""

import io
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table

from careteams.models import Membership, Role
from clients.models import Client
from printing.pdf_fonts import document, paragraph, register, table_style
from scheduling.models import Shift, Visit, VisitAssignment
from tests.careteams.conftest import poppler_run
from tests.conftest import Cast, make_user
from tests.scheduling.conftest import MONDAY, on

ARABIC = "فاطمة الزهراء"
HEBREW = "שרה כהן"
# What pdftotext adds around a right-to-left line, and nothing else is dropped.
EMBEDDING = dict.fromkeys([0x202A, 0x202B, 0x202C], None)


def read_back(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return poppler_run("pdftotext", "-enc", "UTF-8", str(path), "-")


def lines_of(text: str) -> list[str]:
    return [line.translate(EMBEDDING).strip() for line in text.splitlines() if line.strip()]


def narrow_cells(*texts: str) -> bytes:
    """`texts` in a column of table cells 14 mm wide, one cell each, as the rota sets names."""
    regular, _ = register()
    style = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11)
    buffer = io.BytesIO()
    cells = Table(
        [[paragraph(text, style)] for text in texts],
        colWidths=[14 * mm],
        style=table_style([("GRID", (0, 0), (-1, -1), 0.5, "black")]),
    )
    document(buffer).build([cells])
    return buffer.getvalue()


@pytest.mark.django_db
def test_arabic_and_hebrew_names_copy_out_of_the_rota_run_sheet_and_care_plan_exactly(
    client: HttpClient, cast: Cast, poppler: None, tmp_path: Path
) -> None:
    """No presentation forms (ﻓﺎﻃﻤﺔ), no letters of a ligature swapped (لا, طم): the text
    pdftotext copies is the name's own characters in the order they are written."""
    carer = make_user("sarah@example.test", "שרה", "כהן")
    member = Membership.objects.create(user=carer, team=cast.team, role=Role.CARE_WORKER)
    person = Client.objects.create(team=cast.team, given_name="فاطمة", family_name="الزهراء")
    Shift.objects.create(team=cast.team, member=member, start=on(0, "07:00"), end=on(0, "15:00"))
    visit = Visit.objects.create(
        team=cast.team, client=person, planned_start=on(0, "09:00"), planned_end=on(0, "09:30")
    )
    VisitAssignment.objects.create(visit=visit, member=member)
    client.force_login(cast.nurse)
    week = {"team_id": cast.team.id, "week": MONDAY.isoformat()}
    run_sheet = reverse("scheduling:member-run-sheet-pdf", kwargs={**week, "member_id": member.id})
    plan = reverse("clients:care-plan-pdf", kwargs={"client_id": person.id})
    rota = reverse("scheduling:week-pdf", kwargs=week)
    for url in (run_sheet, plan, rota):
        response = client.get(url)
        assert response.status_code == 200
        text = read_back(response.content, tmp_path)
        if url == rota:
            # The visit's cell is narrow: the name wraps, its first word on the first line.
            text = " ".join(lines_of(text))
        assert ARABIC in text, f"{url}:\n{text}"
        if url != plan:
            assert HEBREW in text, f"{url}:\n{text}"


def test_names_with_ligatures_read_back_in_their_written_order(
    poppler: None, tmp_path: Path
) -> None:
    names = ("عبد الله", "سلام عليكم", "مصطفى", "שרה כהן", "יעקב לוי")
    regular, _ = register()
    style = ParagraphStyle("line", fontName=regular, fontSize=10, leading=12)
    buffer = io.BytesIO()
    document(buffer).build([paragraph(name, style) for name in names])
    assert lines_of(read_back(buffer.getvalue(), tmp_path)) == list(names)


def test_a_right_to_left_name_in_a_narrow_cell_wraps_first_word_first(
    poppler: None, tmp_path: Path
) -> None:
    """An Arabic or Hebrew reader reads the first line first: it holds the first name, the
    surname goes below, and each line reads back in the order the words are written."""
    pdf = narrow_cells(ARABIC, HEBREW, "Visit فاطمة الزهراء SW1A")
    assert lines_of(read_back(pdf, tmp_path)) == [
        "فاطمة",
        "الزهراء",
        "שרה",
        "כהן",
        "Visit",
        "فاطمة",
        "الزهراء",
        "SW1A",
    ]


def test_a_right_to_left_name_that_fits_its_cell_stays_on_one_line(
    poppler: None, tmp_path: Path
) -> None:
    regular, _ = register()
    style = ParagraphStyle("wide", fontName=regular, fontSize=9, leading=11)
    buffer = io.BytesIO()
    text = f"{ARABIC} {HEBREW}"
    document(buffer).build([Table([[paragraph(text, style)]], colWidths=[80 * mm])])
    assert lines_of(read_back(buffer.getvalue(), tmp_path)) == [text]
