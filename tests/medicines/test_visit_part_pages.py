"""A line given with the morning visit on the pages: chosen in the line's form instead of clock
times, named in the MAR's time column (on screen and in the PDF), in the family's plain week,
and missed on Team today and the carer's My day when nobody gave it."""

import shutil
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from medicines.models import MedicineLine
from medicines.vocabulary import VisitPart
from tests.careteams.test_pdf_scripts import printed
from tests.conftest import Cast
from tests.medicines.mar_world import dose, line
from tests.medicines.test_pages import FORM, browser
from tests.medicines.test_visit_missed import my_day, team_today
from tests.medicines.visit_fixtures import clock, long_sessions, make_line, morning_visit
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


def test_the_nurse_chooses_a_visit_instead_of_times_in_the_form(cast: Cast) -> None:
    nurse = browser(cast.nurse)
    url = reverse("medicines:line-add", kwargs={"client_id": cast.client.id})
    both = nurse.post(url, {**FORM, "visit_part": "morning"})
    assert both.status_code == 400
    assert "Give either times of day or the visit it is given with, not both." in (
        both.content.decode()
    )
    neither = nurse.post(url, {**FORM, "times": ""})
    assert neither.status_code == 400
    assert "or the visit it is given with" in neither.content.decode()
    assert nurse.post(url, {**FORM, "times": "", "visit_part": "morning"}).status_code == 302
    made = MedicineLine.objects.get()
    assert (made.times, made.visit_part) == ([], VisitPart.MORNING)
    page = nurse.get(
        reverse("medicines:list", kwargs={"client_id": cast.client.id})
    ).content.decode()
    assert "with the client's visit: Morning visit" in page


def morning_line(cast: Cast) -> MedicineLine:
    """With the morning visit through November 2025; given at 08:40 on the 3rd, nothing else."""
    made = line(cast, name="Levothyroxine", times=[], visit_part=VisitPart.MORNING)
    dose(made, "2025-11-03 08:40", by=cast.carer)
    return made


def test_the_mar_names_the_visit_in_its_time_column(cast: Cast) -> None:
    morning_line(cast)
    url = reverse("mar:week", kwargs={"client_id": cast.client.id, "day": "2025-11-05"})
    page = browser(cast.nurse).get(url).content.decode()
    assert '<th scope="row" class="mar-time">Morning visit</th>' in page


def test_the_mar_pdf_names_the_visit_in_its_time_column(cast: Cast, tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed: scripts/install-fonts")
    morning_line(cast)
    url = reverse("mar:month-pdf", kwargs={"client_id": cast.client.id, "day": "2025-11-01"})
    text = printed(browser(cast.nurse).get(url).content, tmp_path)
    assert "Morning visit" in " ".join(text.split())  # in one or two lines


def test_the_family_read_the_visits_dose_at_its_time_with_the_visit_named(
    client: HttpClient, cast: Cast
) -> None:
    morning_line(cast)
    client.force_login(cast.family)
    url = reverse("mar:family-medicines", kwargs={"client_id": cast.client.id})
    text = client.get(url, {"week": "2025-11-03"}).content.decode()
    assert "08:40 (Morning visit): Levothyroxine 5 mg: Given" in text
    assert "08:00 (Morning visit): Levothyroxine 5 mg: <strong>No record was made" in text


@pytest.mark.clock_sensitive
@pytest.mark.usefixtures(long_sessions.__name__)
def test_a_visit_dose_nobody_gave_is_missed_on_team_today_and_my_day(
    client: HttpClient, cast: Cast
) -> None:
    make_line(cast, name="Levothyroxine", times=[], visit_part=VisitPart.MORNING)
    morning_visit(cast)  # 08:30 to 09:00, may start 08:15 to 09:15: missed at 09:45 and an hour
    with clock(on(0, "10:46")):
        client.force_login(cast.nurse)
        assert "Levothyroxine" in team_today(client, cast)
        client.force_login(cast.carer)
        assert "Levothyroxine" in my_day(client, cast)
