"""The team socket applies the pages' two-factor rule: staff who must set up an authenticator
app and have not get nothing live either (issue 23)."""

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from channels.db import database_sync_to_async

from realtime import tickets
from realtime.consumers import CloseCode
from tests.careteams.test_consumer import closed_with, connect, messages_until_live
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def two_factor_required(settings: Any) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True


async def test_a_session_without_the_required_second_factor_is_refused_its_own_close_code(
    cast: Cast,
) -> None:
    communicator = await connect(cast.team, cast.nurse, "cursor=0")
    assert await closed_with(communicator) == CloseCode.SECOND_FACTOR_FIRST
    await communicator.disconnect()


async def test_a_ticket_of_a_user_without_the_required_second_factor_is_refused(
    cast: Cast,
) -> None:
    ticket = await database_sync_to_async(tickets.ticket_issue)(user=cast.nurse)
    communicator = await connect(cast.team, query=f"ticket={ticket}&cursor=0")
    assert await closed_with(communicator) == CloseCode.SECOND_FACTOR_FIRST
    await communicator.disconnect()


async def test_a_staff_member_with_two_factor_set_up_is_still_let_in(cast: Cast) -> None:
    await database_sync_to_async(TOTP.activate)(cast.nurse, generate_totp_secret())
    communicator = await connect(cast.team, cast.nurse, "cursor=0")
    await messages_until_live(communicator)
    await communicator.disconnect()
