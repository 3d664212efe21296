"""Bad input at every door is a clear 4xx naming the field, never a 500: NUL bytes and text
that is not Unicode (PostgreSQL refuses both), and request bodies over the size limit."""

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal, get_args, get_origin

import pydantic
import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from ninja import Schema

from careteams.models import User
from clients.models import Note
from mobile_api import mutations
from mobile_api.api import api
from mobile_api.schemas import types
from scheduling.models import Shift
from tests.accounts.helpers import sign_in
from tests.conftest import PASSWORD, Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.mobile_api.test_rota import shift_body
from tests.mobile_api.test_sync import mutation
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db

NUL = "Ate well\x00 then slept."
# A lone surrogate: valid JSON ("\ud800"), not Unicode text; no database can store it.
SURROGATE = "Ate well \ud800 then slept."


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def field_errors(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body["errors"]}


@pytest.mark.parametrize("text", [NUL, SURROGATE])
def test_an_api_note_with_a_nul_byte_or_bad_unicode_is_a_422_naming_the_body(
    cast: Cast, nurse: Api, text: str
) -> None:
    response = nurse.post(
        f"/clients/{cast.client.id}/notes", {"id": str(uuid.uuid4()), "body": text}
    )
    assert field_errors(is_problem(response, 422)) == {"body"}
    assert not Note.objects.exists()


@pytest.mark.parametrize("text", [NUL, SURROGATE])
def test_an_api_shift_note_with_a_nul_byte_or_bad_unicode_is_a_422_naming_the_note(
    cast: Cast, nurse: Api, text: str
) -> None:
    response = nurse.post(f"/teams/{cast.team.id}/shifts", {**shift_body(cast), "note": text})
    assert field_errors(is_problem(response, 422)) == {"note"}
    assert not Shift.objects.exists()


@pytest.mark.parametrize("email", ["nurse@example.test\x00", "nurse\ud800@example.test"])
def test_an_api_sign_in_with_a_nul_byte_or_bad_unicode_is_a_422_naming_the_email(
    cast: Cast, anonymous: Api, email: str
) -> None:
    response = anonymous.post(
        "/auth/sign-in", {"email": email, "password": PASSWORD, "device_name": "Tablet"}
    )
    assert field_errors(is_problem(response, 422)) == {"email"}


def test_a_search_with_a_nul_byte_is_a_422_naming_the_query(cast: Cast, nurse: Api) -> None:
    response = nurse.get(f"/teams/{cast.team.id}/clients", q="Daf\x00")
    assert field_errors(is_problem(response, 422)) == {"q"}


@pytest.mark.parametrize("text", [NUL, SURROGATE])
def test_a_synced_note_with_a_nul_byte_or_bad_unicode_is_rejected_naming_the_field(
    cast: Cast, nurse: Api, text: str
) -> None:
    note = {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": text}
    response = nurse.post(
        f"/sync/{cast.team.id}/mutations", {"mutations": [mutation("note.create", note)]}
    )
    assert response.status_code == 200, response.content
    [result] = response.json()["results"]
    assert result["status"] == "rejected"
    assert result["problem"]["status"] == 422
    assert {e["field"] for e in result["problem"]["errors"]} == {"data.body"}
    assert not Note.objects.exists()


def test_a_page_note_with_a_nul_byte_is_a_form_error(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    response = client.post(url, {"body": NUL, "note_id": str(uuid.uuid4())})
    assert response.status_code == 400
    assert 'href="#id_body"' in response.content.decode()
    assert not Note.objects.exists()


def test_a_page_shift_note_with_a_nul_byte_is_a_form_error(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:shift-new", kwargs={"team_id": cast.team.id}),
        {
            "member": cast.carer_membership.id,
            "day": on(0, "07:00").date().isoformat(),
            "start_time": "07:00",
            "end_time": "15:00",
            "kind": "early",
            "break_minutes": 30,
            "note": NUL,
        },
    )
    assert response.status_code == 400
    assert 'href="#id_note"' in response.content.decode()
    assert not Shift.objects.exists()


def test_a_page_sign_in_with_a_nul_byte_in_the_email_is_a_form_error(
    client: HttpClient, cast: Cast
) -> None:
    response = sign_in(client, "nurse@example.test\x00")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "email address" in response.content.decode().lower()


def big_text() -> str:
    return "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)


def test_an_api_body_over_the_limit_is_a_413_problem(cast: Cast, nurse: Api) -> None:
    response = nurse.post(
        f"/clients/{cast.client.id}/notes", {"id": str(uuid.uuid4()), "body": big_text()}
    )
    body = is_problem(response, 413)
    assert "too large" in body["detail"].lower()
    assert not Note.objects.exists()


def test_an_api_sign_in_over_the_limit_is_a_413_problem(anonymous: Api) -> None:
    body = {"email": "a@example.test", "password": big_text(), "device_name": "Tablet"}
    is_problem(anonymous.post("/auth/sign-in", body), 413)


def test_a_page_post_over_the_limit_is_a_413_page(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    response = client.post(url, {"body": big_text(), "note_id": str(uuid.uuid4())})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "too large" in response.content.decode().lower()
    assert not Note.objects.exists()


def test_a_page_post_in_raw_json_over_the_limit_is_a_413_page(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    response = client.post(
        reverse("login"), json.dumps({"x": big_text()}), content_type="application/json"
    )
    assert response.status_code == 413


async def stream(path: str, chunks: list[bytes]) -> tuple[int, dict[str, str], bytes]:
    """Send a body in chunks without Content-Length (chunked transfer) through the ASGI app."""
    from config.asgi import application

    messages = [
        {"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1}
        for n, chunk in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    await application(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/auth/sign-in", "problem+json"), ("/accounts/login/", "text/html")],
)
async def test_a_streamed_body_over_the_limit_is_cut_with_a_413(
    path: str, content_type: str
) -> None:
    chunk = b"x" * 65536
    count = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // len(chunk) + 2
    status, headers, body = await stream(path, [chunk] * count)
    assert status == 413
    assert content_type in headers["Content-Type"]
    assert b"too large" in body.lower()


def _unchecked_strings(annotation: Any, metadata: list[Any], where: str) -> Iterator[str]:
    """Every `str` a request can carry, found through unions, lists, dict values and nested
    schemas, without the Text check (mobile_api/schemas/types.py)."""
    if get_origin(annotation) is Annotated:
        inner, *extra = get_args(annotation)
        yield from _unchecked_strings(inner, [*metadata, *extra], where)
    elif annotation is str:
        if not any(isinstance(m, types.Storable) for m in metadata):
            yield where
    elif isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _unchecked_strings(field.annotation, field.metadata, f"{where}.{name}")
    elif get_origin(annotation) is dict:
        yield from _unchecked_strings(get_args(annotation)[1], [], f"{where}[]")
    elif get_origin(annotation) is not Literal:
        for arg in get_args(annotation):
            yield from _unchecked_strings(arg, [], where)


def test_every_string_a_request_can_carry_is_checked_for_nul() -> None:
    inputs: list[tuple[str, Any]] = [
        (f"{method} {path}", model)
        for bound in api._get_bound_routers()
        for path, view in bound.path_operations.items()
        for operation in view.operations
        for method in operation.methods
        for model in operation.models
    ]
    inputs += [
        (name, schema)
        for name, schema in vars(mutations).items()
        if isinstance(schema, type) and issubclass(schema, Schema) and schema is not Schema
    ]
    assert len(inputs) > 20
    unchecked = [hit for where, model in inputs for hit in _unchecked_strings(model, [], where)]
    assert unchecked == []
