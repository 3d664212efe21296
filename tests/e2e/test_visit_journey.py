"""A carer's visit on a tablet, in both orientations: sign in, land on My day, open the visit,
read the key safe and the risks, check in, mark the tasks, write the visit note from the card,
check out; the team's day in a second browser shows the visit done without a reload. Every
page passes axe-core's WCAG 2.2 AA, and every touch target on My day and the card is at least
44 by 44 px."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from careteams.models import User
from scheduling.models import Visit
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
# Two browsers and a worker on a shared machine: give each expectation time to come true.
expect.set_options(timeout=15_000)

TABLETS = {"landscape": (1024, 768), "portrait": (768, 1024)}
TARGETS = "main a, main button, main summary, main select, main input:not([type=hidden])"

# Each target's box; radios and checkboxes count by their label (the NHS.UK input is hidden
# under a 40px drawn box, and the label is what a finger presses).
MEASURE = """
(selector) => Array.from(document.querySelectorAll(selector))
  .filter((el) => el.offsetParent !== null)
  .map((el) => {
    let box = el.getBoundingClientRect();
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      const label = document.querySelector('label[for="' + el.id + '"]');
      if (label) box = label.getBoundingClientRect();
    }
    return {what: (el.outerHTML || '').slice(0, 90), width: box.width, height: box.height};
  })
"""


def small_targets(page: Page) -> list[dict[str, float | str]]:
    found: list[dict[str, float | str]] = page.evaluate(MEASURE, TARGETS)
    return [t for t in found if float(t["width"]) < 44 or float(t["height"]) < 44]


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=Path(SCREENSHOTS) / f"visit-journey-{name}.png", full_page=True)


def signs_in_on_the_worker(user: User) -> None:
    """The tests hash passwords with MD5 for speed; the ASGI worker runs the real settings,
    whose hashers do not read MD5: store the password as the worker checks it."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])


def a_visit_now(cast: Cast) -> Visit:
    client = cast.client
    client.preferred_name = "Dai"
    client.date_of_birth = dt.date(1941, 3, 9)
    client.address_line_1 = "4 Heol y Castell"
    client.risk_flags = ["falls", "animals"]
    client.save()
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    visit = Visit.objects.create(
        team=cast.team,
        client=client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        window_start=start,
        window_end=start + dt.timedelta(minutes=45),
        tasks=["Medication prompt", "Breakfast", "Check the heel dressing"],
    )
    visit.assignments.create(member=cast.carer_membership)
    return visit


def team_tablet(browser: Browser, base_url: str, user: User, size: tuple[int, int]) -> Page:
    client = HttpClient()
    client.force_login(user)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("orientation", list(TABLETS))
def test_a_carer_does_a_whole_visit_on_a_tablet_and_the_team_sees_it_live(
    browser: Browser, asgi_url: str, cast: Cast, orientation: str
) -> None:
    size = TABLETS[orientation]
    visit = a_visit_now(cast)
    signs_in_on_the_worker(cast.carer)
    team_day = asgi_url + reverse("scheduling:team-today", kwargs={"team_id": cast.team.id})
    watcher = team_tablet(browser, asgi_url, cast.nurse, size)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="en-GB")
    carer = context.new_page()
    carer.set_default_timeout(15_000)
    try:
        watcher.goto(team_day)
        expect(watcher.locator("#live-status")).to_have_text("Live")
        row = watcher.locator(f"#row-{visit.id}")
        expect(row).to_contain_text("Planned")
        assert_accessible(watcher)

        carer.goto(f"{asgi_url}/accounts/login/")
        carer.get_by_label("Email address").fill(cast.carer.email)
        carer.get_by_label("Password").fill(PASSWORD)
        carer.get_by_role("button", name="Sign in").click()
        expect(carer.get_by_role("heading", level=1)).to_contain_text("My day")
        assert small_targets(carer) == []
        assert_accessible(carer)
        shot(carer, f"{orientation}-my-day")

        carer.get_by_role("link", name="Open the visit").first.click()
        expect(carer.locator(".visit-card__access")).to_contain_text("Key safe 1234")
        expect(carer.locator(".visit-card__risks")).to_contain_text("Falls risk")
        assert small_targets(carer) == []
        assert_accessible(carer)
        shot(carer, f"{orientation}-card")

        carer.get_by_role("button", name="Check in", exact=True).click()
        expect(carer.locator("#visit-state")).to_contain_text("In progress")
        for index in (1, 2):
            carer.locator(f"#task-{index} .visit-task__done button").click()
            expect(carer.locator(f"#task-{index} .visit-task__state")).to_contain_text("Done")
        task = carer.locator("#task-3")
        task.locator("summary").click()
        task.get_by_label("Refused").check()
        task.locator("button", has_text="Save: not done").click()
        expect(carer.locator("#task-3 .visit-task__state")).to_contain_text("Not done: refused")
        assert small_targets(carer) == []
        assert_accessible(carer)
        shot(carer, f"{orientation}-tasks")

        carer.get_by_role("link", name="Write the visit note").click()
        carer.get_by_label("Note").first.fill("Breakfast eaten, tablets taken. Heel check refused.")
        carer.get_by_role("button", name="Save the note").click()
        expect(carer.get_by_role("heading", level=1)).to_contain_text("Dai")
        expect(carer.locator("main")).to_contain_text("Heel check refused.")

        carer.get_by_role("link", name="Check out").click()
        expect(carer.locator("main")).to_contain_text("2 of 3 done")
        assert_accessible(carer)
        carer.get_by_role("button", name="Check out").click()
        expect(carer.locator("#visit-state")).to_contain_text("Done")

        # The team's day never reloads: the socket's event refreshes its fragment.
        expect(row).to_contain_text("Done")
        expect(watcher.locator("#live-status")).to_have_text("Live")
        shot(watcher, f"{orientation}-team-day")
    except Exception:
        shot(carer, f"{orientation}-failed")
        raise
    finally:
        watcher.context.close()
        context.close()
