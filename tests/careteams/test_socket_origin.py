"""A browser's socket must come from this site's own origin: scheme, host and port, as Django's
CSRF check compares them. A page on another port or scheme of the same host is refused."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from careteams.models import User
from config.asgi import application
from tests.careteams.test_consumer import session_cookie
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


async def opens(
    cast: Cast, origin: str, host: str = "127.0.0.1:8000", scheme: str = "ws", **extra: str
) -> bool:
    user: User = cast.nurse
    headers = [
        (b"origin", origin.encode()),
        (b"host", host.encode()),
        (b"cookie", await database_sync_to_async(session_cookie)(user)),
        *((name.encode(), value.encode()) for name, value in extra.items()),
    ]
    communicator = WebsocketCommunicator(application, f"/ws/teams/{cast.team.id}/", headers=headers)
    communicator.scope["scheme"] = scheme
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return bool(connected)


async def test_the_sites_own_origin_is_accepted(cast: Cast) -> None:
    assert await opens(cast, "http://127.0.0.1:8000")


async def test_a_page_on_another_port_of_the_same_host_is_refused(cast: Cast) -> None:
    assert not await opens(cast, "http://127.0.0.1:9999")


async def test_a_page_on_another_scheme_of_the_same_host_is_refused(cast: Cast) -> None:
    assert not await opens(cast, "https://127.0.0.1:8000")


async def test_a_secure_socket_takes_the_https_origin_only(cast: Cast) -> None:
    assert await opens(cast, "https://127.0.0.1:8000", scheme="wss")
    assert not await opens(cast, "http://127.0.0.1:8000", scheme="wss")


async def test_behind_a_tls_proxy_the_forwarded_scheme_counts(cast: Cast, settings: object) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # type: ignore[attr-defined]
    assert await opens(cast, "https://127.0.0.1:8000", **{"x-forwarded-proto": "https"})
    assert not await opens(cast, "http://127.0.0.1:8000", **{"x-forwarded-proto": "https"})


async def test_a_host_not_in_allowed_hosts_is_refused_even_from_its_own_origin(
    cast: Cast,
) -> None:
    assert not await opens(cast, "http://evil.example", host="evil.example")


async def test_a_csrf_trusted_origin_is_accepted_with_its_scheme_and_port(
    cast: Cast, settings: object
) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://care.example.org", "https://*.nhs.example"]  # type: ignore[attr-defined]
    assert await opens(cast, "https://care.example.org")
    assert await opens(cast, "https://ward.nhs.example")
    assert not await opens(cast, "http://care.example.org")
    assert not await opens(cast, "https://care.example.org:8443")
