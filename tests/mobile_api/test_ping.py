"""The bare endpoint the load bench measures everything against: up without signing in, at no
cost, and wrong methods answered as every other API error."""

from typing import Any

import pytest
from django.test import Client as HttpClient

from accounts import tokens
from careteams.models import User
from tests.conftest import Cast
from tests.mobile_api.conftest import API, is_problem

pytestmark = pytest.mark.django_db


def test_anyone_gets_ok_from_ping_without_signing_in_and_without_a_query(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):
        response = HttpClient().get(f"{API}/ping")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"ok": True}


def test_a_signed_in_device_and_a_made_up_token_get_the_same_answer(cast: Cast) -> None:
    issued = tokens.token_issue(user=cast.nurse, name="Ward tablet")
    for token in (issued.token, "made-up"):
        response = HttpClient().get(f"{API}/ping", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert response.json() == {"ok": True}


def test_posting_to_ping_is_a_405_problem_naming_the_allowed_method(cast: Cast) -> None:
    user: User = cast.nurse
    client = HttpClient()
    client.force_login(user)
    body = is_problem(client.post(f"{API}/ping"), 405)
    assert "GET" in body["detail"]
    assert is_problem(HttpClient().delete(f"{API}/ping"), 405)["status"] == 405
