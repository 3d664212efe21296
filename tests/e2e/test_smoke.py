"""A person signs in on a tablet, lands on their team's page, and signs out; every page passes
axe-core's WCAG 2.2 A/AA checks."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_nurse_signs_in_lands_on_her_day_and_signs_out(
    page: Page, live_server: object, cast: Cast
) -> None:
    page.goto(f"{live_server.url}/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    page.get_by_label("Email address").fill(cast.nurse.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("My day")
    assert_accessible(page)
    page.get_by_role("link", name=cast.team.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.team.name)
    expect(page.get_by_role("cell", name="Aoife Ní Bhriain", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_wrong_password_shows_an_accessible_error(
    page: Page, live_server: object, cast: Cast
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill(cast.nurse.email)
    page.get_by_label("Password").fill("wrong password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)
