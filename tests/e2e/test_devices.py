"""The Security page on a small tablet (1024x768): the app's devices are listed, each can be
signed out after a plain-words confirmation, every target is at least 44px, and axe-core finds
nothing."""

import os

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from accounts import tokens
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("DEVICE_SCREENSHOTS", "")


def at_least_44px(target: Locator) -> None:
    box = target.bounding_box()
    assert box is not None
    assert box["height"] >= 44, box
    assert box["width"] >= 44, box


def test_a_carer_signs_a_lost_phone_out_from_the_security_page(
    browser: Browser, live_server: object, cast: Cast
) -> None:
    tokens.token_issue(user=cast.carer, name="Lost phone", address="203.0.113.20")
    kept = tokens.token_issue(user=cast.carer, name="Ward tablet", address="198.51.100.7")
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    page: Page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill(cast.carer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/accounts/security/")  # type: ignore[attr-defined]

    expect(page.get_by_role("cell", name="Lost phone", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="203.0.113.20")).to_be_visible()
    assert_accessible(page)
    for link in page.get_by_role("link", name="Sign out").all():
        at_least_44px(link)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/security.png", full_page=True)

    page.get_by_role("link", name="Sign out Lost phone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out “Lost phone”?")
    assert_accessible(page)
    at_least_44px(page.get_by_role("button", name="Sign out this device"))
    at_least_44px(page.get_by_role("link", name="Keep it signed in"))
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/confirm.png", full_page=True)

    page.get_by_role("button", name="Sign out this device").click()
    expect(page.get_by_text("“Lost phone” is signed out.")).to_be_visible()
    expect(page.get_by_role("cell", name="Lost phone", exact=True)).to_have_count(0)
    expect(page.get_by_role("cell", name="Ward tablet", exact=True)).to_be_visible()
    assert tokens.token_works(device_id=kept.device.id)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/after.png", full_page=True)
    context.close()
