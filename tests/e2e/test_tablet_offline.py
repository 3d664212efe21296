"""The tablet app without signal (issue 14): My day kept online, reloaded offline from the
service worker, a whole visit done offline (check in, two tasks, a note, check out), the queue
kept across closing the page, sent once each when the signal is back and seen by the team in
another browser; a conflicting change on the server shown in plain words; nothing of another
client on the tablet; sign-out clears the store. Every state passes axe."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Request, expect

from careteams import services as team_services
from careteams.models import User
from clients.models import Note, OutcomeRating
from clients.services import care_plan
from mobile_api.models import SyncMutation
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.services import visits as visit_services
from scheduling.visit_models import VisitTaskOutcome
from tablet.models import HeldItem
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

READY = "Ready to work offline"
SAVED = "Saved on this tablet, not sent yet"


def sign_in(context: BrowserContext, url: str, user: User) -> None:
    client = HttpClient()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]
    )


def a_visit(
    cast: Cast, client: Any, start: dt.datetime, member: Any, tasks: list[str], carers: int = 1
) -> Visit:
    visit = Visit.objects.create(
        team=cast.team,
        carers_needed=carers,
        client=client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=45),
        tasks=tasks,
    )
    VisitAssignment.objects.create(visit=visit, member=member)
    return visit


def kept_on_the_tablet(page: Page) -> dict[str, Any]:
    """Everything the tablet holds: the kept pages (URL and text) and the IndexedDB store."""
    kept: dict[str, Any] = page.evaluate(
        """async () => {
          const pages = [];
          if (await caches.has("careteams-day")) {
            const cache = await caches.open("careteams-day");
            for (const request of await cache.keys()) {
              pages.push({url: request.url, text: await (await cache.match(request)).text()});
            }
          }
          const db = await idb.openDB("careteams-tablet", 1);
          const queue = await db.getAll("queue");
          const meta = await db.getAll("meta");
          return {pages, queue, meta};
        }"""
    )
    return kept


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"tablet-{name}.png", full_page=True)


def test_a_whole_visit_offline_is_kept_sent_once_and_seen_by_the_team(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    now = timezone.now()
    visit = a_visit(
        cast,
        cast.client,
        now - dt.timedelta(minutes=5),
        cast.carer_membership,
        ["Bins out", "Make a cup of tea"],
    )
    later = a_visit(
        cast,
        cast.client,
        now + dt.timedelta(minutes=50),
        cast.carer_membership,
        ["Check the heating"],
        carers=2,
    )
    a_visit(cast, cast.other_client_same_team, now, cast.nurse_membership, ["Shopping"])
    problem = care_plan.problem_add(
        client=cast.client,
        problem_code="22",
        scope="individual",
        severity="actual",
        signs_symptoms=["01"],
        identified_on=timezone.localdate() - dt.timedelta(days=7),
        actor=cast.nurse,
    )
    base = live_server.url
    my_day = f"{base}/teams/{cast.team.id}/today/"
    card = f"{base}/teams/{cast.team.id}/visits/{visit.id}/card/"

    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(my_day)
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert_accessible(page)

    # The server changes the later visit meanwhile: the carer's check-in will be based on an
    # old version.
    context.set_offline(True)
    page.reload()
    expect(page.locator("#tablet-ready")).to_contain_text("No signal")
    expect(page.locator("h1")).to_be_visible()
    shot(page, "my-day-offline")
    assert_accessible(page)

    page.on("pageerror", lambda e: print("PAGEERROR", e))
    page.goto(card)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#visit-state")).to_contain_text(SAVED)
    page.locator("#task-1").get_by_role("button", name="Done").click()
    expect(page.locator("#task-1")).to_contain_text(SAVED)
    page.locator("#task-2 summary").click()
    page.locator("#task-2").get_by_label("Refused").check()
    page.locator("#task-2").get_by_role("button", name="Save: not done").click()
    expect(page.locator("#task-2")).to_contain_text(SAVED)
    page.get_by_role("link", name="Write the visit note").click()
    page.locator("textarea[name=body]").fill("Well today; had breakfast and tea.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator("main")).to_contain_text(SAVED)
    assert_accessible(page)
    page.locator(".tablet-saved").get_by_role("link", name="Back to the visit").click()
    page.get_by_role("button", name="Check out").click()
    expect(page.locator("#visit-state")).to_contain_text("You checked out at")
    shot(page, "visit-queued")
    assert_accessible(page)

    # An outcome rated offline on the client's problem page.
    page.goto(f"{base}/clients/{cast.client.id}/problems/{problem.id}/")
    for scale, value in (("knowledge", "3"), ("behaviour", "4"), ("status", "2")):
        page.locator(f"input[name={scale}][value='{value}']").check()
    page.locator("input[name=rated_on]").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the rating").click()
    expect(page.locator("main")).to_contain_text(SAVED)

    # A page that was not kept: the offline page, which says so.
    page.goto(f"{base}/teams/{cast.team.id}/week/")
    expect(page.locator("h1")).to_have_text("This page is not kept on this tablet")
    assert_accessible(page)

    # The later visit: checked in offline while the team changed it on the server.
    page.goto(f"{base}/teams/{cast.team.id}/visits/{later.id}/card/")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#visit-state")).to_contain_text(SAVED)
    later.refresh_from_db()
    visit_services.visit_assign(
        visit=later, version=later.version, member=cast.nurse_membership, actor=cast.nurse
    )

    # Closing the page loses nothing.
    page.close()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(my_day)
    queue = page.locator("#tablet-queue")
    expect(queue.locator("li")).to_have_count(7)
    expect(queue.locator("li", has_text=SAVED)).to_have_count(7)
    assert SyncMutation.objects.count() == 0

    # Nothing of another client is on the tablet.
    kept = kept_on_the_tablet(page)
    assert kept["pages"], "the day was kept"
    other = cast.other_client_same_team
    for held in kept["pages"]:
        assert str(other.id) not in held["url"]
        assert other.family_name not in held["text"]
    assert str(other.id) not in str(kept["queue"]) + str(kept["meta"])

    context.set_offline(False)
    expect(queue.locator(".tablet-tag", has_text=re.compile("^Sent$"))).to_have_count(
        6, timeout=20_000
    )
    conflict = queue.locator("li", has_text="changed by someone else")
    expect(conflict).to_contain_text("Open the visit to see what the team's record has now")
    shot(page, "sent-and-conflict")
    assert_accessible(page)

    # Each item once on the server.
    assert SyncMutation.objects.filter(user=cast.carer).count() == 7
    assert OutcomeRating.objects.get(problem=problem).knowledge == 3
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert VisitTaskOutcome.objects.filter(visit=visit).count() == 2
    note = Note.objects.get(visit_id=visit.id)
    assert note.body == "Well today; had breakfast and tea."

    # The team sees it in another browser.
    team_context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(team_context, base, cast.nurse)
    nurse = team_context.new_page()
    nurse.goto(f"{base}/clients/{cast.client.id}/")
    expect(nurse.locator("main")).to_contain_text("Well today; had breakfast and tea.")
    team_context.close()

    # Signing out with nothing unsent clears the store.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.wait_for_load_state()
    kept = kept_on_the_tablet(page)
    assert kept == {"pages": [], "queue": [], "meta": []}
    context.close()


def test_sign_out_with_unsent_items_warns_and_a_leaver_s_tablet_forgets(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    now = timezone.now()
    visit = a_visit(
        cast, cast.client, now - dt.timedelta(minutes=5), cast.carer_membership, ["Bins out"]
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/teams/{cast.team.id}/today/")
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.goto(f"{base}/teams/{cast.team.id}/visits/{visit.id}/card/")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#visit-state")).to_contain_text(SAVED)

    # The warning before signing out with an unsent item.
    page.get_by_role("button", name="Sign out").click()
    warning = page.locator("#tablet-signout")
    expect(warning).to_contain_text("1 item is not sent yet")
    expect(warning.get_by_role("button", name="Send them first")).to_be_visible()
    shot(page, "sign-out-warning")
    assert_accessible(page)

    # The carer leaves the team; the tablet's next contact makes it forget, once the server
    # has answered the check-in (recorded while a member: held for the team to review, not
    # applied by itself).
    team_services.membership_end(
        membership=cast.carer_membership, version=cast.carer_membership.version, actor=cast.nurse
    )
    context.set_offline(False)
    expect(page.locator("#tablet-ready")).to_contain_text("no longer has access", timeout=20_000)
    expect(page.locator("#tablet-ended")).to_contain_text("held for your team to review")
    kept = kept_on_the_tablet(page)
    assert kept == {"pages": [], "queue": [], "meta": []}
    assert SyncMutation.objects.get().status == "held"
    assert HeldItem.objects.filter(team=cast.team, author=cast.carer).count() == 1
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    context.close()


def test_a_tablet_forgets_the_day_after_the_set_days_without_signing_in(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    a_visit(cast, cast.client, timezone.now(), cast.carer_membership, ["Bins out"])
    base = live_server.url
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = context.new_page()
    page.goto(f"{base}/teams/{cast.team.id}/today/")
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    assert kept_on_the_tablet(page)["pages"]
    # The carer last opened a page signed in 15 days ago (TABLET_KEEP_DAYS is 14).
    page.evaluate(
        """async () => {
          const db = await idb.openDB("careteams-tablet", 1);
          const owner = await db.get("meta", "owner");
          await db.put("meta", {...owner, seenAt: Date.now() - 15 * 86400000}, "owner");
        }"""
    )
    # The session has long ended: the tablet is opened on the sign-in page.
    context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("#tablet-status")).to_be_attached()
    page.wait_for_function("caches.has('careteams-day').then((kept) => !kept)")
    kept = kept_on_the_tablet(page)
    assert kept["pages"] == []
    assert kept["queue"] == []
    context.close()


def test_a_check_in_on_a_connection_that_passes_nothing_is_kept_and_sent_later(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    visit = a_visit(
        cast,
        cast.client,
        timezone.now() - dt.timedelta(minutes=5),
        cast.carer_membership,
        ["Bins out"],
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/teams/{cast.team.id}/visits/{visit.id}/card/")
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    # The browser says online, but nothing gets through to the server.
    context.route("**/sw.js", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#visit-state")).to_contain_text(SAVED)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED

    context.unroute("**/sw.js")
    page.reload()
    expect(page.locator("#tablet-queue .tablet-tag", has_text=re.compile("^Sent$"))).to_have_count(
        1
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    context.close()


def test_a_retry_answer_keeps_the_item_to_send_later_and_a_resync_fetches_the_day_afresh(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    visit = a_visit(
        cast,
        cast.client,
        timezone.now() - dt.timedelta(minutes=5),
        cast.carer_membership,
        ["Bins out"],
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    sign_in(context, base, cast.carer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/teams/{cast.team.id}/visits/{visit.id}/card/")
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.route("**/sw.js", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#visit-state")).to_contain_text(SAVED)
    context.unroute("**/sw.js")

    # The server answers `retry` (its team held by another write past the lock timeout).
    busy: list[int] = []

    def retry_all(route: Any) -> None:
        sent = route.request.post_data_json["mutations"]
        if not sent:
            route.continue_()
            return
        busy.append(len(sent))
        head = route.fetch(post_data='{"mutations": []}').json()
        problem = {"status": 503, "title": "Try again later", "detail": "Busy.", "errors": []}
        results = [
            {
                "mutation_id": m["mutation_id"],
                "kind": m["kind"],
                "status": "retry",
                "problem": problem,
            }
            for m in sent
        ]
        route.fulfill(json={**head, "results": results})

    context.route("**/api/v1/sync/*/mutations", retry_all)
    page.evaluate("window.careteamsTablet.sync.sync()")
    assert busy == [1]
    expect(page.locator("#visit-state")).to_contain_text(SAVED)
    assert not SyncMutation.objects.exists()
    context.unroute("**/api/v1/sync/*/mutations")
    # Sent again by itself after its backoff (5 s), with the same id: applied once.
    sent = page.locator("#tablet-queue .tablet-tag", has_text=re.compile("^Sent$"))
    expect(sent).to_have_count(1, timeout=20_000)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    assert SyncMutation.objects.count() == 1

    # A pull told to resync (the database restored under the tablet) fetches the day afresh,
    # which a sync with nothing to send and a fresh day does not.
    page.evaluate("window.careteamsTablet.sync.sync()")  # after the one that sent it, settled
    kept: list[str] = []

    def keep(request: Request) -> None:
        if "bundle.json" in request.url:
            kept.append(request.url)

    page.on("request", keep)
    page.evaluate("window.careteamsTablet.sync.sync()")
    assert kept == []
    resync = {"type": "/api/v1/docs#problem-resync", "title": "Resync needed", "status": 409}
    context.route(
        "**/api/v1/sync/*/changes*",
        lambda route: route.fulfill(
            status=409, json=resync, headers={"Content-Type": "application/problem+json"}
        ),
    )
    page.evaluate("window.careteamsTablet.sync.sync()")
    assert len(kept) == 1
    context.unroute("**/api/v1/sync/*/changes*")
    expect(page.locator("#tablet-ready")).to_contain_text(READY)
    context.close()
