"""The carer's tablet against a slow server, a leaver's queued note and a closed browser
(issue 26): keeping the day never holds up the carer's own actions nor answers them with a kept
page; a note written offline by a carer who is then marked as left reaches the record once,
their check-in is held for the team to review, and the tablet says so, its queue empty; items
queued before the browser was closed are named on the sign-in page and sent once after signing
in."""

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from careteams import services as team_services
from clients.models import Note
from mobile_api.models import SyncMutation
from scheduling.models import Visit, VisitStatus
from tablet import selectors as tablet_selectors
from tablet.models import HeldItem
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import CHROMIUM, assert_accessible
from tests.e2e.test_tablet_offline import READY, SAVED, a_visit, kept_on_the_tablet, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

KEEPING_DELAY = 3.0


class SlowServer:
    """The live server made slow: keeping's fetch of the bundle (fetch(), not a page load, not
    htmx, not the API) by `keeping` seconds, and page loads of the paths in `pages`."""

    def __init__(self) -> None:
        self.keeping = 0.0
        self.pages: dict[str, float] = {}
        self.kept_requests = 0
        self.received: list[tuple[float, str | None, str]] = []

    def waited(self, since: float, method: str, path: str) -> float:
        """How long after `since` the server received the request: the time it spent on the
        tablet (queued behind others), whatever the time the browser then takes to draw."""
        return (
            next(at for at, m, p in self.received if at > since and (m, p) == (method, path))
            - since
        )

    def delay(self, request: HttpRequest) -> float:
        headers = request.headers
        self.received.append((time.monotonic(), request.method, request.path))
        if request.method != "GET" or "HX-Request" in headers:
            return 0.0
        if headers.get("Sec-Fetch-Mode") == "navigate":
            return self.pages.get(request.path, 0.0)
        if headers.get("Sec-Fetch-Dest") == "empty" and not request.path.startswith(
            ("/api/", "/static/")
        ):
            self.kept_requests += 1
            return self.keeping
        return 0.0


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> SlowServer:
    server = SlowServer()
    answer = BaseHandler.get_response

    def slowly(handler: BaseHandler, request: HttpRequest) -> HttpResponseBase:
        time.sleep(server.delay(request))
        return answer(handler, request)

    monkeypatch.setattr(BaseHandler, "get_response", slowly)
    return server


def kept_long_ago(page: Page) -> None:
    """The day was last kept ten minutes ago: the next page load keeps it again."""
    # The page's scripts define `idb` once loaded (a busy machine may still be loading them).
    page.wait_for_function("typeof idb !== 'undefined'")
    page.evaluate(
        """async () => {
          const db = await idb.openDB("careteams-tablet", 1);
          const ready = await db.get("meta", "ready");
          const at = new Date(Date.now() - 600000).toISOString();
          await db.put("meta", {...ready, at}, "ready");
        }"""
    )


def check_in_and_write_offline(
    context: BrowserContext, base: str, cast: Cast, visit: Visit, note: str
) -> Page:
    """The carer opens the visit with signal (the day kept), loses it, checks in and writes the
    note: both saved on the tablet, not sent yet."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/teams/{cast.team.id}/visits/{visit.id}/card/")
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.reload()
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#visit-state")).to_contain_text(SAVED)
    page.get_by_role("link", name="Write the visit note").click()
    page.locator("textarea[name=body]").fill(note)
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator("main")).to_contain_text(SAVED)
    return page


def test_keeping_against_a_slow_server_never_holds_up_or_answers_the_carers_actions(
    browser: Browser, live_server: Any, cast: Cast, slow: SlowServer
) -> None:
    visit = a_visit(
        cast, cast.client, timezone.now() - dt.timedelta(minutes=5), cast.carer_membership, []
    )
    base = live_server.url
    card_path = f"/teams/{cast.team.id}/visits/{visit.id}/card/"
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + card_path)
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    # Keeping starts again on the next page, against a server that answers it slowly.
    kept_long_ago(page)
    slow.keeping = KEEPING_DELAY
    before = slow.kept_requests
    page.reload()
    deadline = time.monotonic() + 10
    while slow.kept_requests == before and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert slow.kept_requests > before, "keeping is under way"

    # Checking in while the day is being kept: the server's answer, at once.
    started = time.monotonic()
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator(".app-messages")).to_contain_text("Checked in.")
    assert slow.waited(started, "GET", card_path) < KEEPING_DELAY
    expect(page.locator("#visit-state")).not_to_contain_text(SAVED)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS

    # A note saved online: its one-time message is the carer's, never in a kept copy.
    page.get_by_role("link", name="Write the visit note").click()
    page.locator("textarea[name=body]").fill("Ate well; walked to the gate.")
    started = time.monotonic()
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator(".app-messages")).to_contain_text("Note saved.")
    assert slow.waited(started, "GET", card_path) < KEEPING_DELAY
    page.wait_for_timeout(1_000)
    for held in kept_on_the_tablet(page)["pages"]:
        assert "Note saved." not in held["text"], held["url"]
        assert "Checked in." not in held["text"], held["url"]

    # The server is slow to show the visit after the check-out (longer than any timeout the
    # tablet had): the carer waits for its answer and never sees an older kept card.
    slow.pages[card_path] = 7.0
    page.get_by_role("link", name="Check out").click()
    page.get_by_role("button", name=re.compile("^Check out")).click()
    expect(page.locator(".app-messages")).to_contain_text("Checked out.", timeout=20_000)
    expect(page.locator("#visit-state")).to_contain_text("Done")
    expect(page.get_by_role("link", name="Check out")).to_have_count(0)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    context.close()


def test_a_leavers_note_and_check_in_written_offline_are_kept_once_and_the_tablet_says_so(
    browser: Browser, live_server: Any, cast: Cast
) -> None:
    visit = a_visit(
        cast, cast.client, timezone.now() - dt.timedelta(minutes=5), cast.carer_membership, []
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = check_in_and_write_offline(context, base, cast, visit, "Had a fall overnight.")
    page.locator(".tablet-saved").get_by_role("link", name="Back to the visit").click()
    expect(page.locator("#tablet-queue li")).to_have_count(2)

    # The team marks the carer as left; then the tablet has signal again.
    ended = team_services.membership_end(
        membership=cast.carer_membership, version=cast.carer_membership.version, actor=cast.nurse
    )
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    told = page.locator("#tablet-ended")
    expect(told.get_by_role("heading", level=1)).to_have_text(
        "This tablet no longer has access to this team", timeout=20_000
    )
    expect(told).to_contain_text("late entry")
    expect(told).to_contain_text("Note on the visit to")
    # The check-in is not applied after leaving, nor lost: held for the team to review.
    expect(told).to_contain_text("Held for your team to review")
    assert_accessible(page)
    [held] = HeldItem.objects.all()
    assert held.kind == "visit.check_in"
    assert held.author == cast.carer
    assert ended.ended_at is not None
    assert held.recorded_at < ended.ended_at < held.received_at
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED

    [note] = Note.objects.filter(body="Had a fall overnight.")
    assert note.author == cast.carer
    assert note.recorded_at < ended.ended_at < note.received_at
    [late] = tablet_selectors.late_notes(user=cast.nurse, team_id=cast.team.id)
    assert late.note == note
    kept = kept_on_the_tablet(page)
    assert kept["queue"] == []
    assert kept["pages"] == []

    # Opening the tablet again sends nothing twice.
    page.reload()
    page.wait_for_load_state()
    assert Note.objects.filter(body="Had a fall overnight.").count() == 1
    assert HeldItem.objects.count() == 1
    assert SyncMutation.objects.filter(user=cast.carer).count() == 2
    context.close()


def test_items_queued_before_the_browser_closed_are_named_at_sign_in_and_sent_once(
    browser: Browser, live_server: Any, cast: Cast, tmp_path: Path
) -> None:
    visit = a_visit(
        cast, cast.client, timezone.now() - dt.timedelta(minutes=5), cast.carer_membership, []
    )
    base = live_server.url
    profile = tmp_path / "tablet-profile"

    def open_tablet() -> Any:
        return browser.browser_type.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            viewport={"width": 1024, "height": 768},
            locale="en-GB",
        )

    context = open_tablet()
    sign_in(context, base, cast.carer)
    check_in_and_write_offline(
        context, base, cast, visit, "Settled, and the carer's bag left by the door."
    )
    context.close()

    # The browser opened again: the session has gone with it, the queue has not.
    context = open_tablet()
    context.clear_cookies()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    waiting = page.locator("#tablet-waiting")
    expect(waiting).to_contain_text("2 items on this tablet are waiting to be sent.")
    expect(waiting).to_contain_text("Sign in to send them.")
    assert_accessible(page)
    assert SyncMutation.objects.count() == 0

    page.get_by_label("Email address").fill(cast.carer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/teams/{cast.team.id}/today/")
    expect(page.locator("#tablet-queue .tablet-tag", has_text=re.compile("^Sent$"))).to_have_count(
        2, timeout=20_000
    )
    expect(page.locator("#tablet-ready")).not_to_contain_text("waiting to be sent")
    page.reload()
    expect(page.locator("#tablet-queue .tablet-tag", has_text=re.compile("^Sent$"))).to_have_count(
        2
    )
    assert SyncMutation.objects.filter(user=cast.carer).count() == 2
    assert Note.objects.filter(body__startswith="Settled").count() == 1
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    context.close()
