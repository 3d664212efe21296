"""The client's preferred language in the API (issue 30): the client read, the visit card and
the sync pull carry it; another team's client is a 404 as for any client field."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from careteams.models import User
from clients.services.clients import ClientDetails, client_update
from tests.conftest import Cast
from tests.mobile_api.conftest import Api
from tests.mobile_api.test_my_day_visits import a_visit
from tests.mobile_api.test_sync import pull_all
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh(cast: Cast) -> None:
    details = ClientDetails(
        given_name="Dafydd", family_name="Llŷr", language="cy", language_needed=True
    )
    client_update(client=cast.client, version=1, details=details, actor=cast.nurse)


@pytest.mark.usefixtures("welsh")
def test_the_client_read_carries_the_preferred_language(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    record = api_as(cast.nurse).get(f"/clients/{cast.client.id}").json()["client"]
    assert (record["language"], record["language_other"], record["language_needed"]) == (
        "cy",
        "",
        True,
    )


@pytest.mark.usefixtures("welsh")
def test_my_days_visit_card_carries_the_language_in_words(
    cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:05"))
    a_visit(cast)
    day = api_as(cast.carer).get(f"/teams/{cast.team.id}/my-day/visits", day="2030-11-25")
    [visit] = day.json()["visits"]
    card = visit["client"]
    assert card["language"] == "cy"
    assert card["language_label"] == "Cymraeg (Welsh)"
    assert card["language_needed"] is True


@pytest.mark.usefixtures("welsh")
def test_the_sync_pull_carries_the_language_change(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    changes, _ = pull_all(api_as(cast.nurse), cast.team.id)
    [change] = [c for c in changes if c["entity"] == "client" and c["data"]["language"] == "cy"]
    assert change["data"]["language_needed"] is True


@pytest.mark.usefixtures("welsh")
def test_another_teams_member_gets_404_for_the_client_and_its_language(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    assert api_as(cast.other_nurse).get(f"/clients/{cast.client.id}").status_code == 404
