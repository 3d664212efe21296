"""A leaver, a revoked family member, a session ended elsewhere or left idle: access ends at
once, on every door, open pages included."""

import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client as HttpClient
from django.urls import reverse

from accounts import tokens
from accounts.services import sessions_end_others
from accounts.signals import SEEN_AT
from careteams import services
from careteams.models import Change, Membership
from clients.models import FamilyAccess
from clients.services.family import family_revoke
from config.asgi import application
from realtime.consumers import CloseCode
from tests.careteams.test_consumer import (
    closed_with,
    connect,
    messages_until_live,
    session_cookie,
)
from tests.conftest import Cast


def leave_url(cast: Cast, membership: Membership) -> str:
    return reverse(
        "membership-end", kwargs={"team_id": cast.team.id, "membership_id": membership.id}
    )


@pytest.mark.django_db
def test_a_member_marks_a_colleague_as_left_and_their_pages_close(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    membership = cast.carer_membership
    page = client.get(leave_url(cast, membership))
    assert "This ends their access at once" in page.content.decode()
    response = client.post(leave_url(cast, membership), {"version": membership.version})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert Change.objects.filter(entity="membership", entity_id=membership.id).exists()

    leaver = HttpClient()
    leaver.force_login(cast.carer)
    assert leaver.get(reverse("team-home", kwargs={"team_id": cast.team.id})).status_code == 404
    record = reverse("clients:client-detail", kwargs={"client_id": cast.client.id})
    assert leaver.get(record).status_code == 404


@pytest.mark.django_db
def test_a_stale_leave_form_changes_nothing(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    membership = cast.carer_membership
    response = client.post(leave_url(cast, membership), {"version": membership.version + 5})
    assert response.status_code == 409
    assert "There is a problem" in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_nurse", "coach", "family", "outsider"])
def test_only_the_teams_own_members_may_mark_someone_as_left(
    client: HttpClient, cast: Cast, who: str
) -> None:
    client.force_login(getattr(cast, who))
    membership = cast.carer_membership
    assert client.get(leave_url(cast, membership)).status_code == 404
    assert client.post(leave_url(cast, membership), {"version": 1}).status_code == 404
    membership.refresh_from_db()
    assert membership.ended_at is None


@pytest.mark.django_db(transaction=True)
async def test_a_leavers_open_socket_closes_when_the_membership_ends(cast: Cast) -> None:
    socket = await connect(cast.team, cast.carer)
    await messages_until_live(socket)
    membership = cast.carer_membership
    await database_sync_to_async(services.membership_end)(
        membership=membership, version=membership.version, actor=cast.nurse
    )
    # The team hears of the membership change (the leaver's socket too, as it is sent), then
    # the leaver's socket closes.
    change = await socket.receive_json_from(timeout=2)
    assert (change["entity"], change["id"]) == ("membership", str(membership.id))
    assert await closed_with(socket) == CloseCode.ACCESS_ENDED


@pytest.mark.django_db(transaction=True)
async def test_a_family_members_open_socket_closes_when_their_access_is_revoked(
    cast: Cast,
) -> None:
    socket = await connect(cast.team, cast.family)
    await messages_until_live(socket)
    access = await FamilyAccess.objects.aget(person=cast.family, revoked_at__isnull=True)
    await database_sync_to_async(family_revoke)(
        access=access, version=access.version, actor=cast.nurse
    )
    assert await closed_with(socket) == CloseCode.ACCESS_ENDED


@pytest.mark.django_db(transaction=True)
async def test_signing_out_other_devices_closes_their_open_pages(cast: Cast) -> None:
    socket = await connect(cast.team, cast.carer)
    await messages_until_live(socket)
    await database_sync_to_async(sessions_end_others)(user=cast.carer)
    assert await closed_with(socket) == CloseCode.NOT_SIGNED_IN


@pytest.mark.django_db(transaction=True)
async def test_a_staff_session_idle_too_long_cannot_open_a_socket(cast: Cast) -> None:
    def idle_session_cookie() -> bytes:
        cookie = session_cookie(cast.carer)
        store = SessionStore(cookie.decode().split("=", 1)[1])
        store[SEEN_AT] = int(time.time()) - (settings.SESSION_IDLE_MINUTES + 1) * 60
        store.save()
        return cookie

    cookie = await database_sync_to_async(idle_session_cookie)()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/teams/{cast.team.id}/",
        headers=[(b"origin", b"http://localhost"), (b"cookie", cookie)],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert await closed_with(communicator) == CloseCode.NOT_SIGNED_IN


@pytest.mark.django_db
def test_a_leavers_device_token_no_longer_reaches_the_teams_data(cast: Cast) -> None:
    token = tokens.token_issue(user=cast.carer, name="Aoife's phone").token
    api = HttpClient(headers={"Authorization": f"Bearer {token}"})
    clients_url = f"/api/v1/teams/{cast.team.id}/clients"
    assert api.get(clients_url).status_code == 200
    membership = cast.carer_membership
    services.membership_end(membership=membership, version=membership.version, actor=cast.nurse)
    assert api.get(clients_url).status_code == 404
    assert api.get(f"/api/v1/clients/{cast.client.id}").status_code == 404
    assert api.get(f"/api/v1/sync/{cast.team.id}/changes").status_code == 404
