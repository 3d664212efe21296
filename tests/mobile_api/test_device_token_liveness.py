"""The token lookup decides in Python whether a token it found by its hash is still live
(accounts/tokens.py `_is_live`, so its SQL is compiled once); the database's rule for the lists
of live tokens (`live_tokens`) must give the same answer for every kind of token, at every
moment around its limits."""

import datetime as dt
import itertools

import pytest
from django.conf import settings
from django.utils import timezone

from accounts import tokens
from accounts.models import DeviceToken
from careteams.hashing import token_new
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)


def test_the_lookup_and_the_list_agree_on_which_tokens_are_live(cast: Cast) -> None:
    idle = dt.timedelta(days=settings.DEVICE_TOKEN_IDLE_DAYS)
    most = dt.timedelta(days=settings.DEVICE_TOKEN_MAX_DAYS)
    second = dt.timedelta(seconds=1)
    created = [NOW - d for d in (second, idle - second, idle + second, most - second, most)]
    used = [None, NOW - second, NOW - idle + second, NOW - idle, NOW - idle - second]
    revoked = [None, NOW - second]
    devices = []
    for made, last, gone in itertools.product(created, used, revoked):
        if last is not None and last < made:
            continue
        # Made directly: token_issue would revoke the oldest beyond its twenty.
        device = DeviceToken.objects.create(user=cast.carer, name="tablet", token_hash=token_new())
        DeviceToken.objects.filter(pk=device.pk).update(
            created_at=made, last_used_at=last, revoked_at=gone
        )
        devices.append(DeviceToken.objects.get(pk=device.pk))
    listed = set(tokens.live_tokens(now=NOW).values_list("pk", flat=True))
    found = {device.pk for device in devices if tokens._is_live(device, NOW)}
    assert found == listed & {device.pk for device in devices}
    assert 0 < len(found) < len(devices)


def test_a_live_token_finds_its_user_and_a_revoked_one_finds_nobody(cast: Cast) -> None:
    issued = tokens.token_issue(user=cast.nurse, name="tablet")
    found = tokens.token_user(token=issued.token)
    assert found is not None
    user, device = found
    assert (user, device) == (cast.nurse, issued.device)
    assert user.email == cast.nurse.email
    assert device.user is user
    DeviceToken.objects.filter(pk=issued.device.pk).update(revoked_at=timezone.now())
    assert tokens.token_user(token=issued.token) is None
    assert tokens.token_user(token="not a token") is None
