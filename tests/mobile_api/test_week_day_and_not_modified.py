"""The API week a day at a time (`?day=`) and answered 304 Not Modified while the team has not
changed: sizes, query counts at two sizes of team, and who may get a 304."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careteams.models import User
from scheduling.models import Visit
from scheduling.services import visits as visit_services
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.scheduling.conftest import MONDAY, big_team

pytestmark = pytest.mark.django_db

WEDNESDAY = MONDAY + dt.timedelta(days=2)


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def week_path(cast: Cast) -> str:
    return f"/teams/{cast.team.id}/week/{MONDAY}"


def test_a_day_of_the_week_lists_that_days_visits_and_counts_every_day(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    monday_visit = make_visit(day=0)
    wednesday_visit = make_visit(day=2)
    whole = nurse.get(week_path(cast)).json()
    assert {v["id"] for v in whole["visits"]} == {str(monday_visit.id), str(wednesday_visit.id)}
    assert whole["day"] is None
    day = nurse.get(week_path(cast), day=str(WEDNESDAY)).json()
    assert day["day"] == str(WEDNESDAY)
    assert [v["id"] for v in day["visits"]] == [str(wednesday_visit.id)]
    assert [d["visit_count"] for d in day["days"]] == [1, 0, 1, 0, 0, 0, 0]
    assert day["days"][2]["needing_carer"] == 1
    # The day's problems only: the unassigned Monday visit is not among them.
    assert all(str(monday_visit.id) not in p["visit_ids"] for p in day["problems"])
    assert any(str(wednesday_visit.id) in p["visit_ids"] for p in day["problems"])


def test_a_day_outside_the_week_is_refused_with_a_clear_message(cast: Cast, nurse: Api) -> None:
    body = is_problem(nurse.get(week_path(cast), day=str(MONDAY + dt.timedelta(days=7))), 422)
    assert "is not a day of the week" in body["detail"]


def test_the_week_is_304_on_repeat_200_after_an_assignment_and_404_for_another_team(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit(day=2)
    for path in (week_path(cast), f"{week_path(cast)}?day={WEDNESDAY}"):
        first = nurse.get(path)
        assert first.status_code == 200
        tag = {"If-None-Match": first["ETag"]}
        repeat = nurse.get(path, headers=tag)
        assert repeat.status_code == 304
        assert repeat.content == b""
        assert is_problem(api_as(cast.other_nurse).get(path, headers=tag), 404)
    day = nurse.get(week_path(cast), day=str(WEDNESDAY))
    visit_services.visit_assign(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.nurse
    )
    changed = nurse.get(week_path(cast), headers={"If-None-Match": day["ETag"]}, day=str(WEDNESDAY))
    assert changed.status_code == 200
    assert changed.json()["visits"][0]["carer_ids"] == [str(cast.carer_membership.id)]


def _count(api: Api, path: str) -> tuple[int, int, bytes]:
    # The team grows below with no feed event (rows made directly): start from an empty cache.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert api.get(path, headers={"If-None-Match": response["ETag"]}).status_code == 304
    return len(captured.captured_queries), len(again.captured_queries), response.content


def test_a_day_of_a_big_team_is_small_and_its_queries_do_not_grow_with_the_team(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    make_visit(day=2)
    small, small_304, _ = _count(nurse, f"{week_path(cast)}?day={WEDNESDAY}")
    big_team(cast.team, members=12, visits=400)
    big, big_304, body = _count(nurse, f"{week_path(cast)}?day={WEDNESDAY}")
    assert (big, big_304) == (small, small_304)
    assert big_304 <= 5
    whole = nurse.get(week_path(cast)).content
    assert len(body) < len(whole) / 3, (len(body), len(whole))
    assert len(body) < 80 * 1024, len(body)
