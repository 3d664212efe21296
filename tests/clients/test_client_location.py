"""A client's location: typed on the record, or confirmed from a check-in with consent."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.errors import DomainError, NotFound
from careteams.models import Change
from clients.models import LocationSource
from clients.services import clients as services
from clients.services.clients import ClientDetails
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def details(
    cast: Cast, latitude: float | None = None, longitude: float | None = None
) -> ClientDetails:
    client = cast.other_client_same_team
    return ClientDetails(
        given_name=client.given_name,
        family_name=client.family_name,
        latitude=latitude,
        longitude=longitude,
    )


def test_a_location_typed_on_the_record_is_kept_and_marked_as_typed(cast: Cast) -> None:
    client = services.client_update(
        client=cast.other_client_same_team,
        version=1,
        details=details(cast, latitude=52.486243, longitude=-1.890401),
        actor=cast.nurse,
    )
    client.refresh_from_db()
    assert (client.latitude, client.longitude) == (52.48624, -1.8904)
    assert client.location_source == LocationSource.RECORD
    change = Change.objects.filter(entity="client", entity_id=client.id).latest("seq")
    assert change.data["latitude"] == 52.48624


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ({"latitude": 52.5}, "longitude"),
        ({"longitude": -1.9}, "latitude"),
        ({"latitude": 91.0, "longitude": -1.9}, "latitude"),
        ({"latitude": 52.5, "longitude": -181.0}, "longitude"),
        ({"latitude": float("nan"), "longitude": -1.9}, "latitude"),
    ],
)
def test_half_a_location_or_one_off_the_earth_is_refused_naming_the_field(
    cast: Cast, location: dict[str, float], field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        services.client_update(
            client=cast.other_client_same_team,
            version=1,
            details=details(cast, **location),
            actor=cast.nurse,
        )
    assert caught.value.field == field


def test_a_check_in_location_is_kept_only_with_the_clients_consent(cast: Cast) -> None:
    client = cast.other_client_same_team
    with pytest.raises(DomainError) as caught:
        services.client_location_confirm(
            client=client,
            version=1,
            latitude=52.48,
            longitude=-1.89,
            consent=False,
            actor=cast.carer,
        )
    assert caught.value.field == "consent"
    client.refresh_from_db()
    assert client.latitude is None
    confirmed = services.client_location_confirm(
        client=client, version=1, latitude=52.48, longitude=-1.89, consent=True, actor=cast.carer
    )
    assert (confirmed.latitude, confirmed.longitude, confirmed.version) == (52.48, -1.89, 2)
    assert confirmed.location_source == LocationSource.CHECK_IN


def test_confirming_without_a_device_location_names_the_missing_field(cast: Cast) -> None:
    with pytest.raises(DomainError) as caught:
        services.client_location_confirm(
            client=cast.client,
            version=1,
            latitude=None,
            longitude=-1.89,
            consent=True,
            actor=cast.nurse,
        )
    assert caught.value.field == "latitude"


def test_a_member_of_another_team_cannot_confirm_a_location(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.client_location_confirm(
            client=cast.client,
            version=1,
            latitude=52.48,
            longitude=-1.89,
            consent=True,
            actor=cast.other_nurse,
        )


def test_the_record_form_takes_the_location(client: HttpClient, cast: Cast) -> None:
    record = cast.other_client_same_team
    url = reverse("clients:client-edit", kwargs={"client_id": record.id})
    client.force_login(cast.nurse)
    page = client.get(url)
    assert 'name="latitude"' in page.content.decode()
    form = {"given_name": "Mary", "family_name": "O'Neill", "status": "active", "version": 1}
    half = client.post(url, {**form, "latitude": "52.5"})
    assert half.status_code == 400
    assert "Enter both the latitude and the longitude" in half.content.decode()
    response = client.post(url, {**form, "latitude": "52.5", "longitude": "-1.9"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.latitude, record.longitude) == (52.5, -1.9)
    client.force_login(cast.other_nurse)
    assert client.get(url).status_code == 404
