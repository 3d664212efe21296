"""In a browser on a tablet: a carer finds "Where you start your day" from their account, fills
it from the tablet's location, checks the numbers and saves it with the keyboard; then forgets
it. The page passes axe-core's WCAG 2.2 A/AA checks at both orientations, every target is at
least 44 px and nothing pans sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from scheduling.start_models import StartPoint
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_check_in_location import signed_in
from tests.e2e.test_touch_targets import MEASURE, PANS_SIDEWAYS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "size",
    [{"width": 1024, "height": 768}, {"width": 768, "height": 1024}],
    ids=["landscape", "portrait"],
)
def test_a_carer_sets_where_they_start_their_day_from_the_tablet_and_forgets_it(
    page: Page, live_server: object, cast: Cast, size: ViewportSize
) -> None:
    base: str = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(size)
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 51.481234, "longitude": -3.179876, "accuracy": 20})
    signed_in(page, base, cast.carer)
    page.goto(base + reverse("account-security"))
    page.get_by_role("link", name="Where your working day starts and ends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you start your day")
    assert_accessible(page)
    page.get_by_role("button", name="Use where I am now").click()
    filled = page.get_by_text("Filled in, within 20 m. Check the numbers, then save.")
    expect(filled).to_be_visible()
    expect(page.get_by_label("Latitude")).to_have_value("51.48123")
    expect(page.get_by_label("Longitude")).to_have_value("-3.17988")
    page.get_by_label("Longitude").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved. The planner counts your travel from here.")).to_be_visible()
    saved = StartPoint.objects.get(user=cast.carer)
    assert (saved.latitude, saved.longitude) == (51.48123, -3.17988)
    assert page.evaluate(MEASURE) == []
    assert not page.evaluate(PANS_SIDEWAYS)
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"start_point_{size['width']}.png", full_page=True)
    page.get_by_role("button", name="Forget it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you start your day")
    assert not StartPoint.objects.filter(user=cast.carer).exists()
