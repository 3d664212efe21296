"""List operations cost a fixed number of queries however many rows they return."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from accounts import tokens
from careteams import changes
from careteams.incarnation import incarnation_get
from careteams.models import User
from clients.models import CareProblem, Client, Note, NoteProblem
from tests.conftest import Cast
from tests.mobile_api.conftest import Api
from tests.scheduling.conftest import MONDAY, big_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def test_the_week_of_a_full_team_takes_a_fixed_number_of_queries(
    cast: Cast, nurse: Api, django_assert_max_num_queries: Any
) -> None:
    big_team(cast.team, members=12, visits=400)
    with django_assert_max_num_queries(16):
        response = nurse.get(f"/teams/{cast.team.id}/week/{MONDAY}")
    assert len(response.json()["visits"]) == 400


def test_lists_of_clients_notes_tokens_and_family_take_a_fixed_number_of_queries(
    cast: Cast,
    nurse: Api,
    api_as: Callable[[User], Api],
    django_assert_max_num_queries: Any,
    problem: CareProblem,
) -> None:
    Client.objects.bulk_create(
        Client(team=cast.team, given_name=f"C{n}", family_name="Llŷr") for n in range(200)
    )
    now = timezone.now()
    notes = Note.objects.bulk_create(
        Note(
            id=uuid.uuid4(),
            team=cast.team,
            client=cast.client,
            author=cast.nurse,
            body=f"N{n}",
            recorded_at=now,
            shareable=True,
        )
        for n in range(150)
    )
    NoteProblem.objects.bulk_create(
        NoteProblem(team=cast.team, note=n, problem=problem) for n in notes
    )
    for _ in range(30):
        tokens.token_issue(user=cast.nurse, name="Another tablet")
    nurse = api_as(cast.nurse)  # the oldest tokens beyond the limit were revoked
    family = api_as(cast.family)
    with django_assert_max_num_queries(6):
        assert len(nurse.get(f"/teams/{cast.team.id}/clients").json()) == 202
    with django_assert_max_num_queries(8):
        assert len(nurse.get(f"/clients/{cast.client.id}/notes", limit=100).json()["items"]) == 100
    with django_assert_max_num_queries(14):
        assert len(nurse.get(f"/clients/{cast.client.id}").json()["notes"]["items"]) == 20
    with django_assert_max_num_queries(4):
        assert len(nurse.get("/auth/tokens").json()) == tokens.MAX_LIVE_TOKENS
    with django_assert_max_num_queries(6):
        assert len(nurse.get("/me").json()["memberships"]) == 1
    with django_assert_max_num_queries(12):
        assert len(family.get(f"/family/clients/{cast.client.id}").json()["notes"]) > 0


def test_a_pull_of_many_changes_takes_a_fixed_number_of_queries(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api], django_assert_max_num_queries: Any
) -> None:
    from django.db import transaction

    with transaction.atomic():
        for n in range(300):
            client = Client.objects.create(team=cast.team, given_name=f"C{n}", family_name="X")
            changes.record(
                team=cast.team, entity="client", obj=client, actor=cast.nurse, client_id=client.id
            )
    # The feed's incarnation row is made on first read when a flush (an earlier test) removed
    # it: a one-off, not part of a pull's steady cost.
    incarnation_get()
    for user, expected in ((cast.nurse, 300), (cast.coach, 0), (cast.family, 0)):
        api = nurse if user == cast.nurse else api_as(user)
        with django_assert_max_num_queries(8):
            body = api.get(f"/sync/{cast.team.id}/changes", limit=1000).json()
        assert len(body["changes"]) == expected
        assert body["next_cursor"].startswith("300.")
