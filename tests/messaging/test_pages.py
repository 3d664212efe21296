"""The pages of messages and handovers: who sees what (a 404 for anyone else), posting with and
without htmx, handovers on My day and the visit until read, and fixed query counts."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams.models import AccessEvent
from messaging.models import ClientMessage, TeamMessage
from scheduling.models import Visit
from tests.conftest import Cast
from tests.messaging.conftest import client_message, handover, team_message

pytestmark = pytest.mark.django_db


def client_channel(cast: Cast) -> str:
    return reverse("messaging:client-channel", kwargs={"client_id": cast.client.id})


def team_channel(cast: Cast) -> str:
    return reverse("messaging:team-channel", kwargs={"team_id": cast.team.id})


def my_day(cast: Cast, visit: Visit) -> str:
    day = timezone.localtime(visit.planned_start, cast.team.zone).date()
    url = reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
    return f"{url}?day={day.isoformat()}"


def test_the_clients_team_reads_the_clients_messages_and_the_read_is_logged(
    client: HttpClient, cast: Cast
) -> None:
    client_message(cast, "Prefers the blue mug.")
    client.force_login(cast.carer)
    response = client.get(client_channel(cast))
    assert response.status_code == 200
    assert "Prefers the blue mug." in response.content.decode()
    assert AccessEvent.objects.filter(user=cast.carer, client_id=cast.client.id).exists()


@pytest.mark.parametrize("who", ["other_nurse", "coach", "family", "client_user", "outsider"])
def test_nobody_outside_the_clients_team_gets_its_channel(
    client: HttpClient, cast: Cast, who: str
) -> None:
    message = client_message(cast, "Private to the team.", shared=True)
    client.force_login(getattr(cast, who))
    urls = [
        client_channel(cast),
        reverse("messaging:client-items", kwargs={"client_id": cast.client.id}),
        reverse("messaging:client-handover-new", kwargs={"client_id": cast.client.id}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posted = client.post(client_channel(cast), {"body": "Hello", "message_id": uuid.uuid4()})
    assert posted.status_code == 404
    assert list(ClientMessage.objects.all()) == [message]


def test_family_see_only_the_messages_shared_with_them(client: HttpClient, cast: Cast) -> None:
    client_message(cast, "Shared: Dafydd enjoyed the garden.", shared=True)
    client_message(cast, "Not shared: review the pressure area.")
    client.force_login(cast.family)
    page = client.get(reverse("clients:family-client", kwargs={"client_id": cast.client.id}))
    text = page.content.decode()
    assert "Shared: Dafydd enjoyed the garden." in text
    assert "Not shared" not in text
    fragment = client.get(reverse("messaging:family-items", kwargs={"client_id": cast.client.id}))
    assert "Not shared" not in fragment.content.decode()
    assert "Shared: Dafydd" in fragment.content.decode()


def test_family_without_access_get_404_for_shared_messages(client: HttpClient, cast: Cast) -> None:
    client_message(cast, "Shared", shared=True)
    client.force_login(cast.family_without_access)
    url = reverse("messaging:family-items", kwargs={"client_id": cast.client.id})
    assert client.get(url).status_code == 404


def test_the_coach_reads_and_writes_in_the_team_channel(client: HttpClient, cast: Cast) -> None:
    team_message(cast, "Rota meeting at two.")
    client.force_login(cast.coach)
    assert "Rota meeting at two." in client.get(team_channel(cast)).content.decode()
    response = client.post(
        team_channel(cast), {"body": "Happy to join.", "message_id": uuid.uuid4()}
    )
    assert response.status_code == 302
    assert TeamMessage.objects.filter(author=cast.coach, body="Happy to join.").exists()


def test_the_coachs_channel_list_has_the_team_channel_only(client: HttpClient, cast: Cast) -> None:
    client_message(cast, "About Dafydd")
    client.force_login(cast.coach)
    text = client.get(reverse("messaging:channels", kwargs={"team_id": cast.team.id})).content
    assert b"Team channel" in text
    assert cast.client.given_name.encode() not in text
    assert cast.other_client_same_team.family_name.encode() not in text


def test_another_teams_nurse_gets_404_for_the_team_channel(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.other_nurse)
    for name in ("messaging:channels", "messaging:team-channel", "messaging:unread"):
        assert client.get(reverse(name, kwargs={"team_id": cast.team.id})).status_code == 404


def test_a_message_posted_without_javascript_returns_to_the_channel(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    message_id = uuid.uuid4()
    response = client.post(
        client_channel(cast),
        {"body": "Needs more pads.", "message_id": message_id, "shared_with_family": "on"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#message-{message_id}")
    assert ClientMessage.objects.get(pk=message_id).shared_with_family


def test_a_message_posted_with_htmx_comes_back_to_be_appended_with_a_fresh_form(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    message_id = uuid.uuid4()
    response = client.post(
        team_channel(cast),
        {"body": "On my way.", "message_id": message_id},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="beforeend:#message-list"' in text
    assert f'id="message-{message_id}"' in text
    assert f'value="{message_id}"' not in text  # the next message gets a new id


def test_the_same_form_posted_twice_writes_one_message(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    form = {"body": "Door code changed.", "message_id": uuid.uuid4()}
    client.post(team_channel(cast), form)
    client.post(team_channel(cast), form)
    assert TeamMessage.objects.count() == 1


def test_an_empty_message_is_a_form_error_not_a_message(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    response = client.post(team_channel(cast), {"body": "  ", "message_id": uuid.uuid4()})
    assert response.status_code == 400
    assert "Write something before sending it." in response.content.decode()
    assert not TeamMessage.objects.exists()


def test_the_live_fragment_gives_only_the_messages_after_the_last_shown(
    client: HttpClient, cast: Cast
) -> None:
    from messaging.selectors import key_of

    first = team_message(cast, "First")
    team_message(cast, "Second")
    client.force_login(cast.carer)
    url = reverse("messaging:team-items", kwargs={"team_id": cast.team.id})
    text = client.get(url, {"after": key_of(first)}).content.decode()
    assert "Second" in text
    assert "First" not in text


def test_unread_counts_reach_the_navigation_and_go_when_the_channel_is_opened(
    client: HttpClient, cast: Cast
) -> None:
    team_message(cast, "One")
    client_message(cast, "Two")
    team_message(cast, "Mine", author=cast.carer)
    client.force_login(cast.carer)
    badge = reverse("messaging:unread", kwargs={"team_id": cast.team.id})
    assert "(2 unread)" in client.get(badge).content.decode()
    home = client.get(reverse("scheduling:my-day", kwargs={"team_id": cast.team.id}))
    assert f'hx-get="{badge}"' in home.content.decode()
    client.get(team_channel(cast))
    assert "(1 unread)" in client.get(badge).content.decode()
    client.get(client_channel(cast))
    assert " unread)" not in client.get(badge).content.decode()


def test_a_client_handover_is_on_the_next_carers_day_and_visit_until_read(
    client: HttpClient, cast: Cast, visit_later_today: Callable[..., Visit]
) -> None:
    visit = visit_later_today()
    note = handover(cast, "Dafydd fell last night: check his hip.", client=cast.client)
    client.force_login(cast.carer)
    visit_page = reverse(
        "scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id}
    )
    assert "check his hip" in client.get(my_day(cast, visit)).content.decode()
    assert "check his hip" in client.get(visit_page).content.decode()
    read = reverse("messaging:handover-read", kwargs={"handover_id": note.id})
    response = client.post(read, {"next": my_day(cast, visit)})
    assert response.status_code == 302
    assert "check his hip" not in client.get(my_day(cast, visit)).content.decode()
    assert "check his hip" not in client.get(visit_page).content.decode()
    record = client.get(client_channel(cast)).content.decode()
    assert "check his hip" in record


def test_a_handover_is_not_shown_to_its_writer_or_to_a_carer_not_visiting(
    client: HttpClient, cast: Cast, visit_later_today: Callable[..., Visit]
) -> None:
    visit = visit_later_today(member=cast.carer_membership)
    handover(cast, "About Mary only.", client=cast.other_client_same_team)
    handover(cast, "Mine.", client=cast.client, author=cast.carer)
    client.force_login(cast.carer)
    text = client.get(my_day(cast, visit)).content.decode()
    assert "About Mary only." not in text
    assert "Mine." not in text


def test_a_shift_handover_is_on_every_other_members_day(
    client: HttpClient, cast: Cast, visit_later_today: Callable[..., Visit]
) -> None:
    visit = visit_later_today()
    handover(cast, "The team car is at the garage.")
    client.force_login(cast.carer)
    assert "team car is at the garage" in client.get(my_day(cast, visit)).content.decode()


def test_a_corrected_handover_shows_the_correction_only(
    client: HttpClient, cast: Cast, visit_later_today: Callable[..., Visit]
) -> None:
    visit = visit_later_today()
    first = handover(cast, "Insulin at 8.", client=cast.client)
    client.force_login(cast.nurse)
    response = client.post(
        reverse("messaging:client-handover-new", kwargs={"client_id": cast.client.id}),
        {"body": "Insulin at 9, not 8.", "handover_id": uuid.uuid4(), "amends": first.id},
    )
    assert response.status_code == 302
    client.force_login(cast.carer)
    text = client.get(my_day(cast, visit)).content.decode()
    assert "Insulin at 9, not 8." in text
    assert "Insulin at 8." not in text


def test_marking_another_teams_handover_read_is_404(client: HttpClient, cast: Cast) -> None:
    note = handover(cast)
    client.force_login(cast.other_nurse)
    read = reverse("messaging:handover-read", kwargs={"handover_id": note.id})
    assert client.post(read).status_code == 404


def _many(cast: Cast, n: int) -> None:
    for i in range(n):
        team_message(cast, f"Team {i}")
        client_message(cast, f"Client {i}", shared=bool(i % 2))
        handover(cast, f"Handover {i}", client=cast.client if i % 2 else None)


@pytest.mark.parametrize("size", [2, 30])
def test_the_pages_use_a_fixed_number_of_queries_whatever_the_number_of_messages(
    client: HttpClient,
    cast: Cast,
    size: int,
    visit_later_today: Callable[..., Visit],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    _many(cast, size)
    visit = visit_later_today()
    client.force_login(cast.carer)
    budgets = {
        reverse("messaging:channels", kwargs={"team_id": cast.team.id}): 12,
        # Opening a channel also marks it read (a write, and its entry in the feed).
        team_channel(cast): 17,
        client_channel(cast): 19,
        reverse("messaging:unread", kwargs={"team_id": cast.team.id}): 8,
        reverse("messaging:my-handovers", kwargs={"team_id": cast.team.id}): 8,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    client.force_login(cast.family)
    with django_assert_max_num_queries(8):
        family = reverse("messaging:family-items", kwargs={"client_id": cast.client.id})
        assert client.get(family).status_code == 200
    assert visit.pk


def test_the_coach_reaches_the_team_channel_from_the_teams_page(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.coach)
    page = client.get(reverse("team-home", args=[cast.team.id])).content.decode()
    assert f'href="{team_channel(cast)}"' in page


def test_a_refused_message_with_htmx_comes_back_as_the_form_with_its_error(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    response = client.post(
        client_channel(cast),
        {"body": "", "message_id": uuid.uuid4()},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert text.lstrip().startswith('<form id="message-form"')
    assert "Write something before sending it." in text
    assert not ClientMessage.objects.exists()
