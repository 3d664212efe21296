"""Static files come from inside the middleware chain without making it asynchronous."""

from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string

CSS = "/static/careteams/app.css"


def test_every_middleware_runs_synchronously_so_no_request_changes_thread_or_event_loop() -> None:
    # One async-only middleware makes Django adapt the chain on every request (an event loop
    # per request under gunicorn, extra hops on daphne's single sync thread).
    async_only = [
        path
        for path in settings.MIDDLEWARE
        if not getattr(import_string(path), "sync_capable", True)
    ]
    assert async_only == []


def test_a_static_file_is_served_with_its_type_length_and_validators(client: Client) -> None:
    response = client.get(CSS)
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert int(response["Content-Length"]) == len(body) > 0
    assert response["ETag"]


def test_a_static_file_not_changed_since_the_tablets_copy_answers_304(client: Client) -> None:
    etag = client.get(CSS)["ETag"]
    response = client.get(CSS, headers={"if-none-match": etag})
    assert response.status_code == 304


def test_a_head_request_has_the_headers_and_no_body(client: Client) -> None:
    response = client.head(CSS)
    assert response.status_code == 200
    assert int(response["Content-Length"]) > 0
    assert b"".join(getattr(response, "streaming_content", [response.content])) == b""


def test_a_range_of_a_static_file_is_answered_206(client: Client) -> None:
    response = client.get(CSS, headers={"range": "bytes=0-9"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == client_body(client)[:10]  # type: ignore[attr-defined]


def test_a_path_that_is_no_static_file_goes_on_to_the_app(client: Client) -> None:
    assert client.get("/static/careteams/no-such-file.css").status_code == 404
    assert client.get("/api/v1/ping").json() == {"ok": True}


def client_body(client: Client) -> bytes:
    return b"".join(client.get(CSS).streaming_content)  # type: ignore[attr-defined]
