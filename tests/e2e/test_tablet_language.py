"""The tablet in Cymraeg (issue 30): once its worker is installed, the words of the page scripts
come from its precache in the person's language, online and without signal, and a page it did
not keep gets the offline page in that language. (The catalogue's answer varies by language;
the worker's precache route honoured that and never matched, so every page load asked the
server, behind the day's keeping on a slow one, and had no words offline.)"""

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.conftest import Cast
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_tablet_offline import a_visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# The day is kept (offline.js): its pages are on the tablet.
KEPT = """async () => {
  if (typeof idb === "undefined") return false;
  const db = await idb.openDB("careteams-tablet", 1);
  return Boolean(await db.get("meta", "ready"));
}"""
SCRIPTS_LOADED = "typeof django !== 'undefined' && typeof idb !== 'undefined'"


def the_words_are_welsh(page: Page) -> None:
    page.wait_for_function(SCRIPTS_LOADED)
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert page.evaluate("django.get_format('DATE_FORMAT')") == "j F Y"  # 25 Hydref 2006


def test_a_welsh_tablet_has_its_words_from_its_worker_online_and_offline(
    browser: Browser, live_server: Any, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answer = BaseHandler.get_response

    def counted(handler: BaseHandler, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith("/tablet/jsi18n/"):
            asked.append(request.path)
        return answer(handler, request)

    monkeypatch.setattr(BaseHandler, "get_response", counted)
    visit = a_visit(
        cast, cast.client, timezone.now() - dt.timedelta(minutes=5), cast.carer_membership, []
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(context, base, cast.carer)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "cy", "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/teams/{cast.team.id}/visits/{visit.id}/card/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(KEPT)

    asked.clear()
    page.reload()
    the_words_are_welsh(page)
    assert asked == [], "the worker answers the catalogue from its precache"

    context.set_offline(True)
    page.reload()
    the_words_are_welsh(page)

    page.goto(f"{base}/teams/{cast.team.id}/week/")
    expect(page.locator("h1")).to_have_text("Nid yw'r dudalen hon wedi'i chadw ar y dabled hon")
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert_accessible(page)
    context.close()
