"""A carer switches to Cymraeg with the keyboard on a small tablet; the page says lang="cy",
and after signing out the sign-in page still does; axe finds nothing in either language."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

MOST_TABS = 30


def _tab_to(page: Page, text: str) -> None:
    """Tab from the top of the page until the control named `text` has the focus."""
    page.locator("body").focus()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    pytest.fail(f"No control named {text!r} within {MOST_TABS} presses of Tab")


def test_a_carer_switches_to_cymraeg_by_keyboard_and_it_survives_sign_out(
    page: Page, live_server: object, cast: Cast
) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill(cast.carer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    signed_in_at = page.url

    _tab_to(page, "Cymraeg")
    button = page.get_by_role("button", name="Cymraeg")
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 44
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url == signed_in_at  # back to the same page
    expect(page.locator('[aria-current="true"][lang="cy"]')).to_have_text("Cymraeg")
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en-gb")
    assert_accessible(page)

    page.locator("form[action$='/logout/'] button").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
