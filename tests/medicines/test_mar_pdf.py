"""The MAR as a PDF (landscape A4, like the paper chart): the client's identity, allergies and
GP, each line's grid with codes and initials, gaps as NR, PRN doses, corrections, the key; and
the blank MAR. Every name prints in every script, read back with pdftotext as the care plan's
are (tests/careteams/test_pdf_scripts.py)."""

import shutil
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Membership, Role
from clients.models import Client
from medicines import mar, pdf_mar
from tests.careteams.test_pdf_right_to_left import HEBREW
from tests.careteams.test_pdf_scripts import NAMES, assert_prints_every_name, printed
from tests.conftest import Cast, make_user
from tests.environment import unavailable
from tests.medicines.mar_world import AFTER, FIRST, LAST, World, dose, line, world

pytestmark = pytest.mark.django_db

SCRIPTS = (*NAMES, HEBREW, "प्रिया शर्मा")


@pytest.fixture
def pdftotext() -> None:
    """poppler-utils, as tests/careteams/conftest.py's `poppler` asks for them."""
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        unavailable("poppler-utils (pdftotext, pdffonts) is not installed: scripts/install-fonts")


@pytest.fixture
def meds(cast: Cast) -> World:
    return world(cast)


def month_pdf(client: HttpClient, person: Client, *, blank: bool = False) -> bytes:
    name = "mar:blank-pdf" if blank else "mar:month-pdf"
    response = client.get(reverse(name, kwargs={"client_id": person.id, "day": "2025-11-01"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_month_pdf_shows_identity_allergies_gp_codes_gaps_and_the_key(
    client: HttpClient, cast: Cast, meds: World, pdftotext: None, tmp_path: Path
) -> None:
    Client.objects.filter(pk=cast.client.pk).update(gp_practice_name="Canton Surgery")
    client.force_login(cast.nurse)
    text = printed(month_pdf(client, cast.client), tmp_path)
    for expected in (
        "Medication administration record: November 2025",
        "Dafydd Llŷr",
        "943 476 5919",
        "Canton Surgery",
        "Penicillin",
        "Amlodipine 5 mg",
        "NR",
        "Headache",
        "Took it after breakfast",
        "Said it tastes bitter",
        "Aoife Ní Bhriain",
        "No record: the dose's time has passed",
    ):
        assert expected in text, expected


def test_the_blank_mar_prints_the_lines_with_empty_cells_and_no_records(
    client: HttpClient, cast: Cast, meds: World, pdftotext: None, tmp_path: Path
) -> None:
    client.force_login(cast.nurse)
    text = printed(month_pdf(client, cast.client, blank=True), tmp_path)
    assert "Medication administration record (blank)" in text
    assert "Amlodipine 5 mg" in text
    assert "Paracetamol 500 mg" in text
    assert "Headache" not in text
    assert "Aoife" not in text
    assert "Signature" in text


def test_every_name_in_every_script_prints_as_written(
    client: HttpClient, cast: Cast, pdftotext: None, tmp_path: Path
) -> None:
    """Clients, the medicines and the carers who recorded the doses, named in each script."""
    client.force_login(cast.nurse)
    for index, name in enumerate(SCRIPTS):
        person = Client.objects.create(team=cast.team, given_name=name, family_name="")
        carer = make_user(f"mar{index}@example.test", name, "")
        Membership.objects.create(user=carer, team=cast.team, role=Role.CARE_WORKER)
        regular = line(cast, person, name=name)
        dose(regular, "2025-11-03 08:00", by=carer)
        pdf = month_pdf(client, person)
        assert_prints_every_name(pdf, tmp_path, (name,))
        assert printed(pdf, tmp_path).count(name) >= 3, "the client, the line, the carer"


def test_a_month_of_thirty_one_days_and_many_lines_builds_in_landscape(
    cast: Cast, meds: World
) -> None:
    for n in range(12):
        line(cast, name=f"Medicine {n}", times=["08:00", "12:00", "18:00", "22:00"])
    chart = mar.mar_build(
        client=cast.client,
        first=FIRST.replace(month=12),
        last=LAST.replace(month=12, day=31),
        now=AFTER,
    )
    assert len(chart.days) == 31
    pdf = pdf_mar.mar_pdf(chart)
    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in pdf
