"""The visit through the API: my day as cards with the doorstep data, tasks and outcomes, the
guarded check-in (a problem with code confirmation_required), withdrawal, check-out, missed
visits, the same through sync push, and another team's user getting 404 everywhere."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams.models import User
from clients.models import EmergencyContact
from clients.services import doorstep
from scheduling.models import Visit, VisitAssignment
from scheduling.visit_models import VisitAttendance, VisitTaskOutcome
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


@pytest.fixture
def carer(cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:05"))
    return api_as(cast.carer)


def a_visit(cast: Cast, start: str = "09:00", **fields: Any) -> Visit:
    visit = Visit.objects.create(
        team=cast.team,
        client=fields.pop("client", cast.client),
        planned_start=on(0, start),
        planned_end=on(0, start) + dt.timedelta(minutes=30),
        tasks=["Bins out"],
        **fields,
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit


def base(cast: Cast, visit: Visit) -> str:
    return f"/teams/{cast.team.id}/visits/{visit.id}"


def test_my_day_carries_the_doorstep_data_tasks_and_timing(cast: Cast, carer: Api) -> None:
    visit = a_visit(cast)
    doorstep.emergency_contact_add(
        client=cast.client,
        name="Rhian Llŷr",
        relationship="Daughter",
        phone="07700 900123",
        may_be_told="clinical",
        actor=cast.nurse,
    )
    response = carer.get(f"/teams/{cast.team.id}/my-day/visits", day="2030-11-25")
    assert response.status_code == 200, response.content
    body = response.json()
    [card] = body["visits"]
    assert card["id"] == str(visit.id)
    assert card["client"]["access_notes"] == "Key safe 1234"
    assert card["client"]["emergency_contacts"][0]["name"] == "Rhian Llŷr"
    assert card["client"]["map_link"].startswith("geo:0,0?q=")
    assert [t["label"] for t in card["tasks"]] == ["Bins out"]
    assert card["timing"] == "on_time"
    assert card["has_visit_note"] is False


def test_my_days_queries_do_not_grow_with_its_visits(
    cast: Cast, carer: Api, django_assert_max_num_queries: Any
) -> None:
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert (
                carer.get(f"/teams/{cast.team.id}/my-day/visits", day="2030-11-25").status_code
                == 200
            )
        return len(ctx.captured_queries)

    a_visit(cast, "08:00")
    few = count()
    for n in range(8):
        visit = a_visit(
            cast, f"{10 + n}:00", client=cast.other_client_same_team if n % 2 else cast.client
        )
        VisitAttendance.objects.create(
            visit=visit,
            member=cast.carer_membership,
            role="assigned",
            checked_in_at=visit.planned_start,
            check_in_received_at=visit.planned_start,
        )
        VisitTaskOutcome.objects.create(
            visit=visit,
            task_key="visit:Bins out",
            task_label="Bins out",
            outcome="done",
            recorded_by=cast.carer,
            recorded_at=visit.planned_start,
        )
        EmergencyContact.objects.create(client=cast.client, name=f"C{n}", phone="1")
    with django_assert_max_num_queries(few):
        assert (
            carer.get(f"/teams/{cast.team.id}/my-day/visits", day="2030-11-25").status_code == 200
        )


def test_a_check_in_far_too_early_is_a_problem_the_app_can_show_then_confirmed(
    cast: Cast, carer: Api
) -> None:
    visit = a_visit(cast, "14:00")
    asked = is_problem(carer.post(f"{base(cast, visit)}/check-in", {"version": 1}), 422)
    assert asked["code"] == "confirmation_required"
    assert asked["type"].endswith("confirmation_required")
    assert asked["errors"][0]["field"] == "confirm"
    done = carer.post(
        f"{base(cast, visit)}/check-in",
        {"version": 1, "confirm": True, "reason": "Asked to come early"},
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "in_progress"


def test_withdraw_outcome_and_check_out_through_the_api(cast: Cast, carer: Api) -> None:
    visit = a_visit(cast)
    assert carer.post(f"{base(cast, visit)}/check-in", {"version": 1}).status_code == 200
    withdrawn = carer.post(f"{base(cast, visit)}/withdraw", {"version": 2, "reason": "Wrong door"})
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["attendances"][0]["withdrawn_reason"] == "Wrong door"
    assert carer.post(f"{base(cast, visit)}/check-in", {"version": 3}).status_code == 200
    outcome = carer.post(
        f"{base(cast, visit)}/task-outcomes",
        {"task_key": "visit:Bins out", "outcome": "not_done", "reason": "not_needed"},
    )
    assert outcome.status_code == 201, outcome.content
    assert outcome.json()["tasks"][0]["outcome"]["reason"] == "not_needed"
    bad = is_problem(
        carer.post(
            f"{base(cast, visit)}/task-outcomes",
            {"task_key": "visit:Bins out", "outcome": "not_done", "reason": "could_not"},
        ),
        422,
    )
    assert bad["errors"][0]["field"] == "note"
    assert carer.post(f"{base(cast, visit)}/check-out", {"version": 4}).status_code == 200
    card = carer.get(f"{base(cast, visit)}/card").json()
    assert card["status"] == "done"
    assert card["tasks_open"] == 0
    assert card["has_visit_note"] is False


def test_a_missed_visits_reason_through_the_api(
    cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = a_visit(cast)
    monkeypatch.setattr(timezone, "now", lambda: on(1, "08:00"))
    nurse = api_as(cast.nurse)
    response = nurse.post(
        f"{base(cast, visit)}/missed", {"version": 1, "reason": "not_home", "id": str(uuid.uuid4())}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "missed"
    assert response.json()["missed"]["reason"] == "not_home"


def test_another_teams_user_gets_404_on_every_new_endpoint(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    visit = a_visit(cast)
    other = api_as(cast.other_nurse)
    family = api_as(cast.family)
    for api in (other, family):
        is_problem(api.get(f"/teams/{cast.team.id}/my-day/visits"), 404)
        is_problem(api.get(f"{base(cast, visit)}/card"), 404)
        is_problem(
            api.post(
                f"{base(cast, visit)}/task-outcomes",
                {"task_key": "visit:Bins out", "outcome": "done"},
            ),
            404,
        )
        is_problem(api.post(f"{base(cast, visit)}/withdraw", {"version": 1, "reason": "x"}), 404)
        is_problem(
            api.post(f"{base(cast, visit)}/missed", {"version": 1, "reason": "not_home"}), 404
        )
        is_problem(api.get(f"/teams/{cast.team.id}/clients/{cast.client.id}/task-outcomes"), 404)
    assert not VisitTaskOutcome.objects.exists()


def test_check_in_outcome_and_withdrawal_through_sync_push(cast: Cast, carer: Api) -> None:
    visit = a_visit(cast, "14:00")

    def mutation(kind: str, data: dict[str, Any], version: int | None = None) -> dict[str, Any]:
        return {
            "mutation_id": str(uuid.uuid4()),
            "kind": kind,
            "recorded_at": on(0, "09:05").isoformat(),
            "base_version": version,
            "data": {"visit_id": str(visit.id), **data},
        }

    def push(*mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = carer.post(f"/sync/{cast.team.id}/mutations", {"mutations": list(mutations)})
        assert response.status_code == 200, response.content
        return list(response.json()["results"])

    [asked] = push(mutation("visit.check_in", {}, 1))
    assert asked["status"] == "rejected"
    assert asked["problem"]["code"] == "confirmation_required"
    assert asked["problem"]["errors"][0]["field"] == "data.confirm"
    [done] = push(mutation("visit.check_in", {"confirm": True, "reason": "Early start"}, 1))
    assert done["status"] == "applied", done
    outcome_id = str(uuid.uuid4())
    results = push(
        mutation(
            "visit.task_outcome",
            {"id": outcome_id, "task_key": "visit:Bins out", "outcome": "done"},
        ),
        mutation("visit.withdraw", {"reason": "Wrong visit"}, 2),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert VisitTaskOutcome.objects.get().id == uuid.UUID(outcome_id)
    assert VisitAttendance.objects.get().withdrawn_reason == "Wrong visit"


def test_my_day_records_one_read_per_client_it_carries(cast: Cast, carer: Api) -> None:
    from careteams.models import AccessEvent

    a_visit(cast, "08:00")
    a_visit(cast, "10:00")
    a_visit(cast, "12:00", client=cast.other_client_same_team)
    assert carer.get(f"/teams/{cast.team.id}/my-day/visits", day="2030-11-25").status_code == 200
    assert sorted(
        AccessEvent.objects.filter(what="my day").values_list("client_id", flat=True)
    ) == sorted([cast.client.id, cast.other_client_same_team.id])


def test_the_older_my_day_carries_the_same_late_state_as_the_cards(
    cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    late, later = a_visit(cast, "09:00"), a_visit(cast, "11:00")
    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:45"))
    carer = api_as(cast.carer)
    old = carer.get(f"/teams/{cast.team.id}/my-day", day="2030-11-25").json()
    cards = carer.get(f"/teams/{cast.team.id}/my-day/visits", day="2030-11-25").json()
    assert [(v["id"], v["timing"]) for v in old["visits"]] == [
        (str(late.id), "late"),
        (str(later.id), "on_time"),
    ]
    assert [(v["timing"], v["due_at"]) for v in old["visits"]] == [
        (c["timing"], c["due_at"]) for c in cards["visits"]
    ]
    is_problem(api_as(cast.other_nurse).get(f"/teams/{cast.team.id}/my-day"), 404)
