"""A check-in may carry the device's location, only when the carer shares it: through the API
and the sync push it is stored on the carer's attendance; bad coordinates are a problem naming
the field; the family and the coach never see where the device was."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams import registry
from careteams.models import Change, User
from scheduling.models import Visit, VisitAssignment
from scheduling.visit_models import VisitAttendance
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


@pytest.fixture
def carer(cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:05"))
    return api_as(cast.carer)


@pytest.fixture
def visit(cast: Cast) -> Visit:
    made = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(0, "09:00"),
        planned_end=on(0, "09:30"),
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


def check_in_url(cast: Cast, visit: Visit) -> str:
    return f"/teams/{cast.team.id}/visits/{visit.id}/check-in"


def test_an_api_check_in_with_the_devices_location_keeps_it_on_the_attendance(
    cast: Cast, carer: Api, visit: Visit
) -> None:
    response = carer.post(
        check_in_url(cast, visit),
        {"version": 1, "latitude": 52.4862123, "longitude": -1.8904, "accuracy_m": 40},
    )
    assert response.status_code == 200, response.content
    attendance = VisitAttendance.objects.get(visit=visit)
    assert (attendance.device_latitude, attendance.device_longitude) == (52.48621, -1.8904)
    assert attendance.device_accuracy_m == 40


def test_an_api_check_in_without_a_location_keeps_none(
    cast: Cast, carer: Api, visit: Visit
) -> None:
    assert carer.post(check_in_url(cast, visit), {"version": 1}).status_code == 200
    attendance = VisitAttendance.objects.get(visit=visit)
    assert attendance.device_latitude is None
    assert attendance.device_accuracy_m is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"latitude": 91, "longitude": 0}, "latitude"),
        ({"latitude": 52.5, "longitude": -181}, "longitude"),
        ({"latitude": 52.5}, "longitude"),
        ({"longitude": -1.9}, "latitude"),
        ({"latitude": 52.5, "longitude": -1.9, "accuracy_m": -3}, "accuracy_m"),
        ({"latitude": 52.5, "longitude": -1.9, "accuracy_m": 50_000}, "accuracy_m"),
        ({"accuracy_m": 20}, "accuracy_m"),
    ],
)
def test_bad_coordinates_are_a_problem_naming_the_field_and_nothing_is_checked_in(
    cast: Cast, carer: Api, visit: Visit, body: dict[str, Any], field: str
) -> None:
    problem = is_problem(carer.post(check_in_url(cast, visit), {"version": 1, **body}), 422)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert not VisitAttendance.objects.exists()


def test_a_sync_check_in_carries_the_location_and_a_bad_one_names_its_data_field(
    cast: Cast, carer: Api, visit: Visit
) -> None:
    def mutation(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "mutation_id": str(uuid.uuid4()),
            "kind": "visit.check_in",
            "recorded_at": on(0, "09:04").isoformat(),
            "base_version": 1,
            "data": {"visit_id": str(visit.id), **data},
        }

    def push(data: dict[str, Any]) -> dict[str, Any]:
        response = carer.post(f"/sync/{cast.team.id}/mutations", {"mutations": [mutation(data)]})
        assert response.status_code == 200, response.content
        [result] = response.json()["results"]
        return dict(result)

    bad = push({"latitude": 52.5, "longitude": 200})
    assert bad["status"] == "rejected"
    assert [e["field"] for e in bad["problem"]["errors"]] == ["data.longitude"]
    done = push({"latitude": 52.5, "longitude": -1.9, "accuracy_m": 12.5})
    assert done["status"] == "applied", done
    attendance = VisitAttendance.objects.get(visit=visit)
    assert (attendance.device_latitude, attendance.device_longitude) == (52.5, -1.9)
    assert attendance.device_accuracy_m == 12.5
    assert attendance.checked_in_at == on(0, "09:04")


def test_the_family_and_the_coach_never_see_where_the_device_was(
    cast: Cast, carer: Api, visit: Visit
) -> None:
    carer.post(check_in_url(cast, visit), {"version": 1, "latitude": 52.5, "longitude": -1.9})
    attendance = VisitAttendance.objects.get(visit=visit)
    change = Change.objects.get(entity="visit_attendance", entity_id=attendance.id)
    assert change.data["device_latitude"] == 52.5  # the team's own feed has it
    seen = registry.get("visit_attendance").coach_view(change.data)
    assert seen["checked_in_at"]
    assert not {"device_latitude", "device_longitude", "device_accuracy_m"} & set(seen)
    assert "visit_attendance" not in registry.family_names()
