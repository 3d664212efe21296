"""The family's plain version of the MAR: words, not codes; no carers' notes, corrections'
reasons, warnings or staff-only details; no covert medicine (the client reads this too);
read-only; the family with access and the client only."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from medicines.models import DoseRecord
from tests.conftest import Cast
from tests.medicines.mar_world import World, line, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def meds(cast: Cast) -> World:
    return world(cast)


def page(client: HttpClient, cast: Cast, week: str = "2025-11-03") -> str:
    url = reverse("mar:family-medicines", kwargs={"client_id": cast.client.id})
    response = client.get(url, {"week": week})
    assert response.status_code == 200
    return response.content.decode()


def test_the_family_read_the_week_in_words_not_codes(
    client: HttpClient, cast: Cast, meds: World
) -> None:
    client.force_login(cast.family)
    text = page(client, cast)
    assert "Amlodipine 5 mg" in text
    assert "08:00: Amlodipine 5 mg: Given" in text
    assert "18:00: Amlodipine 5 mg: Said no to it" in text
    assert "No record was made" in text
    assert "the team corrected this record" in text
    assert "When needed: Pain" in text
    assert "14:04: Paracetamol 500 mg: Given (when needed: 1 to 2 tablet)" in text
    for code in ('class="mar-code"', ">NR<", "G*"):
        assert code not in text


def test_nothing_of_the_teams_own_record_reaches_the_family(
    client: HttpClient, cast: Cast, meds: World
) -> None:
    line(
        cast,
        name="Quetiapine",
        covert=True,
        covert_decision="Best-interests meeting 1 Oct",
        cd_schedule="",
    )
    client.force_login(cast.family)
    text = page(client, cast)
    for secret in (
        "Said it tastes bitter",  # a carer's note
        "Took it after breakfast",  # a correction's reason
        "Headache",  # the carer's PRN reason
        "Aoife",  # who recorded
        "Sertraline",  # awaiting its second check
        "Quetiapine",  # given covertly
        "Best-interests",
        "Administer",
    ):
        assert secret not in text, secret


def test_the_client_reads_it_too_and_no_one_else_does(
    client: HttpClient, cast: Cast, meds: World
) -> None:
    url = reverse("mar:family-medicines", kwargs={"client_id": cast.client.id})
    client.force_login(cast.client_user)
    assert client.get(url, {"week": "2025-11-03"}).status_code == 200
    for user in (cast.family_without_access, cast.coach, cast.other_nurse, cast.nurse):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_the_plain_version_is_read_only(client: HttpClient, cast: Cast, meds: World) -> None:
    client.force_login(cast.family)
    url = reverse("mar:family-medicines", kwargs={"client_id": cast.client.id})
    before = DoseRecord.objects.count()
    assert client.post(url, {"outcome": "given"}).status_code == 405
    assert DoseRecord.objects.count() == before


def test_a_week_that_is_no_date_is_a_400_naming_it(
    client: HttpClient, cast: Cast, meds: World
) -> None:
    client.force_login(cast.family)
    url = reverse("mar:family-medicines", kwargs={"client_id": cast.client.id})
    response = client.get(url, {"week": "last tuesday"})
    assert response.status_code == 400
    assert dt.date(2025, 11, 3).isoformat() not in response.content.decode()
