"""The OpenAPI document says what the server does: dates and times are ISO 8601 text in the
years 1900 to 2199 (a number is not a time), and a write that needs a version requires it."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from careteams.models import User
from clients import omaha
from clients.models import CareProblem
from scheduling.models import Visit
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    body: dict[str, Any] = HttpClient().get("/api/v1/openapi.json").json()
    return body


def body_schema(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation = document["paths"][f"/api/v1{path}"][method]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def test_dates_and_times_in_the_document_are_bounded_text(document: dict[str, Any]) -> None:
    shift = body_schema(document, "post", "/teams/{team_id}/shifts")
    assert shift["properties"]["start"]["type"] == "string"
    assert shift["properties"]["start"]["pattern"].startswith("^(19|20|21)")
    week = document["paths"]["/api/v1/teams/{team_id}/week/{monday}"]["get"]["parameters"]
    monday = next(p for p in week if p["name"] == "monday")["schema"]
    assert monday["pattern"].startswith("^(19|20|21)")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/teams/{team_id}/shifts/{shift_id}"),
        ("put", "/teams/{team_id}/absences/{absence_id}"),
        ("post", "/teams/{team_id}/visits/{visit_id}/carers"),
        ("post", "/teams/{team_id}/visits/{visit_id}/check-in"),
        ("post", "/clients/{client_id}/problems/{problem_id}/resolve"),
    ],
)
def test_a_write_that_needs_a_version_requires_it_in_the_document(
    document: dict[str, Any], method: str, path: str
) -> None:
    assert "version" in body_schema(document, method, path)["required"]


def test_a_removal_requires_its_version_in_the_document(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/v1/teams/{team_id}/shifts/{shift_id}"]["delete"]
    version = next(p for p in operation["parameters"] if p["name"] == "version")
    assert version["required"] is True


@pytest.mark.parametrize("monday", ["0", "1700000000", "2300-01-06", "1899-12-25"])
def test_a_week_that_is_not_a_date_in_range_is_a_422(
    cast: Cast, api_as: Callable[[User], Api], monday: str
) -> None:
    answer = is_problem(api_as(cast.nurse).get(f"/teams/{cast.team.id}/week/{monday}"), 422)
    assert "monday" in answer["detail"]


@pytest.mark.parametrize("recorded_at", [0, 1700000000, "0", "2026-11-29", "2300-01-01T00:00:00Z"])
def test_a_time_that_is_not_iso_text_in_range_is_a_422(
    cast: Cast,
    api_as: Callable[[User], Api],
    make_visit: Callable[..., Visit],
    recorded_at: Any,
) -> None:
    visit = make_visit()
    url = f"/teams/{cast.team.id}/visits/{visit.id}/check-in"
    body = {"version": 1, "recorded_at": recorded_at}
    answer = is_problem(api_as(cast.nurse).post(url, body), 422)
    assert "recorded_at" in answer["detail"]


def test_a_time_near_the_edge_of_the_range_with_an_offset_is_taken(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    day = api_as(cast.nurse).get(f"/teams/{cast.team.id}/my-day", day="2199-12-31")
    assert day.status_code == 200
    assert day.json()["day"] == dt.date(2199, 12, 31).isoformat()


def test_an_interventions_target_and_category_are_enums_of_the_omaha_lists(
    document: dict[str, Any],
) -> None:
    intervention = body_schema(
        document, "post", "/clients/{client_id}/problems/{problem_id}/interventions"
    )["properties"]
    assert intervention["target"]["enum"] == list(omaha.TARGETS)
    assert intervention["category"]["enum"] == list(omaha.Category.values)


def test_an_intervention_with_a_target_not_on_the_omaha_list_names_the_field(
    cast: Cast, api_as: Callable[[User], Api], problem: CareProblem
) -> None:
    body = {"category": "teaching", "target": "99", "care_description": "Explain the diet."}
    response = api_as(cast.nurse).post(
        f"/clients/{cast.client.id}/problems/{problem.id}/interventions", body
    )
    assert [e["field"] for e in is_problem(response, 422)["errors"]] == ["target"]
