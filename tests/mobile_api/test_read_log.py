"""Every read of a client's data through the API is in the read log: one row per client per
request, through the API door, whether it is a record, a list, a visit or a sync pull."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams.models import AccessEvent, Door, User
from clients.models import Client
from scheduling.models import Visit
from tests.conftest import Cast
from tests.mobile_api.conftest import Api

pytestmark = pytest.mark.django_db


def reads(what: str) -> list[tuple[User | None, uuid.UUID, str, bool]]:
    events = AccessEvent.objects.filter(what=what).order_by("client_id", "id")
    return [(e.user, e.client_id, e.door, e.allowed) for e in events]


def write_notes(api: Api, client: Client, count: int) -> None:
    for n in range(count):
        body = {
            "id": str(uuid.uuid4()),
            "body": f"Note {n}",
            "recorded_at": timezone.now().isoformat(),
            "shareable": True,
        }
        assert api.post(f"/clients/{client.id}/notes", body).status_code == 201


def pull(api: Api, team: uuid.UUID) -> dict[str, Any]:
    response = api.get(f"/sync/{team}/changes", after=0, limit=1000)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_sync_pull_logs_one_read_per_client_it_carries(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    nurse = api_as(cast.nurse)
    write_notes(nurse, cast.client, 3)
    write_notes(nurse, cast.other_client_same_team, 2)
    carried = {c["client"] for c in pull(nurse, cast.team.id)["changes"]}
    assert carried >= {str(cast.client.id), str(cast.other_client_same_team.id)}
    first = sorted((cast.client.id, cast.other_client_same_team.id))
    assert reads("sync") == [(cast.nurse, c, Door.API, True) for c in first]
    pull(nurse, cast.team.id)
    assert len(reads("sync")) == 4  # each request is a read
    for event in AccessEvent.objects.filter(what="sync"):
        assert (event.team_id, event.what) == (cast.team.id, "sync")
        assert abs(timezone.now() - event.at) < dt.timedelta(minutes=1)


def test_a_family_pull_logs_only_the_client_they_follow(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    nurse = api_as(cast.nurse)
    write_notes(nurse, cast.client, 2)
    write_notes(nurse, cast.other_client_same_team, 2)
    pull(api_as(cast.family), cast.team.id)
    assert reads("sync") == [(cast.family, cast.client.id, Door.API, True)]


def test_a_coachs_pull_carries_no_client_and_logs_none(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    write_notes(api_as(cast.nurse), cast.client, 2)
    pull(api_as(cast.coach), cast.team.id)
    assert reads("sync") == []


def test_the_client_list_logs_a_read_of_each_client_listed(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    listed = api_as(cast.carer).get(f"/teams/{cast.team.id}/clients").json()
    ids = sorted(uuid.UUID(c["id"]) for c in listed)
    assert len(ids) == 2
    assert reads("client list") == [(cast.carer, c, Door.API, True) for c in ids]


def test_reading_a_visit_logs_a_read_of_its_client(
    cast: Cast, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    response = api_as(cast.carer).get(f"/teams/{cast.team.id}/visits/{visit.id}")
    assert response.status_code == 200
    assert reads("visit") == [(cast.carer, cast.client.id, Door.API, True)]
