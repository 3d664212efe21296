"""Two people plan the same week on two tablets: what one does shows on the other's board
without a reload, and each sees that the other is there."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from careteams.models import User
from scheduling.models import Visit
from tests.conftest import Cast
from tests.e2e.conftest import assert_accessible
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db(transaction=True)


def tablet_for(browser: Browser, base_url: str, user: User) -> Page:
    client = HttpClient()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_visit_assigned_on_one_tablet_changes_the_board_on_the_other(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(0, "08:00"),
        planned_end=on(0, "08:30"),
    )
    url = asgi_url + reverse(
        "scheduling:week", kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat()}
    )
    planner = tablet_for(browser, asgi_url, cast.nurse)
    watcher = tablet_for(browser, asgi_url, cast.carer)
    try:
        watcher.goto(url)
        expect(watcher.locator("#live-status")).to_have_text("Live")
        planner.goto(url)
        expect(planner.locator("#live-status")).to_have_text("Live")
        expect(watcher.locator("#live-presence")).to_contain_text("Siân Ellis")
        problems = watcher.locator("#problems")
        expect(problems.locator("li", has_text="has no carer")).to_have_count(1)

        label = "Dafydd Llŷr, Monday 25 November at 08:00"
        planner.get_by_label(f"Carer for {label}").select_option(label="Aoife Ní Bhriain")
        planner.get_by_role("button", name=f"Assign a carer to {label}").click()

        # The watcher never reloads: the socket's event refreshes its board fragment.
        expect(problems.locator("li", has_text="has no carer")).to_have_count(0)
        expect(watcher.locator("#board")).to_contain_text("Aoife Ní Bhriain")
        expect(watcher.locator("#live-status")).to_have_text("Live")
        assert_accessible(watcher)

        planner.context.close()
        expect(watcher.locator("#live-presence")).not_to_contain_text("Siân Ellis")
    finally:
        watcher.context.close()
