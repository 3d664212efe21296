"""The client record offers the latest shared check-in locations when the client has no home
location (or one far from them), and the team confirms one as the client's home only when the
client agreed; another team's user gets a 404; the record's queries do not grow."""

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Client, LocationSource
from clients.selectors.check_in_locations import check_in_locations_to_offer
from scheduling.models import Visit
from scheduling.visit_models import AttendanceRole, VisitAttendance
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


def checked_in(
    cast: Cast,
    day: int = 0,
    latitude: float | None = 52.4862,
    longitude: float | None = -1.8904,
    accuracy: float | None = 40,
) -> VisitAttendance:
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(day, "08:00"),
        planned_end=on(day, "08:30"),
    )
    return VisitAttendance.objects.create(
        visit=visit,
        member=cast.carer_membership,
        role=AttendanceRole.ASSIGNED,
        checked_in_at=on(day, "08:05"),
        check_in_received_at=on(day, "08:05"),
        device_latitude=latitude,
        device_longitude=longitude,
        device_accuracy_m=accuracy if latitude is not None else None,
    )


def record_url(cast: Cast) -> str:
    return reverse("clients:client-detail", kwargs={"client_id": cast.client.id})


def confirm_url(cast: Cast) -> str:
    return reverse("clients:client-location-confirm", kwargs={"client_id": cast.client.id})


def test_the_record_shows_the_carers_check_in_location_when_the_client_has_none(
    client: HttpClient, cast: Cast
) -> None:
    checked_in(cast)
    checked_in(cast, day=1, latitude=None, longitude=None)  # not shared: not offered
    client.force_login(cast.nurse)
    page = client.get(record_url(cast)).content.decode()
    assert "Aoife’s check-in on Mon 25 Nov 08:05, 40 m accuracy" in page
    assert page.count("Use this as the client’s home location") == 1


def test_a_location_within_200_metres_of_the_home_is_not_offered_one_further_is(
    cast: Cast,
) -> None:
    Client.objects.filter(pk=cast.client.pk).update(latitude=52.4862, longitude=-1.8904)
    cast.client.refresh_from_db()
    checked_in(cast, latitude=52.4872)  # about 111 m north
    far = checked_in(cast, day=1, latitude=52.4962)  # about 1.1 km north
    offered = check_in_locations_to_offer(cast.client)
    assert [o.attendance.id for o in offered] == [far.id]
    assert offered[0].distance_m == pytest.approx(1112, abs=2)


def test_confirming_without_the_clients_consent_is_refused_beside_the_consent_box(
    client: HttpClient, cast: Cast
) -> None:
    attendance = checked_in(cast)
    client.force_login(cast.nurse)
    response = client.post(confirm_url(cast), {"attendance": attendance.id, "version": 1})
    assert response.status_code == 400
    page = response.content.decode()
    assert "nhsuk-form-group--error" in page
    assert "Ask the client first: their location is kept only with their consent." in page
    assert f'aria-describedby="consent-{attendance.id}-error"' in page
    cast.client.refresh_from_db()
    assert cast.client.latitude is None


def test_confirming_with_consent_keeps_the_check_in_location_as_the_clients_home(
    client: HttpClient, cast: Cast
) -> None:
    attendance = checked_in(cast)
    client.force_login(cast.carer)
    response = client.post(
        confirm_url(cast), {"attendance": attendance.id, "version": 1, "consent": "on"}
    )
    assert response.status_code == 302
    cast.client.refresh_from_db()
    assert (cast.client.latitude, cast.client.longitude) == (52.4862, -1.8904)
    assert cast.client.location_source == LocationSource.CHECK_IN
    page = client.get(record_url(cast)).content.decode()
    assert "confirmed from a check-in, with consent" in page
    assert "Use this as the client’s home location" not in page


def test_a_stale_page_is_a_conflict_and_nothing_is_overwritten(
    client: HttpClient, cast: Cast
) -> None:
    attendance = checked_in(cast)
    Client.objects.filter(pk=cast.client.pk).update(version=2)
    client.force_login(cast.nurse)
    response = client.post(
        confirm_url(cast), {"attendance": attendance.id, "version": 1, "consent": "on"}
    )
    assert response.status_code == 409
    cast.client.refresh_from_db()
    assert cast.client.latitude is None


def test_another_teams_user_gets_a_404_and_another_clients_check_in_is_a_404(
    client: HttpClient, cast: Cast
) -> None:
    attendance = checked_in(cast)
    client.force_login(cast.other_nurse)
    form = {"attendance": attendance.id, "version": 1, "consent": "on"}
    assert client.post(confirm_url(cast), form).status_code == 404
    client.force_login(cast.nurse)
    other = reverse(
        "clients:client-location-confirm", kwargs={"client_id": cast.other_client_same_team.id}
    )
    assert client.post(other, form).status_code == 404
    cast.client.refresh_from_db()
    cast.other_client_same_team.refresh_from_db()
    assert cast.client.latitude is None
    assert cast.other_client_same_team.latitude is None


def test_the_records_queries_do_not_grow_with_check_in_locations(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.nurse)
    checked_in(cast)
    client.get(record_url(cast))
    with django_assert_max_num_queries(40) as one:
        client.get(record_url(cast))
    for day in range(1, 5):
        checked_in(cast, day=day)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(record_url(cast)).content.decode()
    assert page.count("Use this as the client’s home location") == 3
