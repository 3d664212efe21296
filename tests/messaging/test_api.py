"""The messaging API: channels, cursor-paged messages, retry-safe posts, read marks and
handover notes, each scoped like the pages (a 404 for anyone outside), errors as problem+json."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams.models import AccessEvent, Door, User
from messaging.models import ClientMessage, HandoverRead, TeamMessage
from scheduling.models import Visit
from tests.conftest import Cast
from tests.messaging.conftest import client_message, handover, team_message
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db

ApiAs = Callable[[User], Api]


def test_a_member_lists_the_team_channel_and_each_clients_with_unread_counts(
    cast: Cast, api_as: ApiAs
) -> None:
    client_message(cast, "About Dafydd")
    team_message(cast, "To all")
    response = api_as(cast.carer).get(f"/teams/{cast.team.id}/channels")
    assert response.status_code == 200
    channels = response.json()
    assert channels[0]["kind"] == "team"
    assert channels[0]["unread"] == 1
    dafydd = next(c for c in channels if c["client_id"] == str(cast.client.id))
    assert dafydd["unread"] == 1


def test_a_coach_lists_the_team_channel_only(cast: Cast, api_as: ApiAs) -> None:
    client_message(cast)
    channels = api_as(cast.coach).get(f"/teams/{cast.team.id}/channels").json()
    assert [c["kind"] for c in channels] == ["team"]


def test_messages_come_newest_first_a_page_at_a_time(cast: Cast, api_as: ApiAs) -> None:
    for n in range(5):
        team_message(cast, f"Message {n}")
    api = api_as(cast.carer)
    first = api.get(f"/teams/{cast.team.id}/messages", limit=3).json()
    assert [m["body"] for m in first["items"]] == ["Message 4", "Message 3", "Message 2"]
    rest = api.get(f"/teams/{cast.team.id}/messages", limit=3, cursor=first["next_cursor"])
    assert [m["body"] for m in rest.json()["items"]] == ["Message 1", "Message 0"]
    assert rest.json()["next_cursor"] is None


def test_a_made_up_cursor_is_a_problem_naming_the_cursor(cast: Cast, api_as: ApiAs) -> None:
    response = api_as(cast.carer).get(f"/teams/{cast.team.id}/messages", cursor="nonsense")
    body = is_problem(response, 422)
    assert body["errors"][0]["field"] == "cursor"


def test_a_retried_post_returns_the_same_message_and_writes_nothing_more(
    cast: Cast, api_as: ApiAs
) -> None:
    api = api_as(cast.carer)
    payload = {"id": str(uuid.uuid4()), "body": "Running ten minutes late."}
    first = api.post(f"/teams/{cast.team.id}/messages", payload)
    again = api.post(f"/teams/{cast.team.id}/messages", payload)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert TeamMessage.objects.count() == 1


def test_a_client_message_posted_shared_reaches_only_that_clients_channel(
    cast: Cast, api_as: ApiAs
) -> None:
    api = api_as(cast.nurse)
    payload = {"id": str(uuid.uuid4()), "body": "Enjoyed lunch.", "shared_with_family": True}
    response = api.post(f"/clients/{cast.client.id}/messages", payload)
    assert response.status_code == 201
    assert response.json()["shared_with_family"] is True
    listed = api.get(f"/clients/{cast.client.id}/messages").json()["items"]
    assert [m["body"] for m in listed] == ["Enjoyed lunch."]
    other = api.get(f"/clients/{cast.other_client_same_team.id}/messages").json()["items"]
    assert other == []


def test_reading_a_clients_messages_is_logged_as_a_read_through_the_api(
    cast: Cast, api_as: ApiAs
) -> None:
    api_as(cast.carer).get(f"/clients/{cast.client.id}/messages")
    assert AccessEvent.objects.filter(
        user=cast.carer, client_id=cast.client.id, door=Door.API
    ).exists()


@pytest.mark.parametrize("who", ["other_nurse", "coach", "family", "client_user"])
def test_a_clients_channel_is_404_outside_the_clients_team(
    cast: Cast, api_as: ApiAs, who: str
) -> None:
    client_message(cast, "Team only", shared=True)
    api = api_as(getattr(cast, who))
    is_problem(api.get(f"/clients/{cast.client.id}/messages"), 404)
    is_problem(api.get(f"/clients/{cast.client.id}/handovers"), 404)
    is_problem(api.post(f"/clients/{cast.client.id}/messages/read"), 404)
    posted = api.post(
        f"/clients/{cast.client.id}/messages", {"id": str(uuid.uuid4()), "body": "Hi"}
    )
    is_problem(posted, 404)
    assert ClientMessage.objects.count() == 1


def test_the_coach_posts_in_the_team_channel(cast: Cast, api_as: ApiAs) -> None:
    response = api_as(cast.coach).post(
        f"/teams/{cast.team.id}/messages", {"id": str(uuid.uuid4()), "body": "Well done all."}
    )
    assert response.status_code == 201


def test_another_teams_nurse_gets_404_for_the_team_channel(cast: Cast, api_as: ApiAs) -> None:
    api = api_as(cast.other_nurse)
    is_problem(api.get(f"/teams/{cast.team.id}/channels"), 404)
    is_problem(api.get(f"/teams/{cast.team.id}/messages"), 404)
    is_problem(api.post(f"/teams/{cast.team.id}/messages/read"), 404)
    is_problem(api.get(f"/teams/{cast.team.id}/handovers"), 404)


def test_a_blank_message_is_a_problem_naming_the_body(cast: Cast, api_as: ApiAs) -> None:
    response = api_as(cast.carer).post(
        f"/teams/{cast.team.id}/messages", {"id": str(uuid.uuid4()), "body": "   "}
    )
    assert response.status_code in (400, 422)
    body = is_problem(response, response.status_code)
    assert body["errors"][0]["field"] == "body"


def test_marking_the_team_channel_read_clears_its_unread_count(cast: Cast, api_as: ApiAs) -> None:
    team_message(cast)
    api = api_as(cast.carer)
    assert api.post(f"/teams/{cast.team.id}/messages/read").status_code == 200
    channels = api.get(f"/teams/{cast.team.id}/channels").json()
    assert channels[0]["unread"] == 0


def test_a_handover_written_through_the_api_waits_for_the_next_carer_until_read(
    cast: Cast, api_as: ApiAs, visit_later_today: Callable[..., Visit]
) -> None:
    visit = visit_later_today()
    day = timezone.localtime(visit.planned_start, cast.team.zone).date().isoformat()
    payload = {
        "id": str(uuid.uuid4()),
        "body": "New dressing on the left leg.",
        "client_id": str(cast.client.id),
    }
    written = api_as(cast.nurse).post(f"/teams/{cast.team.id}/handovers", payload)
    assert written.status_code == 201
    again = api_as(cast.nurse).post(f"/teams/{cast.team.id}/handovers", payload)
    assert again.json() == written.json()
    carer = api_as(cast.carer)
    waiting = carer.get(f"/teams/{cast.team.id}/handovers", day=day).json()
    assert [h["body"] for h in waiting] == ["New dressing on the left leg."]
    assert carer.post(f"/handovers/{payload['id']}/read").status_code == 200
    assert carer.get(f"/teams/{cast.team.id}/handovers", day=day).json() == []
    record = carer.get(f"/clients/{cast.client.id}/handovers").json()
    assert [h["id"] for h in record] == [payload["id"]]
    assert HandoverRead.objects.count() == 1


def test_a_handover_about_another_teams_client_is_404(cast: Cast, api_as: ApiAs) -> None:
    payload = {"id": str(uuid.uuid4()), "body": "x", "client_id": str(cast.other_team_client.id)}
    is_problem(api_as(cast.nurse).post(f"/teams/{cast.team.id}/handovers", payload), 404)


def test_another_teams_nurse_cannot_mark_a_handover_read(cast: Cast, api_as: ApiAs) -> None:
    note = handover(cast)
    is_problem(api_as(cast.other_nurse).post(f"/handovers/{note.id}/read"), 404)


@pytest.mark.parametrize("size", [2, 40])
def test_the_message_endpoints_use_a_fixed_number_of_queries(
    cast: Cast, api_as: ApiAs, size: int, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    for n in range(size):
        team_message(cast, f"T{n}")
        client_message(cast, f"C{n}")
    api = api_as(cast.carer)
    # The channel list names its clients: one insert for their reads, however many.
    with django_assert_max_num_queries(9):
        assert api.get(f"/teams/{cast.team.id}/channels").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get(f"/teams/{cast.team.id}/messages").status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get(f"/clients/{cast.client.id}/messages").status_code == 200


def test_family_read_only_the_shared_messages_through_the_api(cast: Cast, api_as: ApiAs) -> None:
    client_message(cast, "Shared with you", shared=True)
    client_message(cast, "Team only")
    response = api_as(cast.family).get(f"/family/clients/{cast.client.id}/messages")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [m["body"] for m in items] == ["Shared with you"]
    assert items[0]["author_first_name"] == cast.nurse.first_name
    assert AccessEvent.objects.filter(user=cast.family, door=Door.API).exists()
    stranger = api_as(cast.family_without_access)
    is_problem(stranger.get(f"/family/clients/{cast.client.id}/messages"), 404)
