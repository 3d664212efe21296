"""The installable tablet app: manifest, service worker at the root, what a tablet keeps (the
carer's own visits only), and the sync endpoints on the page session with its CSRF token."""

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careteams import services as team_services
from careteams.models import Membership
from clients.models import CareProblem, Client, OutcomeRating
from clients.services import care_plan
from scheduling.models import Visit, VisitAssignment
from tablet.selectors import keep_for
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "07:12"))


def a_visit(cast: Cast, client: Client, day: int, start: str, member: Membership) -> Visit:
    visit = Visit.objects.create(
        team=client.team,
        client=client,
        planned_start=on(day, start),
        planned_end=on(day, start) + dt.timedelta(minutes=30),
        tasks=["Bins out"],
    )
    VisitAssignment.objects.create(visit=visit, member=member)
    return visit


def signed_in(user: object, *, csrf: bool = False) -> HttpClient:
    client = HttpClient(enforce_csrf_checks=csrf)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_manifest_is_served_as_a_web_app_manifest_opening_on_my_day(cast: Cast) -> None:
    response = signed_in(cast.carer).get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["display"] == "standalone"
    assert body["start_url"] == f"/teams/{cast.team.id}/today/"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}


def test_every_page_links_the_manifest_and_loads_the_tablet_script_with_its_nonce(
    cast: Cast,
) -> None:
    page = signed_in(cast.carer).get(f"/teams/{cast.team.id}/today/")
    html = page.content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    nonce = html.split('tablet/offline.js" nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    assert "worker-src 'self'" in page["Content-Security-Policy"]
    assert "manifest-src 'self'" in page["Content-Security-Policy"]


def test_the_service_worker_is_served_from_the_root_uncached_with_local_workbox(
    cast: Cast,
) -> None:
    response = HttpClient().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert 'importScripts("\\/static\\/tablet\\/vendor\\/workbox\\/workbox-sw.js")' in body
    assert "/tablet/offline/" in body.replace("\\/", "/")
    assert "https://" not in body  # no CDN: the CSP stays 'self'


def test_the_offline_page_carries_nobody_s_data(cast: Cast) -> None:
    response = signed_in(cast.carer).get("/tablet/offline/")
    assert response.status_code == 200
    assert cast.carer.first_name not in response.content.decode()


def test_a_tablet_keeps_the_carer_s_own_visits_of_today_and_tomorrow_only(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    today = a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    tomorrow = a_visit(cast, cast.client, 1, "09:00", cast.carer_membership)
    a_visit(cast, cast.client, 2, "09:00", cast.carer_membership)  # the day after: not kept
    colleague = a_visit(cast, cast.other_client_same_team, 0, "10:00", cast.nurse_membership)
    response = signed_in(cast.carer).get(f"/tablet/teams/{cast.team.id}/bundle.json")
    assert response.status_code == 200
    body = response.json()
    assert [v["id"] for v in body["visits"]] == [str(today.id), str(tomorrow.id)]
    assert body["days"] == [on(0, "07:12").date().isoformat(), on(1, "07:12").date().isoformat()]
    urls = " ".join(page["url"] for page in body["pages"])
    assert str(cast.other_client_same_team.id) not in urls
    assert str(colleague.id) not in urls
    assert f"/clients/{cast.client.id}/" in urls
    assert body["visits"][0]["tasks"][0]["label"] == "Bins out"


def test_what_a_tablet_keeps_costs_the_same_queries_for_more_visits(cast: Cast) -> None:
    a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    a_visit(cast, cast.client, 1, "09:00", cast.carer_membership)
    with CaptureQueriesContext(connection) as two:
        keep_for(user=cast.carer, team_id=cast.team.id)
    for hour in range(10, 16):
        a_visit(cast, cast.other_client_same_team, hour % 2, f"{hour}:00", cast.carer_membership)
    with CaptureQueriesContext(connection) as eight:
        assert len(keep_for(user=cast.carer, team_id=cast.team.id).visits) == 8
    assert len(eight) == len(two)


def test_another_team_s_user_and_a_stranger_get_nothing_to_keep(cast: Cast) -> None:
    url = f"/tablet/teams/{cast.team.id}/bundle.json"
    assert signed_in(cast.other_nurse).get(url).status_code == 404
    assert HttpClient().get(url).status_code == 401


def test_the_sync_push_accepts_the_page_session_with_its_csrf_token(cast: Cast) -> None:
    visit = a_visit(cast, cast.client, 0, "07:00", cast.carer_membership)
    carer = signed_in(cast.carer, csrf=True)
    token = carer.get(f"/teams/{cast.team.id}/today/").cookies["csrftoken"].value
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "kind": "visit.check_in",
        "recorded_at": on(0, "07:05").isoformat(),
        "base_version": visit.version,
        "data": {"visit_id": str(visit.id)},
    }
    response = carer.post(
        f"/api/v1/sync/{cast.team.id}/mutations",
        {"mutations": [mutation]},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["status"] == "applied"
    again = carer.post(
        f"/api/v1/sync/{cast.team.id}/mutations",
        {"mutations": [mutation]},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert again.json()["results"][0]["repeated"] is True
    visit.refresh_from_db()
    assert visit.version == 2  # applied once


def test_the_page_session_without_its_csrf_token_is_refused(cast: Cast) -> None:
    visit = a_visit(cast, cast.client, 0, "07:00", cast.carer_membership)
    carer = signed_in(cast.carer, csrf=True)
    response = carer.post(
        f"/api/v1/sync/{cast.team.id}/mutations",
        {
            "mutations": [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "kind": "visit.check_in",
                    "recorded_at": on(0, "07:05").isoformat(),
                    "base_version": visit.version,
                    "data": {"visit_id": str(visit.id)},
                }
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.version == 1


def test_the_pull_accepts_the_page_session_and_another_team_s_feed_is_not_there(
    cast: Cast,
) -> None:
    mine = signed_in(cast.carer).get(f"/api/v1/sync/{cast.team.id}/changes")
    assert mine.status_code == 200
    assert (
        signed_in(cast.other_nurse).get(f"/api/v1/sync/{cast.team.id}/changes").status_code == 404
    )
    other = signed_in(cast.other_nurse, csrf=True)
    token = other.get("/").cookies.get("csrftoken")
    pushed = other.post(
        f"/api/v1/sync/{cast.team.id}/mutations",
        {"mutations": []},
        content_type="application/json",
        headers={"X-CSRFToken": token.value if token else ""},
    )
    assert pushed.status_code in (403, 404)
    assert HttpClient().get(f"/api/v1/sync/{cast.team.id}/changes").status_code == 401


def test_a_leaver_s_tablet_is_told_on_its_next_contact(cast: Cast) -> None:
    a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    carer = signed_in(cast.carer)
    assert carer.get(f"/tablet/teams/{cast.team.id}/bundle.json").status_code == 200
    team_services.membership_end(
        membership=cast.carer_membership, version=cast.carer_membership.version, actor=cast.nurse
    )
    # The page script forgets the day on these answers, and the items the server has answered
    # (tablet/static/tablet/offline-sync.js); the push still takes their notes (late entries).
    assert carer.get(f"/api/v1/sync/{cast.team.id}/changes").status_code == 404
    assert carer.get(f"/tablet/teams/{cast.team.id}/bundle.json").status_code == 404


def a_problem(cast: Cast, client: Client) -> CareProblem:
    return care_plan.problem_add(
        client=client,
        problem_code="22",
        scope="individual",
        severity="actual",
        signs_symptoms=["01"],
        identified_on=on(0, "07:00").date() - dt.timedelta(days=7),
        actor=cast.nurse,
    )


def test_the_problem_pages_of_the_carer_s_clients_are_kept_for_rating_offline(
    cast: Cast,
) -> None:
    a_visit(cast, cast.client, 0, "09:00", cast.carer_membership)
    mine = a_problem(cast, cast.client)
    theirs = a_problem(cast, cast.other_client_same_team)
    body = signed_in(cast.carer).get(f"/tablet/teams/{cast.team.id}/bundle.json").json()
    urls = [page["url"] for page in body["pages"]]
    assert f"/clients/{cast.client.id}/problems/{mine.id}/" in urls
    assert str(theirs.id) not in " ".join(urls)


def test_an_outcome_rating_is_a_sync_mutation_applied_once(cast: Cast) -> None:
    problem = a_problem(cast, cast.client)
    carer = signed_in(cast.carer, csrf=True)
    token = carer.get(f"/teams/{cast.team.id}/today/").cookies["csrftoken"].value
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "kind": "outcome.rate",
        "recorded_at": on(0, "07:05").isoformat(),
        "data": {
            "problem_id": str(problem.id),
            "knowledge": 3,
            "behaviour": 4,
            "status": 2,
            "rated_on": on(0, "07:05").date().isoformat(),
        },
    }
    for _ in range(2):
        response = carer.post(
            f"/api/v1/sync/{cast.team.id}/mutations",
            {"mutations": [mutation]},
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        assert response.json()["results"][0]["status"] == "applied", response.content
    [rating] = OutcomeRating.objects.filter(problem=problem)
    assert (rating.knowledge, rating.behaviour, rating.status) == (3, 4, 2)
    assert rating.rated_by == cast.carer


def test_an_outcome_rating_of_another_team_s_problem_is_not_found(cast: Cast) -> None:
    far = care_plan.problem_add(
        client=cast.other_team_client,
        problem_code="22",
        scope="individual",
        severity="actual",
        signs_symptoms=["01"],
        identified_on=on(0, "07:00").date(),
        actor=cast.other_nurse,
    )
    carer = signed_in(cast.carer, csrf=True)
    token = carer.get(f"/teams/{cast.team.id}/today/").cookies["csrftoken"].value
    response = carer.post(
        f"/api/v1/sync/{cast.team.id}/mutations",
        {
            "mutations": [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "kind": "outcome.rate",
                    "recorded_at": on(0, "07:05").isoformat(),
                    "data": {
                        "problem_id": str(far.id),
                        "knowledge": 3,
                        "behaviour": 3,
                        "status": 3,
                        "rated_on": on(0, "07:05").date().isoformat(),
                    },
                }
            ]
        },
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    [result] = response.json()["results"]
    assert result["status"] == "rejected"
    assert result["problem"]["status"] == 404
    assert not OutcomeRating.objects.filter(problem=far).exists()


def test_staff_who_must_set_up_two_factor_first_cannot_sync_on_their_session(
    cast: Cast, settings: object
) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]
    response = signed_in(cast.carer).get(f"/api/v1/sync/{cast.team.id}/changes")
    assert response.status_code == 401
