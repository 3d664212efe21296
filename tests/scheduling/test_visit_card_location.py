"""The visit card's check-in carries the tablet's location only when the carer ticks the box
(the page's script fills it); a bad value is refused and nothing is checked in."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from scheduling.models import Visit, VisitAssignment
from scheduling.visit_models import VisitAttendance
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Visit:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:05"))
    made = Visit.objects.create(
        team=cast.team, client=cast.client, planned_start=on(0, "09:00"), planned_end=on(0, "09:30")
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


def urls(cast: Cast, visit: Visit) -> tuple[str, str]:
    kwargs = {"team_id": cast.team.id, "visit_id": visit.id}
    return reverse("scheduling:visit-card", kwargs=kwargs), reverse(
        "scheduling:visit-check-in", kwargs=kwargs
    )


def test_the_card_offers_sharing_the_location_hidden_until_its_script_runs(
    client: HttpClient, cast: Cast, visit: Visit
) -> None:
    client.force_login(cast.carer)
    page = client.get(urls(cast, visit)[0]).content.decode()
    assert "Share this tablet’s location with this check-in" in page
    assert "data-share-location hidden" in page
    assert 'name="share_location" type="checkbox" value="1" aria' in page  # not ticked
    assert "scheduling/visit-location.js" in page
    assert "<script>" not in page


def test_a_ticked_check_in_keeps_the_tablets_location(
    client: HttpClient, cast: Cast, visit: Visit
) -> None:
    client.force_login(cast.carer)
    form = {
        "version": 1,
        "share_location": "1",
        "latitude": "52.486201",
        "longitude": "-1.890399",
        "accuracy_m": "40",
    }
    assert client.post(urls(cast, visit)[1], form).status_code == 302
    attendance = VisitAttendance.objects.get(visit=visit)
    assert (attendance.device_latitude, attendance.device_longitude) == (52.4862, -1.8904)
    assert attendance.device_accuracy_m == 40


def test_without_the_tick_no_location_is_kept_even_if_sent(
    client: HttpClient, cast: Cast, visit: Visit
) -> None:
    client.force_login(cast.carer)
    form = {"version": 1, "latitude": "52.4862", "longitude": "-1.8904"}
    assert client.post(urls(cast, visit)[1], form).status_code == 302
    assert VisitAttendance.objects.get(visit=visit).device_latitude is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "words"),
    [
        ("95", "-1.9", "A latitude is from -90 to 90."),
        ("52.5", "west", "The tablet&#x27;s location was not a number."),
    ],
)
def test_a_bad_location_is_refused_and_nothing_is_checked_in(
    client: HttpClient, cast: Cast, visit: Visit, latitude: str, longitude: str, words: str
) -> None:
    client.force_login(cast.carer)
    form = {"version": 1, "share_location": "1", "latitude": latitude, "longitude": longitude}
    response = client.post(urls(cast, visit)[1], form)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not VisitAttendance.objects.exists()
