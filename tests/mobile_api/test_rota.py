"""The week, my day and rota writes over the API: same rules as the pages, versions, access."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from careteams.models import AccessEvent, User
from scheduling.models import Shift, Visit, VisitAssignment, VisitStatus
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def shift_body(
    cast: Cast, day: int = 0, start: str = "07:00", end: str = "15:00"
) -> dict[str, Any]:
    return {
        "member_id": str(cast.carer_membership.id),
        "start": on(day, start).isoformat(),
        "end": on(day, end).isoformat(),
        "kind": "early",
        "break_minutes": 30,
    }


def test_a_member_reads_the_teams_week_with_shifts_visits_carers_and_problems(
    cast: Cast, nurse: Api, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    make_shift(cast.carer_membership, 0)
    visit = make_visit(day=0, required_skills=["insulin"])
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    response = nurse.get(f"/teams/{cast.team.id}/week/{MONDAY}")
    assert response.status_code == 200
    week = response.json()
    assert week["monday"] == str(MONDAY)
    assert len(week["days"]) == 7
    assert [s["member_id"] for s in week["shifts"]] == [str(cast.carer_membership.id)]
    assert week["visits"][0]["carer_ids"] == [str(cast.carer_membership.id)]
    assert week["visits"][0]["client"]["name"] == "Dafydd Llŷr"
    assert any(p["code"] for p in week["problems"])  # the carer lacks insulin
    assert {m["name"] for m in week["members"]} == {"Siân Ellis", "Aoife Ní Bhriain"}


def test_the_weeks_visits_say_the_role_they_need_and_a_wrong_one_is_a_problem(
    cast: Cast, nurse: Api, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    make_shift(cast.carer_membership, 0)
    visit = make_visit(day=0, required_role="registered_nurse")
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    week = nurse.get(f"/teams/{cast.team.id}/week/{MONDAY}").json()
    assert week["visits"][0]["required_role"] == "registered_nurse"
    assert "wrong_role" in {p["code"] for p in week["problems"]}


def test_any_day_of_a_week_names_that_week(cast: Cast, nurse: Api) -> None:
    wednesday = MONDAY + dt.timedelta(days=2)
    assert nurse.get(f"/teams/{cast.team.id}/week/{wednesday}").json()["monday"] == str(MONDAY)


def test_another_teams_week_family_and_coach_get_404(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    for user in (cast.other_nurse, cast.family, cast.coach, cast.outsider, cast.client_user):
        is_problem(api_as(user).get(f"/teams/{cast.team.id}/week/{MONDAY}"), 404)


def test_a_carer_reads_their_day_in_order(
    cast: Cast, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    late = make_visit(day=1, start="15:00", end="15:30")
    early = make_visit(day=1, start="09:00", end="09:30")
    make_visit(day=1, start="10:00", end="10:30")  # not the carer's
    for visit in (late, early):
        VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    day = (MONDAY + dt.timedelta(days=1)).isoformat()
    body = api_as(cast.carer).get(f"/teams/{cast.team.id}/my-day", day=day).json()
    assert [v["id"] for v in body["visits"]] == [str(early.id), str(late.id)]
    assert body["member_id"] == str(cast.carer_membership.id)


def test_a_shift_is_created_and_changed_with_its_version(cast: Cast, nurse: Api) -> None:
    created = nurse.post(f"/teams/{cast.team.id}/shifts", shift_body(cast))
    assert created.status_code == 201
    shift = created.json()
    assert created["ETag"] == '"1"'
    changed = nurse.put(
        f"/teams/{cast.team.id}/shifts/{shift['id']}",
        {**shift_body(cast, end="14:00"), "version": 1},
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert Shift.objects.get().end == on(0, "14:00")


def test_a_stale_update_is_a_409_with_the_current_state(cast: Cast, nurse: Api) -> None:
    shift = nurse.post(f"/teams/{cast.team.id}/shifts", shift_body(cast)).json()
    url = f"/teams/{cast.team.id}/shifts/{shift['id']}"
    changed = nurse.put(
        url, {**shift_body(cast, end="14:00"), "version": 1}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200
    stale = nurse.put(url, {**shift_body(cast, end="13:00"), "version": 1})
    body = is_problem(stale, 409)
    assert body["current"]["version"] == 2
    assert Shift.objects.get().end == on(0, "14:00")


def test_an_update_without_a_version_or_with_two_that_disagree_is_refused(
    cast: Cast, nurse: Api
) -> None:
    shift = nurse.post(f"/teams/{cast.team.id}/shifts", shift_body(cast)).json()
    url = f"/teams/{cast.team.id}/shifts/{shift['id']}"
    # The OpenAPI document marks `version` required; If-Match, when sent too, must agree.
    for headers in ({}, {"If-Match": '"1"'}):
        missing = is_problem(nurse.put(url, shift_body(cast), headers), 422)
        assert missing["errors"][0]["field"] == "version"
    is_problem(nurse.put(url, {**shift_body(cast), "version": 1}, {"If-Match": '"2"'}), 412)
    bad = is_problem(
        nurse.put(url, {**shift_body(cast), "version": 1}, {"If-Match": "yesterday"}), 422
    )
    assert bad["errors"][0]["field"] == "If-Match"


def test_a_shift_breaking_a_rule_names_the_field(cast: Cast, nurse: Api) -> None:
    body = is_problem(
        nurse.post(f"/teams/{cast.team.id}/shifts", shift_body(cast, start="15:00", end="07:00")),
        422,
    )
    assert body["errors"] == [{"field": "end", "detail": "The end must be after the start."}]


def test_a_shift_for_another_teams_member_is_refused_and_another_teams_shift_is_404(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api]
) -> None:
    foreign = {**shift_body(cast), "member_id": str(cast.other_nurse_membership.id)}
    is_problem(nurse.post(f"/teams/{cast.team.id}/shifts", foreign), 422)
    theirs = api_as(cast.other_nurse).post(f"/teams/{cast.other_team.id}/shifts", foreign).json()
    mine = f"/teams/{cast.team.id}/shifts/{theirs['id']}"
    is_problem(nurse.put(mine, {**shift_body(cast), "version": 1}), 404)
    is_problem(nurse.delete(f"/teams/{cast.other_team.id}/shifts/{theirs['id']}", version=1), 404)
    is_problem(nurse.post(f"/teams/{cast.other_team.id}/shifts", foreign), 404)


def test_a_shift_is_deleted_with_its_version(cast: Cast, nurse: Api) -> None:
    shift = nurse.post(f"/teams/{cast.team.id}/shifts", shift_body(cast)).json()
    url = f"/teams/{cast.team.id}/shifts/{shift['id']}"
    is_problem(nurse.delete(url, version=2), 409)
    assert nurse.delete(url, version=1).status_code == 204
    assert not Shift.objects.exists()


def test_an_absence_is_recorded_changed_and_removed(cast: Cast, nurse: Api) -> None:
    body = {
        "member_id": str(cast.carer_membership.id),
        "kind": "sickness",
        "start": on(1, "00:00").isoformat(),
        "end": on(2, "00:00").isoformat(),
    }
    created = nurse.post(f"/teams/{cast.team.id}/absences", body)
    assert created.status_code == 201
    url = f"/teams/{cast.team.id}/absences/{created.json()['id']}"
    changed = nurse.put(url, {**body, "kind": "training", "version": 1})
    assert changed.json()["kind"] == "training"
    assert nurse.delete(url, headers={"If-Match": '"2"'}, version=2).status_code == 204


def test_a_carer_is_put_on_a_visit_and_taken_off(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    url = f"/teams/{cast.team.id}/visits/{visit.id}/carers"
    put_on = nurse.post(url, {"member_id": str(cast.carer_membership.id), "version": 1})
    assert put_on.status_code == 200
    assert put_on.json()["carer_ids"] == [str(cast.carer_membership.id)]
    assert put_on.json()["version"] == 2
    is_problem(nurse.post(url, {"member_id": str(cast.nurse_membership.id), "version": 1}), 409)
    off = nurse.delete(f"{url}/{cast.carer_membership.id}", version=2)
    assert off.status_code == 200
    assert off.json()["carer_ids"] == []


def test_a_carer_checks_in_and_out_with_the_device_times(
    cast: Cast, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    arrived = dt.datetime(2026, 1, 5, 9, 2, tzinfo=dt.UTC)
    # A visit planned for when the carer arrived: a device time far from it would be refused.
    visit = make_visit(
        day=0,
        planned_start=arrived - dt.timedelta(minutes=2),
        planned_end=arrived + dt.timedelta(minutes=28),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    carer = api_as(cast.carer)
    base = f"/teams/{cast.team.id}/visits/{visit.id}"
    checked_in = carer.post(f"{base}/check-in", {"version": 1, "recorded_at": arrived.isoformat()})
    assert checked_in.status_code == 200, checked_in.content
    assert checked_in.json()["status"] == VisitStatus.IN_PROGRESS
    left = arrived + dt.timedelta(minutes=31)
    out = carer.post(f"{base}/check-out", {"version": 2, "recorded_at": left.isoformat()})
    assert out.json()["status"] == VisitStatus.DONE
    visit.refresh_from_db()
    assert visit.checked_in_at == arrived
    assert visit.checked_out_at == left
    assert visit.check_out_received_at is not None
    assert visit.check_out_received_at > left


def test_only_a_carer_on_the_visit_may_check_in(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    is_problem(nurse.post(f"/teams/{cast.team.id}/visits/{visit.id}/check-in", {"version": 1}), 403)


def test_another_teams_visit_is_404(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    theirs = make_visit(client=cast.other_team_client)
    is_problem(nurse.get(f"/teams/{cast.other_team.id}/visits/{theirs.id}"), 404)
    is_problem(nurse.get(f"/teams/{cast.team.id}/visits/{theirs.id}"), 404)
    is_problem(
        nurse.post(f"/teams/{cast.team.id}/visits/{theirs.id}/check-in", {"version": 1}), 404
    )
    assert not AccessEvent.objects.exists()
