"""A page's socket resumes after a drop with the checked cursor it was last told (docs/sync.md,
"Cursors"), without a reload; after a restore without a new incarnation it is told to resync
(4410) and reloads, instead of skipping what was written meanwhile."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from careteams.models import User
from tests.conftest import Cast
from tests.restore import restore_backup_taken_at, write_shifts

pytestmark = pytest.mark.django_db(transaction=True)

# Records each socket the page opens (the URL it asked for) and what it heard; while
# `__away` is set, the page's reconnects are refused (a malformed view: 4400, after which it
# tries again, as after any drop).
SPY = """(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = function (url, protocols) {
    const target = window.__away ? url + "&view=%21" : url;
    const socket = new Native(target, protocols);
    const seen = { url, away: Boolean(window.__away), socket, heard: [] };
    socket.addEventListener("message", (e) => seen.heard.push(JSON.parse(e.data)));
    window.__sockets.push(seen);
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();"""

LAST_SOCKET_HEARD = """(seqs) => {
  const last = window.__sockets.at(-1);
  const heard = last.heard.filter((m) => m.type === "change").map((m) => m.seq);
  return !last.away && seqs.every((s) => heard.includes(s)) &&
    last.heard.some((m) => m.type === "live");
}"""


def page_for(browser: Browser, base_url: str, user: User) -> Page:
    client = HttpClient()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    context.add_init_script(SPY)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def elsewhere(cast: Cast, n: int) -> None:
    """n shifts written by someone else, in this test's process: the page's worker hears no
    event of them (its channel layer is its own), so the page learns of them only by the
    replay when its socket resumes. In a thread of its own, as Playwright's loop runs in this
    one (a change's event is sent through async_to_sync, which refuses such a thread)."""

    def write() -> None:
        try:
            write_shifts(cast, n)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    writer.join()


def drop(page: Page) -> None:
    """The connection drops, and stays away until `back`."""
    page.evaluate("window.__away = true; window.__sockets.at(-1).socket.close()")


def back(page: Page) -> None:
    page.evaluate("window.__away = false")


def test_a_page_resumes_with_its_cursor_and_reloads_after_a_restore_without_a_new_incarnation(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    elsewhere(cast, 3)  # the backup is taken here, at seq 3
    record = asgi_url + reverse("clients:client-detail", kwargs={"client_id": cast.client.id})
    page = page_for(browser, asgi_url, cast.nurse)
    try:
        page.goto(record)
        expect(page.locator("#live-status")).to_have_text("Live")
        page.evaluate("window.__kept = true")  # gone if the page reloads

        # Away while colleagues write; back, it resumes after 3 with the cursor its socket was
        # told, hears 4 and 5, and is not reloaded.
        drop(page)
        elsewhere(cast, 2)
        back(page)
        page.wait_for_function(LAST_SOCKET_HEARD, arg=[4, 5])
        resumed: Any = page.evaluate("window.__sockets.at(-1).url")
        assert "cursor=3." in resumed
        assert "incarnation=" in resumed
        assert page.evaluate("window.__kept") is True
        expect(page.locator("#live-status")).to_have_text("Live")

        # Away while the database is restored to the backup without `feed_new_incarnation`,
        # and new writes pass the page's cursor 5: back, it is told to resync and reloads.
        drop(page)
        restore_backup_taken_at(cast.team, 3)
        elsewhere(cast, 4)
        back(page)
        page.wait_for_function("() => window.__kept === undefined")
        expect(page.locator("#live-status")).to_have_text("Live")
    finally:
        page.context.close()
