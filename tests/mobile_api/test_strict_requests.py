"""The API reads only what it declares (issue 23): a body is JSON only when its Content-Type says
so (else 415), and a query parameter the operation does not take is a 400 naming it, not
silently ignored (a misspelt `limit` would otherwise quietly return a default page)."""

import json
import uuid
from collections.abc import Callable

import pytest

from careteams.models import User
from clients.models import Note
from tests.conftest import PASSWORD, Cast
from tests.mobile_api.conftest import API, Api, is_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def sign_in_as(cast: Cast, content_type: str) -> int:
    body = {"email": cast.nurse.email, "password": PASSWORD, "device_name": "Phone"}
    response = Api().client.post(f"{API}/auth/sign-in", json.dumps(body), content_type=content_type)
    if response.status_code == 415:
        problem = is_problem(response, 415)
        assert "application/json" in problem["detail"]
    return int(response.status_code)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "text/json", ""]
)
def test_json_sent_as_anything_but_json_is_refused_with_415(cast: Cast, content_type: str) -> None:
    assert sign_in_as(cast, content_type) == 415


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "application/problem+json"],
)
def test_json_and_its_plus_json_kinds_are_read(cast: Cast, content_type: str) -> None:
    assert sign_in_as(cast, content_type) == 201


def test_a_note_sent_as_text_plain_is_refused_and_not_saved(cast: Cast, nurse: Api) -> None:
    response = nurse.client.post(
        f"{API}/clients/{cast.client.id}/notes",
        json.dumps({"id": str(uuid.uuid4()), "body": "Slept well."}),
        content_type="text/plain",
        headers=nurse._headers(None),
    )
    is_problem(response, 415)
    assert not Note.objects.exists()


def test_an_unknown_query_parameter_is_a_400_naming_it(cast: Cast, nurse: Api) -> None:
    problem = is_problem(nurse.get(f"/clients/{cast.client.id}/notes", limt="5"), 400)
    assert [error["field"] for error in problem["errors"]] == ["limt"]
    assert "limt" in problem["detail"]


def test_an_operation_without_query_parameters_refuses_any(nurse: Api) -> None:
    problem = is_problem(nurse.get("/me", debug="1"), 400)
    assert [error["field"] for error in problem["errors"]] == ["debug"]


def test_the_declared_query_parameters_still_work(cast: Cast, nurse: Api) -> None:
    assert nurse.get(f"/clients/{cast.client.id}/notes", limit="5").status_code == 200
    assert nurse.get(f"/teams/{cast.team.id}/clients", q="a").status_code == 200
