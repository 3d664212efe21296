"""The tablet's bundle (tablet/bundle.py): every kept page of the carer's day in one answer, made
by the pages' own views, named by the team's feed position; a 304 without any page made."""

import uuid
from collections import Counter
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careteams.incarnation import incarnation_renew
from careteams.models import AccessEvent, Team
from clients.models import Note
from clients.services import notes as note_services
from tests.conftest import Cast
from tests.scheduling.conftest import on
from tests.tablet.test_tablet_app import a_problem, a_visit, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "07:12"))
    cache.clear()


def bundle_url(cast: Cast) -> str:
    return f"/tablet/teams/{cast.team.id}/bundle.json"


def pages_of(response: Any) -> dict[str, dict[str, Any]]:
    return {page["url"]: page for page in response.json()["pages"]}


def reads() -> Counter[tuple[Any, ...]]:
    return Counter(
        AccessEvent.objects.values_list("user_id", "client_id", "team_id", "what", "door")
    )


def test_a_carer_gets_every_kept_page_of_their_day_in_one_answer(cast: Cast) -> None:
    visit = a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    a_visit(cast, cast.client, 1, "09:00", cast.carer_membership)
    problem = a_problem(cast, cast.client)
    response = signed_in(cast.carer).get(bundle_url(cast))
    assert response.status_code == 200
    pages = pages_of(response)
    card = f"/teams/{cast.team.id}/visits/{visit.id}/card/"
    assert {
        f"/teams/{cast.team.id}/today/",
        card,
        f"/teams/{cast.team.id}/visits/{visit.id}/check-out/",
        f"/clients/{cast.client.id}/notes/new/?visit={visit.id}",
        f"/clients/{cast.client.id}/",
        f"/clients/{cast.client.id}/problems/{problem.id}/",
    } <= set(pages)
    assert len(pages) == 3 + 2 * 3 + 1 + 1  # My day thrice, 3 pages a visit, record, problem
    assert all(page["status"] == 200 for page in pages.values())
    assert cast.client.given_name in pages[card]["body"]
    assert pages[card]["headers"]["Content-Type"].startswith("text/html")
    assert response.json()["visits"][0]["id"] == str(visit.id)
    assert str(cast.other_client_same_team.id) not in response.content.decode()


def test_each_kept_page_carries_the_policy_of_its_own_nonce(cast: Cast) -> None:
    visit = a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    pages = pages_of(signed_in(cast.carer).get(bundle_url(cast)))
    nonces = set()
    for url in (f"/teams/{cast.team.id}/today/", f"/teams/{cast.team.id}/visits/{visit.id}/card/"):
        page = pages[url]
        nonce = page["body"].split('tablet/offline.js" nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in page["headers"]["Content-Security-Policy"]
        nonces.add(nonce)
    assert len(nonces) == 2


def test_a_kept_form_posts_with_the_token_it_was_kept_with(cast: Cast) -> None:
    visit = a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    carer = signed_in(cast.carer, csrf=True)
    carer.get(f"/teams/{cast.team.id}/today/")  # the page that starts keeping: its cookie
    note = f"/clients/{cast.client.id}/notes/new/?visit={visit.id}"
    body = pages_of(carer.get(bundle_url(cast)))[note]["body"]
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    posted = carer.post(
        f"/clients/{cast.client.id}/notes/new/",
        {
            "csrfmiddlewaretoken": token,
            "body": "Slept well.",
            "visit": str(visit.id),
            "note_id": str(uuid.uuid4()),
        },
    )
    assert posted.status_code in (200, 302)
    assert Note.objects.filter(client=cast.client, body="Slept well.").exists()


def test_another_team_s_user_a_coach_and_family_get_a_404_and_a_stranger_a_401(
    cast: Cast,
) -> None:
    for user in (cast.other_nurse, cast.coach, cast.family, cast.client_user):
        assert signed_in(user).get(bundle_url(cast)).status_code == 404
    assert HttpClient().get(bundle_url(cast)).status_code == 401


def test_the_same_etag_again_is_a_304_with_no_page_made(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for hour in range(9, 15):
        a_visit(cast, cast.client, hour % 2, f"{hour:02d}:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    first = carer.get(bundle_url(cast))
    logged = AccessEvent.objects.count()
    with django_assert_max_num_queries(5):
        again = carer.get(bundle_url(cast), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert AccessEvent.objects.count() == logged  # nothing sent again, nothing read


def test_a_change_of_the_team_s_feed_names_another_bundle(cast: Cast) -> None:
    visit = a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    first = carer.get(bundle_url(cast))
    head = Team.objects.get(id=cast.team.id).last_change_seq
    note_services.note_write(
        client=cast.client,
        author=cast.nurse,
        body="Fell in the garden.",
        note_id=uuid.uuid4(),
        visit=visit,
    )
    assert Team.objects.get(id=cast.team.id).last_change_seq > head
    again = carer.get(bundle_url(cast), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    card = pages_of(again)[f"/teams/{cast.team.id}/visits/{visit.id}/card/"]
    assert "Fell in the garden." in card["body"]


def test_a_new_incarnation_of_the_feed_names_another_bundle(cast: Cast) -> None:
    a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    first = carer.get(bundle_url(cast))["ETag"]
    incarnation_renew()  # a restore of the database: the same head may hold other records
    again = carer.get(bundle_url(cast), headers={"If-None-Match": first})
    assert again.status_code == 200
    assert again["ETag"] != first


def test_the_clock_moving_past_its_quarter_of_an_hour_names_another_bundle(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_visit(cast, cast.client, 0, "07:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    first = carer.get(bundle_url(cast))["ETag"]
    monkeypatch.setattr(timezone, "now", lambda: on(0, "07:14"))
    assert carer.get(bundle_url(cast))["ETag"] == first  # the same quarter of an hour
    monkeypatch.setattr(timezone, "now", lambda: on(0, "07:15"))
    assert carer.get(bundle_url(cast))["ETag"] != first


def test_the_bundle_logs_a_read_of_each_client_its_pages_show_in_one_insert(cast: Cast) -> None:
    a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    a_visit(cast, cast.client, 1, "10:00", cast.carer_membership)
    a_visit(cast, cast.other_client_same_team, 0, "11:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    before = reads()
    with CaptureQueriesContext(connection) as queries:
        assert carer.get(bundle_url(cast)).status_code == 200
    logged = reads() - before
    # One row per client whose pages the bundle carries (as a request's reads are logged),
    # however many of their pages it holds.
    assert sorted(client for _, client, *_ in logged.elements()) == sorted(
        [cast.client.id, cast.other_client_same_team.id]
    )
    assert all(user == cast.carer.pk and door == "page" for user, _, _, _, door in logged)
    table = AccessEvent._meta.db_table
    inserts = [q for q in queries if q["sql"].replace('"', "").startswith(f"INSERT INTO {table}")]
    assert len(inserts) == 1


def test_the_bundle_from_the_cache_is_the_same_and_logs_its_reads_again(cast: Cast) -> None:
    a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    first = carer.get(bundle_url(cast))
    logged = reads()
    with CaptureQueriesContext(connection) as made_again:
        again = carer.get(bundle_url(cast))  # a tablet that lost its copies: no If-None-Match
    assert again.content == first.content
    clients_again = [client for _, client, *_ in (reads() - logged).elements()]
    assert clients_again == [cast.client.id]
    assert len(made_again) < 10  # no page was made for it


def test_a_kept_copy_carries_no_message_and_leaves_it_for_the_carer_s_next_page(
    cast: Cast,
) -> None:
    a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    record = f"/clients/{cast.client.id}/"
    saved = carer.post(f"{record}notes/new/", {"body": "Ate well.", "note_id": str(uuid.uuid4())})
    assert saved.status_code == 302

    kept = pages_of(carer.get(bundle_url(cast)))[record]["body"]
    shown = carer.get(record)

    assert "Ate well." in kept
    assert "Note saved." not in kept
    assert "Note saved." in shown.content.decode()
