"""A leaver's tablet sends more than notes (issue 26, "nothing written is ever lost"): a
check-in, a task ticked or a rating recorded while its author was a member is held for the team
to review, once however often it is sent; what was recorded after leaving stays refused."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from careteams import services as team_services
from careteams.models import Membership, User
from mobile_api.models import SyncMutation
from scheduling.models import Visit, VisitAssignment, VisitStatus
from tablet.models import HeldItem
from tests.conftest import Cast
from tests.mobile_api.conftest import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(cast: Cast) -> Visit:
    start = timezone.now() - dt.timedelta(hours=1)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        tasks=["Bins out"],
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit


@pytest.fixture
def carer(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    """The carer, a member since last month."""
    Membership.objects.filter(pk=cast.carer_membership.pk).update(
        started_at=timezone.now() - dt.timedelta(days=30)
    )
    cast.carer_membership.refresh_from_db()
    return api_as(cast.carer)


def a_check_in(visit: Visit, at: dt.datetime) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "kind": "visit.check_in",
        "recorded_at": at.isoformat(),
        "base_version": visit.version,
        "data": {"visit_id": str(visit.id)},
    }


def push(api: Api, cast: Cast, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.post(f"/sync/{cast.team.id}/mutations", {"mutations": list(mutations)})
    assert response.status_code == 200, response.content
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def leaves(cast: Cast) -> Membership:
    return team_services.membership_end(
        membership=cast.carer_membership, version=cast.carer_membership.version, actor=cast.nurse
    )


def test_a_check_in_recorded_while_a_member_is_held_for_the_team_once_however_often_sent(
    cast: Cast, carer: Api, visit: Visit
) -> None:
    at = timezone.now() - dt.timedelta(minutes=50)
    sent = a_check_in(visit, at)
    ended = leaves(cast)

    [first] = push(carer, cast, sent)
    [again] = push(carer, cast, sent)

    assert first["status"] == "held", first
    assert again["status"] == "held"
    assert again["repeated"] is True
    [held] = HeldItem.objects.all()
    assert first["id"] == str(held.id)
    assert held.team == cast.team
    assert held.author == cast.carer
    assert held.mutation_id == uuid.UUID(sent["mutation_id"])
    assert held.kind == "visit.check_in"
    assert held.payload == sent["data"]
    assert held.recorded_at == at
    assert ended.ended_at is not None
    assert held.received_at > ended.ended_at
    assert held.reviewed_at is None
    assert SyncMutation.objects.get(user=cast.carer).status == "held"
    # Held, not applied: the visit is as the team planned it until someone enters it.
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_every_kind_but_a_note_is_held_a_rating_and_a_task_outcome_too(
    cast: Cast, carer: Api, visit: Visit
) -> None:
    at = (timezone.now() - dt.timedelta(minutes=20)).isoformat()
    task = {
        "mutation_id": str(uuid.uuid4()),
        "kind": "visit.task_outcome",
        "recorded_at": at,
        "data": {
            "visit_id": str(visit.id),
            "id": str(uuid.uuid4()),
            "task_key": "t1",
            "outcome": "done",
        },
    }
    rating = {
        "mutation_id": str(uuid.uuid4()),
        "kind": "outcome.rate",
        "recorded_at": at,
        "data": {"problem_id": str(uuid.uuid4()), "knowledge": 3, "behaviour": 3, "status": 4},
    }
    leaves(cast)

    results = push(carer, cast, task, rating)

    assert [r["status"] for r in results] == ["held", "held"]
    assert sorted(HeldItem.objects.values_list("kind", flat=True)) == [
        "outcome.rate",
        "visit.task_outcome",
    ]


def test_a_check_in_recorded_after_leaving_is_refused_and_not_held(
    cast: Cast, carer: Api, visit: Visit
) -> None:
    leaves(cast)
    sent = a_check_in(visit, timezone.now() + dt.timedelta(seconds=1))

    [result] = push(carer, cast, sent)

    assert result["status"] == "rejected"
    assert result["problem"]["code"] == "former_member"
    assert result["problem"]["errors"][0]["field"] == "recorded_at"
    assert not HeldItem.objects.exists()


def test_a_member_s_check_in_is_applied_never_held(cast: Cast, carer: Api, visit: Visit) -> None:
    [result] = push(carer, cast, a_check_in(visit, visit.planned_start))

    assert result["status"] == "applied", result
    assert not HeldItem.objects.exists()


def test_the_api_document_names_held_among_a_mutations_final_answers(cast: Cast) -> None:
    document = HttpClient().get("/api/v1/openapi.json").json()
    status = document["components"]["schemas"]["MutationResult"]["properties"]["status"]
    assert "held" in status["enum"]
    assert "held" in status["description"]
