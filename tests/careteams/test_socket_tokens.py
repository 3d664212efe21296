"""A socket opened with a ticket from a device token lives only as long as the token: signing
the device out (or any end of the token) closes it, and a ticket from a dead token opens
nothing."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient
from django.urls import reverse

from accounts import tokens
from accounts.models import DeviceToken
from careteams.models import User
from realtime.consumers import CloseCode
from tests.careteams.test_consumer import closed_with, connect, messages_until_live
from tests.conftest import PASSWORD, Cast
from tests.mobile_api.conftest import Api

pytestmark = pytest.mark.django_db(transaction=True)


def phone_with_ticket(user: User) -> tuple[DeviceToken, str]:
    issued = tokens.token_issue(user=user, name="Ward phone")
    response = Api(issued.token).post("/socket-ticket")
    assert response.status_code == 201, response.content
    return issued.device, str(response.json()["ticket"])


def sign_out_on_the_security_page(user: User, device: DeviceToken) -> None:
    client = HttpClient()
    client.force_login(user)
    response = client.post(reverse("device-sign-out", kwargs={"device_id": device.id}))
    assert response.status_code == 302


def sign_out_everywhere(user: User) -> None:
    client = HttpClient()
    client.force_login(user)
    assert client.post(reverse("sign-out-other-devices")).status_code == 302


async def test_signing_a_device_out_closes_the_socket_it_opened(cast: Cast) -> None:
    device, ticket = await database_sync_to_async(phone_with_ticket)(cast.carer)
    socket = await connect(cast.team, None, f"ticket={ticket}", origin=None)
    await messages_until_live(socket)
    await database_sync_to_async(sign_out_on_the_security_page)(cast.carer, device)
    assert await closed_with(socket) == CloseCode.NOT_SIGNED_IN


async def test_sign_out_of_all_other_devices_closes_the_apps_sockets(cast: Cast) -> None:
    _, ticket = await database_sync_to_async(phone_with_ticket)(cast.carer)
    socket = await connect(cast.team, None, f"ticket={ticket}", origin=None)
    await messages_until_live(socket)
    await database_sync_to_async(sign_out_everywhere)(cast.carer)
    assert await closed_with(socket) == CloseCode.NOT_SIGNED_IN


async def test_a_ticket_from_a_token_revoked_since_opens_nothing(cast: Cast) -> None:
    device, ticket = await database_sync_to_async(phone_with_ticket)(cast.carer)
    await database_sync_to_async(sign_out_on_the_security_page)(cast.carer, device)
    socket = await connect(cast.team, None, f"ticket={ticket}", origin=None)
    assert await closed_with(socket) == CloseCode.NOT_SIGNED_IN


async def test_another_device_of_the_same_person_keeps_its_socket(cast: Cast) -> None:
    phone, _ = await database_sync_to_async(phone_with_ticket)(cast.carer)
    _, tablet_ticket = await database_sync_to_async(phone_with_ticket)(cast.carer)
    tablet = await connect(cast.team, None, f"ticket={tablet_ticket}", origin=None)
    await messages_until_live(tablet)
    await database_sync_to_async(sign_out_on_the_security_page)(cast.carer, phone)
    assert await tablet.receive_nothing(timeout=0.5)
    await tablet.disconnect()


def change_password(user: User) -> None:
    client = HttpClient()
    client.force_login(user)
    new = "a quite different passphrase 42"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302


async def test_a_password_change_closes_the_app_and_the_pages_open_in_other_browsers(
    cast: Cast,
) -> None:
    _, ticket = await database_sync_to_async(phone_with_ticket)(cast.carer)
    app = await connect(cast.team, None, f"ticket={ticket}", origin=None)
    page = await connect(cast.team, cast.carer)
    await messages_until_live(app)
    await messages_until_live(page)
    await database_sync_to_async(change_password)(cast.carer)
    assert await closed_with(app) == CloseCode.NOT_SIGNED_IN
    assert await closed_with(page) == CloseCode.NOT_SIGNED_IN
