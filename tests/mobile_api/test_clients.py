"""Clients, records, care plans and notes over the API, and the family's view."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams.models import AccessEvent, Door, User
from clients.models import CareProblem, Note
from scheduling.models import Visit
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def note_body(**fields: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "body": "Ate well, walked to the gate.", **fields}


def test_a_member_lists_the_teams_clients_and_searches_them(cast: Cast, nurse: Api) -> None:
    listed = nurse.get(f"/teams/{cast.team.id}/clients").json()
    assert [c["family_name"] for c in listed] == ["Llŷr", "O'Neill"]
    assert "access_notes" not in listed[0]
    found = nurse.get(f"/teams/{cast.team.id}/clients", q="943 476 5919").json()
    assert [c["id"] for c in found] == [str(cast.client.id)]


def test_a_client_record_has_details_plan_and_notes_and_the_read_is_logged(
    cast: Cast, nurse: Api, problem: CareProblem, make_note: Callable[..., Note]
) -> None:
    make_note("Slept well.")
    response = nurse.get(f"/clients/{cast.client.id}")
    assert response.status_code == 200
    record = response.json()
    assert record["client"]["access_notes"] == "Key safe 1234"
    assert record["care_plan"]["problems"][0]["problem_code"] == "24"
    assert len(record["care_plan"]["problems"][0]["ratings"]) == 2
    assert record["notes"]["items"][0]["body"] == "Slept well."
    event = AccessEvent.objects.get()
    assert (event.user, event.client_id, event.door) == (cast.nurse, cast.client.id, Door.API)


def test_another_teams_client_family_and_coach_get_404_on_the_record(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    is_problem(api_as(cast.nurse).get(f"/clients/{cast.other_team_client.id}"), 404)
    for user in (cast.family, cast.coach, cast.client_user, cast.other_nurse):
        api = api_as(user)
        is_problem(api.get(f"/clients/{cast.client.id}"), 404)
        is_problem(api.get(f"/clients/{cast.client.id}/notes"), 404)
        is_problem(api.get(f"/clients/{cast.client.id}/care-plan"), 404)
        is_problem(api.post(f"/clients/{cast.client.id}/notes", note_body()), 404)
        is_problem(api.get(f"/teams/{cast.team.id}/clients"), 404)
    assert not Note.objects.exists()


def test_notes_come_newest_first_a_page_at_a_time_without_gaps_or_repeats(
    cast: Cast, nurse: Api, make_note: Callable[..., Note]
) -> None:
    now = timezone.now()
    made = [
        make_note(f"Note {n}", recorded_at=now - dt.timedelta(minutes=n % 7)) for n in range(45)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 10, **({"cursor": cursor} if cursor else {})}
        page = nurse.get(f"/clients/{cast.client.id}/notes", **params).json()
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(str(n.id) for n in made)
    assert len(seen) == len(set(seen))
    times = [Note.objects.get(pk=i).recorded_at for i in seen]
    assert times == sorted(times, reverse=True)


def test_a_made_up_cursor_names_the_field(cast: Cast, nurse: Api) -> None:
    body = is_problem(nurse.get(f"/clients/{cast.client.id}/notes", cursor="bogus"), 422)
    assert body["errors"][0]["field"] == "cursor"


def test_a_note_is_written_once_even_when_the_request_is_repeated(
    cast: Cast, nurse: Api, problem: CareProblem
) -> None:
    body = note_body(shareable=True, problem_ids=[str(problem.id)])
    first = nurse.post(f"/clients/{cast.client.id}/notes", body)
    again = nurse.post(f"/clients/{cast.client.id}/notes", body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["problem_ids"] == [str(problem.id)]
    assert Note.objects.count() == 1


def test_a_note_naming_another_clients_problem_or_visit_is_refused(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    theirs = make_visit(client=cast.other_client_same_team)
    body = is_problem(
        nurse.post(f"/clients/{cast.client.id}/notes", note_body(visit_id=str(theirs.id))), 422
    )
    assert body["errors"][0]["field"] == "visit_id"
    body = is_problem(
        nurse.post(f"/clients/{cast.client.id}/notes", note_body(problem_ids=[str(uuid.uuid4())])),
        422,
    )
    assert body["errors"][0]["field"] == "problem_ids"
    blank = is_problem(nurse.post(f"/clients/{cast.client.id}/notes", note_body(body="")), 422)
    assert blank["errors"][0]["field"] == "body"


def test_a_note_is_corrected_by_an_amendment_and_both_stay_readable(
    cast: Cast, nurse: Api, make_note: Callable[..., Note]
) -> None:
    wrong = make_note("Gave 10 units.")
    amended = nurse.post(
        f"/clients/{cast.client.id}/notes/{wrong.id}/amendments", note_body(body="Gave 8 units.")
    )
    assert amended.status_code == 201
    assert amended.json()["amends_id"] == str(wrong.id)
    items = nurse.get(f"/clients/{cast.client.id}/notes").json()["items"]
    assert {n["body"]: n["amended"] for n in items} == {
        "Gave 10 units.": True,
        "Gave 8 units.": False,
    }


def test_another_clients_note_cannot_be_amended_here(
    cast: Cast, nurse: Api, make_note: Callable[..., Note]
) -> None:
    theirs = make_note("Theirs.", client=cast.other_client_same_team)
    is_problem(
        nurse.post(f"/clients/{cast.client.id}/notes/{theirs.id}/amendments", note_body()), 404
    )


def test_the_care_plan_grows_through_the_services_and_a_stale_resolve_is_409(
    cast: Cast, nurse: Api, problem: CareProblem
) -> None:
    today = timezone.localdate()
    added = nurse.post(
        f"/clients/{cast.client.id}/problems",
        {"problem_code": "28", "severity": "potential", "identified_on": str(today)},
    )
    assert added.status_code == 201, added.content
    assert added.json()["name"]
    base = f"/clients/{cast.client.id}/problems/{problem.id}"
    helped = nurse.post(
        f"{base}/interventions",
        {"category": "teaching", "target": "17", "care_description": "Show the dressing"},
    )
    assert len(helped.json()["interventions"]) == 2
    rated = nurse.post(
        f"{base}/ratings", {"knowledge": 4, "behaviour": 4, "status": 4, "rated_on": str(today)}
    )
    assert len(rated.json()["ratings"]) == 3
    is_problem(
        nurse.post(
            f"{base}/ratings", {"knowledge": 6, "behaviour": 4, "status": 4, "rated_on": str(today)}
        ),
        422,
    )
    is_problem(nurse.post(f"{base}/resolve", {"resolved_on": str(today), "version": 7}), 409)
    resolved = nurse.post(f"{base}/resolve", {"resolved_on": str(today), "version": 1})
    assert resolved.json()["status"] == "resolved"
    duplicate = is_problem(
        nurse.post(
            f"/clients/{cast.client.id}/problems",
            {"problem_code": "28", "severity": "potential", "identified_on": str(today)},
        ),
        422,
    )
    assert duplicate["errors"][0]["field"] == "problem_code"


def test_family_see_their_clients_plain_view_and_nothing_else(
    cast: Cast,
    api_as: Callable[[User], Api],
    problem: CareProblem,
    make_note: Callable[..., Note],
    upcoming_visit: Visit,
) -> None:
    make_note("Shared with family.", shareable=True)
    make_note("Team only.")
    family = api_as(cast.family)
    listed = family.get("/family/clients").json()
    assert [c["id"] for c in listed] == [str(cast.client.id)]
    view = family.get(f"/family/clients/{cast.client.id}").json()
    assert [n["body"] for n in view["notes"]] == ["Shared with family."]
    assert view["problems"][0]["name"] == "Skin and wounds"
    assert len(view["visits"]) == 1
    assert "Key safe" not in str(view)
    assert "24" not in [p.get("problem_code") for p in view["problems"]]
    # Two reads of the client: the list that names them, and their view.
    reads = AccessEvent.objects.order_by("id")
    assert [(e.client_id, e.what, e.door) for e in reads] == [
        (cast.client.id, "family clients", Door.API),
        (cast.client.id, "family view", Door.API),
    ]


def test_the_client_sees_their_own_family_view(cast: Cast, api_as: Callable[[User], Api]) -> None:
    view = api_as(cast.client_user).get(f"/family/clients/{cast.client.id}")
    assert view.status_code == 200


def test_someone_without_access_gets_404_on_the_family_view(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    for user in (cast.family_without_access, cast.nurse, cast.coach):
        is_problem(api_as(user).get(f"/family/clients/{cast.client.id}"), 404)
        assert api_as(user).get("/family/clients").json() == []
    is_problem(api_as(cast.family).get(f"/family/clients/{cast.other_client_same_team.id}"), 404)
