"""The team reviews what a former member's tablet sent (issue 26) in a browser: the page reads
the held check-in in plain words, its form's targets are at least 44 px, it passes axe, and
marking it reviewed shows who reviewed it."""

import datetime as dt
import uuid
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, expect

from careteams.models import Membership
from scheduling.models import Visit
from tablet.models import HeldItem, HeldOutcome
from tablet.services import held_item_hold
from tests.conftest import Cast
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_tablet_offline import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CHECKED_IN = dt.datetime(2025, 12, 7, 9, 12, tzinfo=dt.UTC)


def at_least_44px(target: Locator) -> None:
    box = target.bounding_box()
    assert box is not None
    assert box["height"] >= 44, box
    assert box["width"] >= 44, box


def test_a_member_reviews_a_held_check_in_on_a_tablet_sized_page(
    browser: Browser, live_server: Any, cast: Cast
) -> None:
    Membership.objects.filter(pk=cast.carer_membership.pk).update(
        started_at=CHECKED_IN - dt.timedelta(days=30), ended_at=CHECKED_IN + dt.timedelta(hours=3)
    )
    cast.carer_membership.refresh_from_db()
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.other_client_same_team,
        planned_start=CHECKED_IN,
        planned_end=CHECKED_IN + dt.timedelta(minutes=30),
    )
    held = held_item_hold(
        membership=cast.carer_membership,
        mutation_id=uuid.uuid4(),
        kind="visit.check_in",
        payload={"visit_id": str(visit.id)},
        recorded_at=CHECKED_IN,
    )
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    sign_in(context, live_server.url, cast.nurse)
    page = context.new_page()

    page.goto(f"{live_server.url}/teams/{cast.team.id}/")
    page.get_by_role("link", name="From a former member's tablet").click()
    card = page.locator(f"#held-{held.id}")
    expect(card).to_contain_text("Check-in at 09:12 for the visit to Mary O'Neill on 7 Dec")
    assert_accessible(page)
    at_least_44px(card.get_by_role("button", name="Mark as reviewed"))
    at_least_44px(card.locator("label", has_text="Entered into the record"))

    card.get_by_label("Entered into the record").check()
    card.get_by_label("Comment").fill("Entered on the visit by hand.")
    card.get_by_role("button", name="Mark as reviewed").click()

    expect(card).to_contain_text("Reviewed by Siân Ellis")
    held.refresh_from_db()
    assert held.outcome == HeldOutcome.ENTERED
    assert HeldItem.objects.count() == 1
    context.close()
