"""Names in any script print in every PDF as they are written, in embedded fonts only.

Read back with poppler's pdftotext and pdffonts (scripts/install-fonts installs poppler-utils and
the fonts): pdftotext gives right-to-left text in logical order, so Arabic printed back to front
or unjoined reads back reversed or wrong.
"""

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams.models import Membership, Role
from clients.models import Client, ConsentBasis, FamilyAccess, Relationship
from printing import pdf_fonts, pdf_shaping
from printing.pdf_fonts import font_runs, register
from scheduling.models import Shift, Visit, VisitAssignment
from tests.careteams.conftest import poppler_run
from tests.conftest import Cast, make_user
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db

NAMES = ("王秀英", "فاطمة الزهراء", "Δημήτρης", "Ольга", "सुनीता", "Zoë Błaszczykowska")
# pdftotext marks right-to-left runs with embedding controls; the letters of a shaped Arabic
# word come back as presentation forms (joined glyphs), which NFKC folds to the letters.
BIDI_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)


def printed(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext reads it (logical order), bidi controls dropped, NFKC."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = poppler_run("pdftotext", "-enc", "UTF-8", str(path), "-")
    return unicodedata.normalize("NFKC", text.translate(BIDI_CONTROLS))


def fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """pdffonts' rows, split on spaces: name, type, encoding, emb, sub, uni, object, generation
    (a type may have a space, so "emb" is the fifth from the end)."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = poppler_run("pdffonts", str(path)).splitlines()
    return [line.split() for line in out[2:]]


def assert_prints_every_name(pdf: bytes, tmp_path: Path, names: tuple[str, ...] = NAMES) -> None:
    text = printed(pdf, tmp_path)
    missing = [name for name in names if name not in text]
    assert not missing, f"{missing} not in:\n{text}"
    rows = fonts(pdf, tmp_path)
    assert rows
    assert [r for r in rows if r[-5] != "yes"] == [], "every font is embedded"


@pytest.fixture
def people(cast: Cast) -> list[tuple[Membership, Client]]:
    """A member and a client named with each of NAMES, the member on an early shift on Monday
    and visiting their namesake then and tomorrow; the family member may see each client."""
    out = []
    for index, name in enumerate(NAMES):
        user = make_user(f"script{index}@example.test", name, "")
        member = Membership.objects.create(user=user, team=cast.team, role=Role.CARE_WORKER)
        client = Client.objects.create(team=cast.team, given_name=name, family_name="")
        FamilyAccess.objects.create(
            client=client,
            person=cast.family,
            relationship=Relationship.CHILD,
            consent_basis=ConsentBasis.CLIENT_CONSENT,
            granted_by=cast.nurse,
            accepted_at=timezone.now(),
        )
        Shift.objects.create(
            team=cast.team, member=member, start=on(0, "07:00"), end=on(0, "15:00")
        )
        for start in (on(0, "09:00"), timezone.now() + dt.timedelta(days=1)):
            visit = Visit.objects.create(
                team=cast.team,
                client=client,
                planned_start=start,
                planned_end=start + dt.timedelta(minutes=30),
            )
            VisitAssignment.objects.create(visit=visit, member=member)
        out.append((member, client))
    return out


def test_the_rota_pdf_prints_names_in_every_script_in_embedded_fonts(
    client: HttpClient,
    cast: Cast,
    people: list[tuple[Membership, Client]],
    poppler: None,
    tmp_path: Path,
) -> None:
    client.force_login(cast.nurse)
    week = {"team_id": cast.team.id, "week": MONDAY.isoformat()}
    response = client.get(reverse("scheduling:week-pdf", kwargs=week))
    assert response.status_code == 200
    assert_prints_every_name(response.content, tmp_path)


def test_a_members_week_pdf_prints_their_name_and_their_clients_names_as_written(
    client: HttpClient,
    cast: Cast,
    people: list[tuple[Membership, Client]],
    poppler: None,
    tmp_path: Path,
) -> None:
    client.force_login(cast.nurse)
    week = {"team_id": cast.team.id, "week": MONDAY.isoformat()}
    for (member, _), name in zip(people, NAMES, strict=True):
        url = reverse("scheduling:member-week-pdf", kwargs={**week, "member_id": member.id})
        response = client.get(url)
        assert response.status_code == 200
        assert_prints_every_name(response.content, tmp_path, (name,))


def test_the_care_plan_and_family_pdfs_print_names_in_every_script_in_embedded_fonts(
    client: HttpClient,
    cast: Cast,
    people: list[tuple[Membership, Client]],
    poppler: None,
    tmp_path: Path,
) -> None:
    for (_, person), name in zip(people, NAMES, strict=True):
        client.force_login(cast.nurse)
        plan = client.get(reverse("clients:care-plan-pdf", kwargs={"client_id": person.id}))
        assert plan.status_code == 200
        assert_prints_every_name(plan.content, tmp_path, (name,))
        client.force_login(cast.family)
        url = reverse("clients:family-care-plan-pdf", kwargs={"client_id": person.id})
        family = client.get(url)
        assert family.status_code == 200
        assert_prints_every_name(family.content, tmp_path, (name,))


def test_no_pdf_names_a_font_it_does_not_embed(
    client: HttpClient, cast: Cast, poppler: None, tmp_path: Path
) -> None:
    """Helvetica, reportlab's default, must not appear even where every name is Latin."""
    client.force_login(cast.nurse)
    week = {"team_id": cast.team.id, "week": MONDAY.isoformat()}
    urls = [
        reverse("scheduling:week-pdf", kwargs=week),
        reverse(
            "scheduling:member-week-pdf",
            kwargs={**week, "member_id": cast.carer_membership.id},
        ),
        reverse("clients:care-plan-pdf", kwargs={"client_id": cast.client.id}),
    ]
    for url in urls:
        pdf = client.get(url).content
        assert [r for r in fonts(pdf, tmp_path) if r[-5] != "yes"] == []
        assert b"Helvetica" not in pdf


def test_conjuncts_and_vowel_signs_drawn_out_of_order_read_back_as_written(
    client: HttpClient, cast: Cast, poppler: None, tmp_path: Path
) -> None:
    """क्ष is one glyph, ि is drawn before its consonant and a reph after: each name still
    reads back (and copies) as it is written."""
    names = ("लक्ष्मी", "प्रिया शर्मा", "কৃষ্ণ দাস", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "ज्योति", "عبد الله")
    person = Client.objects.create(team=cast.team, given_name="Priya", family_name="Sharma")
    client.force_login(cast.nurse)
    for name in names:
        person.given_name = name
        person.save(update_fields=["given_name"])
        pdf = client.get(reverse("clients:care-plan-pdf", kwargs={"client_id": person.id}))
        assert_prints_every_name(pdf.content, tmp_path, (name,))


def test_punctuation_after_a_right_to_left_name_stays_with_the_left_to_right_text() -> None:
    """In "فاطمة الزهراء, SW1A" the comma follows the name on its left-to-right side: the
    words of the name swap places (HarfBuzz orders each word's letters) and the comma is set
    apart from them, in the base font."""
    ordered = pdf_shaping.visual_order("09:00 فاطمة الزهراء, SW1A")
    assert ordered == "09:00 الزهراء فاطمة, SW1A"
    regular, _ = register()
    assert font_runs(ordered, regular) == [
        (regular, "09:00 "),
        ("NotoSansArabic", "الزهراء فاطمة"),
        (regular, ", SW1A"),
    ]


def test_missing_pdf_fonts_are_a_system_check_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert pdf_fonts.check_fonts() == []
    monkeypatch.setattr(pdf_fonts, "SYSTEM_FONTS", tmp_path)
    [warning] = pdf_fonts.check_fonts()
    assert warning.id == "printing.W001"
    assert "NotoSansArabic-Regular.ttf" in warning.msg
    assert "install-fonts" in str(warning.hint)
