"""Staff sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
sign-in; "sign out of all other devices" ends every other session of the person at once."""

import time

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.signals import SEEN_AT, SIGNED_IN_AT
from careteams.models import User
from tests.accounts.helpers import sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def travel(client: HttpClient, *, seen_ago: float, signed_in_ago: float) -> None:
    """Moves the session's clock back instead of waiting."""
    session = client.session
    now = int(time.time())
    session[SEEN_AT] = now - int(seen_ago)
    session[SIGNED_IN_AT] = now - int(signed_in_ago)
    session.save()


def signed_in(client: HttpClient, user: User) -> HttpClient:
    sign_in(client, user.email)
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def test_a_staff_session_ends_after_the_idle_limit(client: HttpClient, cast: Cast) -> None:
    signed_in(client, cast.nurse)
    idle = settings.SESSION_IDLE_MINUTES * 60
    travel(client, seen_ago=idle + 5, signed_in_ago=idle + 5)
    url = reverse("team-home", args=[cast.team.id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]
    assert "_auth_user_id" not in client.session
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("without activity" in m for m in shown)


def test_activity_keeps_a_staff_session_alive(client: HttpClient, cast: Cast) -> None:
    signed_in(client, cast.nurse)
    idle = settings.SESSION_IDLE_MINUTES * 60
    travel(client, seen_ago=idle - 60, signed_in_ago=idle * 3)
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 200
    assert client.session[SEEN_AT] >= int(time.time()) - 1
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 200


def test_a_staff_session_ends_after_its_absolute_lifetime_however_active(
    client: HttpClient, cast: Cast
) -> None:
    signed_in(client, cast.carer)
    travel(client, seen_ago=10, signed_in_ago=settings.SESSION_MAX_HOURS * 3600 + 5)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"more than {settings.SESSION_MAX_HOURS} hours" in m for m in shown)


def test_an_htmx_request_is_sent_to_sign_in_by_the_client(client: HttpClient, cast: Cast) -> None:
    signed_in(client, cast.nurse)
    idle = settings.SESSION_IDLE_MINUTES * 60
    travel(client, seen_ago=idle + 5, signed_in_ago=idle + 5)
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_family_sessions_have_no_staff_idle_limit(client: HttpClient, cast: Cast) -> None:
    signed_in(client, cast.family)
    travel(client, seen_ago=settings.SESSION_IDLE_MINUTES * 60 * 4, signed_in_ago=60)
    assert client.get(reverse("family-home")).status_code == 200


def test_sessions_end_when_the_browser_closes(client: HttpClient, cast: Cast) -> None:
    signed_in(client, cast.nurse)
    assert client.session.get_expire_at_browser_close()


def test_sign_out_of_all_other_devices_ends_the_others_and_keeps_this_one(
    cast: Cast,
) -> None:
    tablet, phone, laptop = HttpClient(), HttpClient(), HttpClient()
    for device in (tablet, phone, laptop):
        signed_in(device, cast.nurse)
    other_person = signed_in(HttpClient(), cast.carer)
    old_key = laptop.session.session_key

    response = laptop.post(reverse("sign-out-other-devices"))
    assert response["Location"] == reverse("account-security")
    assert laptop.session.session_key != old_key

    team_page = reverse("team-home", args=[cast.team.id])
    assert laptop.get(team_page).status_code == 200
    for device in (tablet, phone):
        response = device.get(team_page)
        assert response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in device.session
    assert other_person.get(team_page).status_code == 200


def test_after_signing_out_everywhere_a_new_sign_in_works(cast: Cast) -> None:
    tablet, laptop = HttpClient(), HttpClient()
    signed_in(tablet, cast.family)
    signed_in(laptop, cast.family)
    laptop.post(reverse("sign-out-other-devices"))
    assert tablet.get(reverse("family-home"))["Location"].startswith(reverse("login"))
    signed_in(tablet, cast.family)
    assert tablet.get(reverse("family-home")).status_code == 200


def test_signing_out_of_other_devices_needs_a_post(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    assert client.get(reverse("sign-out-other-devices")).status_code == 405


def test_signing_in_again_with_the_same_user_object_after_signing_out_everywhere_works(
    cast: Cast,
) -> None:
    laptop = HttpClient()
    laptop.force_login(cast.nurse)
    laptop.post(reverse("sign-out-other-devices"))
    tablet = HttpClient()
    tablet.force_login(cast.nurse)
    assert tablet.get(reverse("team-home", args=[cast.team.id])).status_code == 200
