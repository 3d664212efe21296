"""The rota on paper: each member's run sheet, and the team's week with its visits."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Membership
from clients.models import Client
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast
from tests.scheduling.conftest import MONDAY, on
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db

# About 2.2 km apart in Stratford-upon-Avon: 6 minutes by the estimate.
MARKET, TIDDINGTON = (52.1917, -1.7073), (52.2008, -1.6783)


def visit(client: Client, day: int, start: str, end: str, *carers: Membership) -> Visit:
    made = Visit.objects.create(
        team=client.team, client=client, planned_start=on(day, start), planned_end=on(day, end)
    )
    for carer in carers:
        VisitAssignment.objects.create(visit=made, member=carer)
    return made


@pytest.fixture
def day_of_visits(cast: Cast) -> None:
    home, other = cast.client, cast.other_client_same_team
    home.latitude, home.longitude = MARKET
    home.address_line_1, home.town = "3 Sheep Street", "Stratford-upon-Avon"
    home.save()
    other.latitude, other.longitude = TIDDINGTON
    other.address_line_1, other.postcode = "12 Main Road", "CV37 7AA"
    other.save()
    carer = cast.carer_membership
    visit(other, 0, "11:00", "11:45", carer)
    visit(home, 0, "09:00", "09:30", carer)
    visit(home, 1, "08:00", "08:30", carer)
    visit(other, 0, "14:00", "14:30", cast.nurse_membership)  # someone else's
    visit(other, 2, "10:00", "10:30")  # nobody yet


def run_sheet_url(cast: Cast, member: Membership, day: dt.date | None = None) -> str:
    url = reverse(
        "scheduling:member-run-sheet-pdf",
        kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat(), "member_id": member.id},
    )
    return f"{url}?day={day.isoformat()}" if day else url


def test_a_run_sheet_lists_the_members_visits_in_order_with_address_and_travel(
    client: HttpClient, cast: Cast, day_of_visits: None
) -> None:
    client.force_login(cast.nurse)
    response = client.get(run_sheet_url(cast, cast.carer_membership, MONDAY))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Aoife Ní Bhriain: run sheet for Monday 25 November 2030" in text
    lines = text.splitlines()
    first, second = lines.index("09:00–09:30"), lines.index("11:00–11:45")
    assert first < second
    assert "Dafydd Llŷr" in text
    assert "3 Sheep Street, Stratford-upon-Avon" in text
    assert "12 Main Road, CV37 7AA" in text
    assert "6 min" in text  # from Sheep Street to Main Road
    assert "14:00" not in text  # the nurse's visit
    assert "08:00" not in text  # Tuesday's


def test_a_weeks_run_sheet_has_every_day(
    client: HttpClient, cast: Cast, day_of_visits: None
) -> None:
    client.force_login(cast.carer)
    text = pdf_text(client.get(run_sheet_url(cast, cast.carer_membership)).content)
    assert "Tuesday 26 November" in text
    assert "08:00–08:30" in text
    assert "Sunday 1 December: no visits." in text


def test_a_run_sheet_is_for_members_of_the_team_only(
    client: HttpClient, cast: Cast, day_of_visits: None
) -> None:
    for outsider in (cast.other_nurse, cast.coach, cast.family):
        client.force_login(outsider)
        assert client.get(run_sheet_url(cast, cast.carer_membership)).status_code == 404
    client.force_login(cast.nurse)
    outside_week = run_sheet_url(cast, cast.carer_membership, MONDAY + dt.timedelta(days=7))
    assert client.get(outside_week).status_code == 404
    other_teams_member = run_sheet_url(cast, cast.other_nurse_membership)
    assert client.get(other_teams_member).status_code == 404


def test_the_team_week_pdf_shows_visits_and_those_needing_a_carer(
    client: HttpClient, cast: Cast, day_of_visits: None
) -> None:
    url = reverse(
        "scheduling:week-pdf", kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat()}
    )
    client.force_login(cast.nurse)
    # Narrow day columns wrap a visit's line: compare the words, not the lines.
    text = " ".join(pdf_text(client.get(url).content).split())
    assert "Aoife Ní Bhriain Care worker 09:00–09:30 Dafydd Llŷr 11:00–11:45 Mary O'Neill" in text
    assert "Siân Ellis Registered nurse 14:00–14:30 Mary O'Neill" in text
    assert "Visits needing a carer" in text
    assert "10:00–10:30 Mary" in text
    assert "Travel 6 min" in text
    client.force_login(cast.coach)
    coach_text = " ".join(pdf_text(client.get(url).content).split())
    assert coach_text.startswith("Riverside: rota for 25 November")
    assert "Llŷr" not in coach_text
    assert "Mary" not in coach_text
    client.force_login(cast.other_nurse)
    assert client.get(url).status_code == 404
