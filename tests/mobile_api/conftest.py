"""An API client for the cast: a device token per person, JSON in and out."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import tokens
from careteams.models import User
from tests.clients.conftest import make_note, problem, upcoming_visit  # noqa: F401
from tests.scheduling.conftest import make_shift, make_visit  # noqa: F401

API = "/api/v1"


class Api:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = dict(headers or {})
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(API + path, params, headers=self._headers(headers))

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str] | None) -> Any:
        send = getattr(self.client, method)
        return send(
            API + path,
            data=json.dumps(body, default=str) if body is not None else None,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self._send("post", path, body if body is not None else {}, headers)

    def put(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self._send("put", path, body, headers)

    def delete(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        return self.client.delete(API + path + query, headers=self._headers(headers))


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as() -> Callable[[User], Api]:
    def make(user: User) -> Api:
        return Api(tokens.token_issue(user=user, name="Test tablet").token)

    return make


@pytest.fixture
def anonymous() -> Api:
    return Api()


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body
