"""Keeping the day is one request (issue 26): signing in on the tablet fetches the bundle of the
carer's day (tablet/bundle.py), not each of its pages; the day then works without signal, its
pages' scripts running from the kept copies; the next keeping with nothing changed is a 304."""

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Request, expect

from tests.conftest import Cast
from tests.e2e.test_tablet_never_lost import kept_long_ago
from tests.e2e.test_tablet_offline import READY, SAVED, a_visit, kept_on_the_tablet, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_in_keeps_the_day_in_one_request_and_the_day_then_works_offline(
    browser: Browser, live_server: Any, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = timezone.now()
    # The server's clock stands still (the live server runs in this process): the repeat below
    # falls in the same quarter of an hour whenever the test runs.
    monkeypatch.setattr(timezone, "now", lambda: now)
    visits = [
        a_visit(cast, client, now + dt.timedelta(hours=hour), cast.carer_membership, ["Tea"])
        for hour, client in enumerate((cast.client, cast.other_client_same_team) * 3)
    ]
    base = live_server.url
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    fetched: list[str] = []

    def count(request: Request) -> None:
        path = urlsplit(request.url).path
        if request.resource_type in ("fetch", "xhr") and not path.startswith("/api/"):
            fetched.append(f"{request.method} {path}")

    page.on("request", count)
    page.goto(f"{base}/teams/{cast.team.id}/today/")
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    bundle = f"GET /tablet/teams/{cast.team.id}/bundle.json"
    kept = kept_on_the_tablet(page)
    assert len(kept["pages"]) == 3 + 3 * len(visits) + 2  # My day thrice, 3 a visit, 2 records
    # One request for them all; none of the pages fetched by itself (the page's own requests,
    # such as its unread messages, are not the tablet's keeping).
    assert fetched.count(bundle) == 1
    one_by_one = {f"GET {urlsplit(held['url']).path}" for held in kept["pages"]}
    assert not one_by_one & set(fetched)

    # Keeping again with nothing changed: the same single request, answered 304.
    kept_long_ago(page)
    fetched.clear()
    with page.expect_response(lambda r: "bundle.json" in r.url) as answer:
        page.reload()
    assert answer.value.status == 304
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    assert fetched.count(bundle) == 1
    assert not one_by_one & set(fetched)
    assert len(kept_on_the_tablet(page)["pages"]) == len(kept["pages"])

    # Without signal: the kept copies, with their scripts (the forms are saved on the tablet).
    context.set_offline(True)
    page.goto(f"{base}/teams/{cast.team.id}/visits/{visits[1].id}/card/")
    expect(page.locator("main")).to_contain_text(cast.other_client_same_team.given_name)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#visit-state")).to_contain_text(SAVED)
    context.close()
