"""Messages and handovers in the browser: a message sent on one tablet arrives on another
without a reload (appended, not the page redrawn); a handover note written for a client is on
the next carer's visit and My day until they mark it read. axe-core finds nothing, and the
controls are at least 44px."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from careteams.models import User
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def tablet_for(browser: Browser, base_url: str, user: User) -> Page:
    client = HttpClient()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def at_least_44px(target: Locator) -> None:
    box = target.bounding_box()
    assert box is not None
    assert box["height"] >= 44, box
    assert box["width"] >= 44, box


def test_a_message_sent_on_one_tablet_arrives_live_on_another(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    url = asgi_url + reverse("messaging:team-channel", kwargs={"team_id": cast.team.id})
    reader = tablet_for(browser, asgi_url, cast.carer)
    writer = tablet_for(browser, asgi_url, cast.nurse)
    try:
        reader.goto(url)
        expect(reader.locator("#live-status")).to_have_text("Live")
        # A mark on the page itself: still there afterwards means no reload happened.
        reader.evaluate("document.body.dataset.sameVisit = 'yes'")
        writer.goto(url)
        expect(writer.locator("#live-status")).to_have_text("Live")
        writer.get_by_label("Message", exact=True).fill("The team car is back from the garage.")
        send = writer.get_by_role("button", name="Send message")
        at_least_44px(send)
        send.click()

        items = writer.locator("#message-list > li")
        expect(items).to_have_count(1)
        expect(writer.get_by_label("Message", exact=True)).to_have_value("")

        arrived = reader.locator("#message-list > li")
        expect(arrived).to_have_count(1)
        expect(arrived).to_contain_text("The team car is back from the garage.")
        expect(arrived).to_contain_text("Siân Ellis")
        assert reader.evaluate("document.body.dataset.sameVisit") == "yes"
        expect(reader.locator("#no-messages")).to_have_count(0)
        assert_accessible(reader)
        assert_accessible(writer)
    finally:
        writer.context.close()
        reader.context.close()


def test_a_handover_note_is_on_the_next_visit_and_my_day_until_marked_read(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    start = timezone.now() + dt.timedelta(hours=2)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    day = timezone.localtime(start, cast.team.zone).date().isoformat()
    my_day = asgi_url + reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
    my_day += f"?day={day}"
    visit_page = asgi_url + reverse(
        "scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id}
    )

    nurse = tablet_for(browser, asgi_url, cast.nurse)
    carer = tablet_for(browser, asgi_url, cast.carer)
    try:
        nurse.goto(
            asgi_url + reverse("messaging:client-channel", kwargs={"client_id": cast.client.id})
        )
        assert_accessible(nurse)
        nurse.get_by_role("link", name="Write a handover note about Dafydd Llŷr").click()
        nurse.get_by_label("Handover note").fill("Dafydd fell last night: check his left hip.")
        nurse.get_by_role("button", name="Save the handover note").click()
        expect(nurse.locator(".app-handover-log")).to_contain_text("check his left hip")

        carer.goto(my_day)
        expect(carer.locator("#live-status")).to_have_text("Live")
        expect(carer.locator("#my-handovers")).to_contain_text("check his left hip")
        assert_accessible(carer)

        carer.goto(visit_page)
        handovers = carer.locator("#visit-handovers")
        expect(handovers).to_contain_text("check his left hip")
        read = handovers.get_by_role("button", name="handover about Dafydd Llŷr from Siân Ellis")
        at_least_44px(read)
        assert_accessible(carer)
        read.click()
        expect(handovers.get_by_role("status")).to_have_text("Handover marked read.")

        carer.goto(my_day)
        expect(carer.locator("#my-handovers")).not_to_contain_text("check his left hip")
        carer.goto(visit_page)
        expect(carer.locator("#visit-handovers")).to_contain_text("None waiting for you")
    finally:
        carer.context.close()
        nurse.context.close()
