"""Pages stay live: what one person does shows on another's tablet without a reload (the week
board, the client record, my day), and people on the same board see each other."""

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


def assign(planner: Page, client: str, time: str, carer: str = "Aoife Ní Bhriain") -> None:
    """On the week board: open the visit's form, choose the carer, assign."""
    planner.get_by_role("link", name=f"Choose a carer for {client} at {time}").click()
    # Each option is a member and their hints: chosen by the name it starts with.
    select = planner.get_by_label(f"Carer for {client}, Monday 25 November at {time}")
    select.select_option(select.locator("option", has_text=f"{carer} – ").get_attribute("value"))
    # Nobody has a shift in these tests: a hard rule, so each choice comes with its reason.
    planner.get_by_label("Reason, if it breaks a rule").fill("Covering today")
    planner.get_by_role("button", name=f"Assign the carer to {client} at {time}").click()


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
    url += "?view=list"  # the list of visits, the board's accessible alternative
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

        assign(planner, "Dafydd Llŷr", "08:00")

        # The watcher never reloads: the socket's event refreshes that visit's row alone.
        expect(problems.locator("li", has_text="has no carer")).to_have_count(0)
        expect(watcher.locator("#day-visits")).to_contain_text("Aoife Ní Bhriain")
        expect(watcher.locator("#live-status")).to_have_text("Live")
        assert_accessible(watcher)

        planner.context.close()
        expect(watcher.locator("#live-presence")).not_to_contain_text("Siân Ellis")
    finally:
        watcher.context.close()


def test_a_note_written_on_one_tablet_appears_on_the_client_record_open_on_another(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    record = asgi_url + reverse("clients:client-detail", kwargs={"client_id": cast.client.id})
    reader = tablet_for(browser, asgi_url, cast.carer)
    writer = tablet_for(browser, asgi_url, cast.nurse)
    try:
        reader.goto(record)
        expect(reader.locator("#live-status")).to_have_text("Live")
        writer.goto(record)
        writer.locator("#record").get_by_role("link", name="Write a note").click()
        writer.get_by_label("Note", exact=True).fill("Wound dressing changed; healing well.")
        writer.get_by_role("button", name="Save the note").click()
        expect(writer.locator("#record")).to_contain_text("Wound dressing changed")

        expect(reader.locator("#record")).to_contain_text("Wound dressing changed; healing well.")
        expect(reader.locator("#live-status")).to_have_text("Live")
    finally:
        writer.context.close()
        reader.context.close()


def test_a_visit_given_to_me_on_the_board_appears_on_my_day(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(0, "10:00"),
        planned_end=on(0, "10:30"),
    )
    carer = tablet_for(browser, asgi_url, cast.carer)
    planner = tablet_for(browser, asgi_url, cast.nurse)
    try:
        day = reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
        carer.goto(f"{asgi_url}{day}?day={MONDAY.isoformat()}")
        expect(carer.locator("#live-status")).to_have_text("Live")
        expect(carer.locator("#my-day")).not_to_contain_text("Dafydd Llŷr")

        week = reverse(
            "scheduling:week", kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat()}
        )
        planner.goto(asgi_url + week + "?view=list")
        assign(planner, "Dafydd Llŷr", "10:00")

        expect(carer.locator("#my-day")).to_contain_text("Dafydd Llŷr")
    finally:
        planner.context.close()
        carer.context.close()


def test_a_note_shared_with_the_family_appears_on_the_family_page_without_a_reload(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    family = tablet_for(browser, asgi_url, cast.family)
    nurse = tablet_for(browser, asgi_url, cast.nurse)
    try:
        family.goto(
            asgi_url + reverse("clients:family-client", kwargs={"client_id": cast.client.id})
        )
        expect(family.locator("#live-status")).to_have_text("Live")
        nurse.goto(asgi_url + reverse("clients:note-new", kwargs={"client_id": cast.client.id}))
        nurse.get_by_label("Note", exact=True).fill("Dafydd enjoyed the garden today.")
        nurse.get_by_label("Share with the client and family").check()
        nurse.get_by_role("button", name="Save the note").click()
        expect(nurse.locator("#record")).to_contain_text("Dafydd enjoyed the garden today.")

        expect(family.locator("#family-view")).to_contain_text("Dafydd enjoyed the garden today.")
        assert_accessible(family)
    finally:
        nurse.context.close()
        family.context.close()
