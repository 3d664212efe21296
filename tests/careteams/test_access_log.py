"""The record of reads: every read of a client's record, through every door, is written in the
same request, refused attempts included; the team, the client and the family can see it."""

import uuid

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careteams.models import AccessEvent, Door, User
from clients.models import Client
from tests.careteams.test_consumer import connect, messages_until_live
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def events(cast: Cast, **filters: object) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(client_id=cast.client.id, **filters).order_by("id"))


def test_opening_the_record_page_writes_who_read_it_and_through_which_door(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    client.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    [event] = events(cast)
    assert (event.user, event.team, event.door, event.allowed) == (
        cast.nurse,
        cast.team,
        Door.PAGE,
        True,
    )


def test_downloading_the_care_plan_is_a_read_through_the_pdf_door(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    response = client.get(reverse("clients:care-plan-pdf", kwargs={"client_id": cast.client.id}))
    assert response.status_code == 200
    assert [e.door for e in events(cast, user=cast.carer)] == [Door.PDF]


def test_the_family_view_and_its_pdf_are_reads_by_the_family_member(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.family)
    client.get(reverse("clients:family-client", kwargs={"client_id": cast.client.id}))
    client.get(reverse("clients:family-care-plan-pdf", kwargs={"client_id": cast.client.id}))
    assert [e.door for e in events(cast, user=cast.family)] == [Door.PAGE, Door.PDF]


def test_a_carer_of_another_team_is_refused_and_the_attempt_is_recorded(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.other_carer)
    for name in ("client-detail", "care-plan-pdf", "notes"):
        response = client.get(reverse(f"clients:{name}", kwargs={"client_id": cast.client.id}))
        assert response.status_code == 404
    refused = events(cast, user=cast.other_carer)
    assert [(e.allowed, e.door) for e in refused] == [
        (False, Door.PAGE),
        (False, Door.PDF),
        (False, Door.PAGE),
    ]


def test_asking_for_a_client_that_does_not_exist_records_nothing(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.other_carer)
    missing = uuid.uuid4()
    response = client.get(reverse("clients:client-detail", kwargs={"client_id": missing}))
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(client_id=missing).exists()


def test_a_missing_problem_of_a_readable_record_is_not_a_refused_read(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    url = reverse(
        "clients:problem-detail", kwargs={"client_id": cast.client.id, "problem_id": uuid.uuid4()}
    )
    assert client.get(url).status_code == 404
    assert not events(cast, allowed=False)


def test_the_team_sees_who_read_the_record_refusals_included(
    client: HttpClient, cast: Cast
) -> None:
    other = HttpClient()
    other.force_login(cast.other_carer)
    other.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    client.force_login(cast.carer)
    client.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    client.force_login(cast.nurse)
    page = client.get(
        reverse("clients:client-detail", kwargs={"client_id": cast.client.id})
    ).content.decode()
    assert "Who has read this record" in page
    assert "Aoife Ní Bhriain" in page  # the carer's read
    assert cast.other_carer.get_full_name() in page
    assert "Refused" in page


def test_the_family_sees_in_plain_words_who_looked_but_not_refusals(
    client: HttpClient, cast: Cast
) -> None:
    other = HttpClient()
    other.force_login(cast.other_carer)
    other.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    nurse = HttpClient()
    nurse.force_login(cast.nurse)
    nurse.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    client.force_login(cast.family)
    page = client.get(
        reverse("clients:family-client", kwargs={"client_id": cast.client.id})
    ).content.decode()
    assert "Who has looked at this record" in page
    assert "Siân (the care team) looked at the record" in page
    assert cast.other_carer.first_name not in page


def test_the_client_sees_their_own_reads_as_you(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.client_user)
    page = client.get(
        reverse("clients:family-client", kwargs={"client_id": cast.client.id})
    ).content.decode()
    assert "you looked at the family view" in page


@pytest.mark.django_db(transaction=True)
async def test_a_family_socket_subscription_is_a_read_through_the_live_door(cast: Cast) -> None:
    socket = await connect(cast.team, cast.family)
    await messages_until_live(socket)
    await socket.disconnect()
    logged = await database_sync_to_async(events)(cast, user=cast.family)
    assert [(e.door, e.what) for e in logged] == [(Door.SOCKET, "live updates")]


def test_opening_a_client_in_the_admin_is_a_read_through_the_admin_door(
    client: HttpClient, cast: Cast
) -> None:
    admin_user = User.objects.create_superuser("root@example.test", "a-long-admin-password")
    client.force_login(admin_user)
    url = reverse("admin:clients_client_change", args=[cast.client.id])
    assert client.get(url).status_code == 200
    [event] = events(cast, user=admin_user)
    assert (event.door, event.what) == (Door.ADMIN, "client")


def test_a_list_writes_one_row_per_client_shown_in_one_statement_however_long(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    url = reverse("clients:client-list", kwargs={"team_id": cast.team.id})

    def open_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        writes = [
            q["sql"] for q in queries if "INSERT INTO" in q["sql"] and "accessevent" in q["sql"]
        ]
        assert len(writes) == 1
        return len(queries)

    short = open_the_list()
    for n in range(30):
        Client.objects.create(team=cast.team, given_name=f"Client {n}", family_name="Jones")
    assert open_the_list() == short
    rows = AccessEvent.objects.filter(user=cast.nurse, door=Door.PAGE, what="client list")
    assert rows.count() == 2 + 32
    assert set(rows.values_list("team_id", flat=True)) == {cast.team.id}


def test_an_answer_that_shows_nothing_writes_no_read(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    # The current week redirects to its Monday: nothing shown yet.
    response = client.get(reverse("scheduling:week-current", kwargs={"team_id": cast.team.id}))
    assert response.status_code == 302
    assert not AccessEvent.objects.exists()


def test_a_client_loaded_many_times_in_one_answer_is_one_read(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    client.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    assert [(e.what, e.door) for e in events(cast)] == [("record", Door.PAGE)]
