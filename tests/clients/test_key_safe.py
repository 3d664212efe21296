"""The key-safe code (issue 26): apart from the free-text access notes, shown only to the team's
nurses and to the carers on a visit to the client that day; never in the change feed, never to a
carer of the team on another day, the family, a coach, or another team (404). Every showing is
in the read log."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from careteams.access_log import KEY_SAFE_READ
from careteams.errors import NotAllowed
from careteams.models import AccessEvent, Change, Membership, Role, User
from clients.models import Client
from clients.services import clients as client_services
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast
from tests.mobile_api.conftest import Api
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db

CODE = "C4921X"


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "07:48"))


@pytest.fixture
def client_with_code(cast: Cast) -> Client:
    Client.objects.filter(pk=cast.client.pk).update(key_safe_code=CODE)
    cast.client.refresh_from_db()
    return cast.client


def visit_on(cast: Cast, day: int, member: Membership | None = None) -> Visit:
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(day, "08:00"),
        planned_end=on(day, "08:30"),
        tasks=["Breakfast"],
    )
    VisitAssignment.objects.create(visit=visit, member=member or cast.carer_membership)
    return visit


def page(user: User, url: str) -> tuple[int, str]:
    browser = HttpClient()
    browser.force_login(user)
    response = browser.get(url)
    return response.status_code, response.content.decode()


def card_url(cast: Cast, visit: Visit) -> str:
    return reverse("scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id})


def record_url(client: Client) -> str:
    return reverse("clients:client-detail", kwargs={"client_id": client.id})


def api(user: User) -> Api:
    return Api(tokens.token_issue(user=user, name="Test tablet").token)


def key_safe_reads(user: User) -> int:
    return AccessEvent.objects.filter(user=user, what=KEY_SAFE_READ).count()


def test_the_carer_on_a_visit_today_sees_the_code_on_the_card_and_the_read_is_logged(
    cast: Cast, client_with_code: Client
) -> None:
    visit = visit_on(cast, 0)
    status, text = page(cast.carer, card_url(cast, visit))
    assert status == 200
    assert CODE in text
    assert key_safe_reads(cast.carer) == 1


def test_the_carer_on_a_visit_today_gets_the_code_through_the_api(
    cast: Cast, client_with_code: Client
) -> None:
    visit = visit_on(cast, 0)
    carer = api(cast.carer)
    card = carer.get(f"/teams/{cast.team.id}/visits/{visit.id}/card").json()
    assert card["client"]["key_safe_code"] == CODE
    day = carer.get(f"/teams/{cast.team.id}/my-day/visits").json()
    assert [c["client"]["key_safe_code"] for c in day["visits"]] == [CODE]
    assert key_safe_reads(cast.carer) == 2


def test_the_same_carer_does_not_see_the_code_of_tomorrows_visit_on_its_card(
    cast: Cast, client_with_code: Client
) -> None:
    visit = visit_on(cast, 1)
    status, text = page(cast.carer, card_url(cast, visit))
    assert status == 200
    assert CODE not in text
    assert key_safe_reads(cast.carer) == 0


def test_a_carer_of_the_team_not_on_a_visit_there_today_never_sees_the_code(
    cast: Cast, client_with_code: Client
) -> None:
    colleague = User.objects.create_user("colleague@example.test", "x", first_name="Bryn")
    Membership.objects.create(user=colleague, team=cast.team, role=Role.CARE_WORKER)
    visit = visit_on(cast, 0)  # the other carer's visit
    visit_on(cast, 1, Membership.objects.get(user=colleague))  # theirs is tomorrow
    for url in (card_url(cast, visit), record_url(cast.client)):
        status, text = page(colleague, url)
        assert status == 200
        assert CODE not in text
    edit = reverse("clients:client-edit", kwargs={"client_id": cast.client.id})
    assert CODE not in page(colleague, edit)[1]
    assert 'name="key_safe_code"' not in page(colleague, edit)[1]
    card = api(colleague).get(f"/teams/{cast.team.id}/visits/{visit.id}/card").json()
    assert card["client"]["key_safe_code"] == ""
    record = api(colleague).get(f"/clients/{cast.client.id}").json()
    assert record["client"]["key_safe_code"] == ""
    assert key_safe_reads(colleague) == 0


def test_the_teams_nurse_sees_the_code_on_the_record_and_its_form(
    cast: Cast, client_with_code: Client
) -> None:
    status, text = page(cast.nurse, record_url(cast.client))
    assert status == 200
    assert CODE in text
    edit = reverse("clients:client-edit", kwargs={"client_id": cast.client.id})
    assert f'value="{CODE}"' in page(cast.nurse, edit)[1]
    assert api(cast.nurse).get(f"/clients/{cast.client.id}").json()["client"]["key_safe_code"] == (
        CODE
    )
    assert key_safe_reads(cast.nurse) == 3


@pytest.mark.parametrize("who", ["family", "client_user", "coach"])
def test_family_the_client_and_the_coach_never_see_the_code(
    cast: Cast, client_with_code: Client, who: str
) -> None:
    visit = visit_on(cast, 0)
    user: User = getattr(cast, who)
    urls = [
        card_url(cast, visit),
        record_url(cast.client),
        reverse("clients:family-client", kwargs={"client_id": cast.client.id}),
        reverse("home"),
    ]
    for url in urls:
        status, text = page(user, url)
        assert CODE not in text
        if url in urls[:2]:
            assert status == 404
    for path in (f"/clients/{cast.client.id}", f"/teams/{cast.team.id}/visits/{visit.id}/card"):
        response = api(user).get(path)
        assert CODE not in response.content.decode()
    assert key_safe_reads(user) == 0


def test_another_team_gets_404_for_the_client_and_never_the_code(
    cast: Cast, client_with_code: Client
) -> None:
    visit = visit_on(cast, 0)
    for user in (cast.other_nurse, cast.other_carer):
        for url in (card_url(cast, visit), record_url(cast.client)):
            status, text = page(user, url)
            assert status == 404
            assert CODE not in text
        assert api(user).get(f"/clients/{cast.client.id}").status_code == 404


def test_the_code_never_goes_into_the_change_feed(cast: Cast) -> None:
    client_services.client_update(
        client=cast.client,
        version=cast.client.version,
        details=client_services.ClientDetails(
            given_name="Dafydd", family_name="Llŷr", access_notes="Round the back."
        ),
        actor=cast.nurse,
        key_safe_code=CODE,
    )
    cast.client.refresh_from_db()
    assert cast.client.key_safe_code == CODE
    assert cast.client.access_notes == "Round the back."
    change = Change.objects.filter(entity="client", entity_id=cast.client.id).latest("seq")
    assert "key_safe_code" not in change.data
    assert CODE not in str(Change.objects.values_list("data", flat=True))


def test_a_carer_who_may_not_read_the_code_may_not_change_it_but_other_edits_keep_it(
    cast: Cast, client_with_code: Client
) -> None:
    details = client_services.ClientDetails(given_name="Dafydd", family_name="Llŷr")
    with pytest.raises(NotAllowed):
        client_services.client_update(
            client=cast.client,
            version=cast.client.version,
            details=details,
            actor=cast.carer,
            key_safe_code="0000",
        )
    client_services.client_update(
        client=cast.client, version=cast.client.version, details=details, actor=cast.carer
    )
    cast.client.refresh_from_db()
    assert cast.client.key_safe_code == CODE


def test_the_nurse_changes_the_code_through_the_client_form(
    cast: Cast, client_with_code: Client
) -> None:
    browser = HttpClient()
    browser.force_login(cast.nurse)
    edit = reverse("clients:client-edit", kwargs={"client_id": cast.client.id})
    response = browser.post(
        edit,
        {
            "given_name": "Dafydd",
            "family_name": "Llŷr",
            "status": "active",
            "access_notes": "Side gate.",
            "key_safe_code": " 7788 ",
            "version": cast.client.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.client.refresh_from_db()
    assert (cast.client.key_safe_code, cast.client.access_notes) == ("7788", "Side gate.")
    assert cast.client.version == 2
