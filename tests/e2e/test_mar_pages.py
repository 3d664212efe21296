"""The MAR chart on a tablet in landscape (1024x768): the month and the week, and the family's
plain version, each passing axe-core's WCAG 2.2 A/AA checks; the month's grid scrolls sideways
inside its own region with the medicine column in view, and a gap reads "NR"."""

from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import Page, expect

from careteams.models import User
from tests.conftest import Cast
from tests.e2e.conftest import assert_accessible
from tests.medicines.mar_world import world

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Page, base: str, user: User) -> None:
    client = HttpClient()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_the_mar_month_week_and_family_version_pass_axe_on_a_tablet(
    page: Page, live_server: object, cast: Cast, tmp_path: Path
) -> None:
    base: str = live_server.url  # type: ignore[attr-defined]
    world(cast, correction=False)
    page.set_viewport_size({"width": 1024, "height": 768})
    signed_in(page, base, cast.nurse)
    kwargs = {"client_id": cast.client.id, "day": "2025-11-01"}
    page.goto(base + reverse("mar:month", kwargs=kwargs))
    expect(page.get_by_role("heading", level=1)).to_contain_text("November 2025")
    expect(page.locator(".mar-cell--gap").first).to_have_text("NR no record")
    region = page.get_by_role("region")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    assert_accessible(page)
    region.screenshot(path=tmp_path / "mar-month.png")
    page.goto(base + reverse("mar:week", kwargs={**kwargs, "day": "2025-11-03"}))
    expect(page.locator("td.mar-cell--recorded").first).to_contain_text("AN")
    assert_accessible(page)
    page.get_by_role("region").screenshot(path=tmp_path / "mar-week.png")
    signed_in(page, base, cast.family)
    page.goto(
        base
        + reverse("mar:family-medicines", kwargs={"client_id": cast.client.id})
        + "?week=2025-11-03"
    )
    expect(page.get_by_text("Said no to it").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "mar-family.png", full_page=True)
