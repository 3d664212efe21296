"""A nurse adds a problem to the care plan, rates it and writes a note shared with the family;
the family member signs in and reads it in plain words. Every page passes axe-core's WCAG 2.2
A/AA checks."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from clients.models import CareProblem, Note, OutcomeRating
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_as_nurse(page: Page, live_server: object, cast: Cast) -> None:
    """Through a session cookie: the sign-in page has its own browser test."""
    client = HttpClient()
    client.force_login(cast.nurse)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]  # type: ignore[attr-defined]
    )


def test_the_nurse_plans_and_shares_and_the_family_reads_it(
    page: Page, browser: Browser, live_server: object, cast: Cast
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    sign_in_as_nurse(page, live_server, cast)
    page.goto(f"{base}{reverse('clients:client-detail', kwargs={'client_id': cast.client.id})}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dafydd Llŷr")
    assert_accessible(page)

    page.get_by_role("link", name="Add a problem").first.click()
    page.get_by_label("Problem").select_option(label="22 Pain")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add Pain")
    assert_accessible(page)
    page.get_by_label("expresses discomfort/pain").check()
    page.get_by_role("button", name="Add the problem").click()
    expect(page.get_by_text("Pain added to the care plan")).to_be_visible()
    assert CareProblem.objects.filter(client=cast.client, problem_code="22").exists()

    page.get_by_label("Category").select_option(label="Treatments and Procedures")
    page.get_by_label("Target", exact=True).select_option(label="medication administration")
    page.get_by_label("What we do").fill("Give the prescribed pain relief and check it helps")
    page.get_by_label("How often").fill("every morning")
    page.get_by_role("button", name="Add the intervention").click()
    expect(page.get_by_text("Intervention added")).to_be_visible()

    for scale, score in (("Knowledge", "3"), ("Behaviour", "4"), ("Status", "2")):
        page.get_by_role("group", name=scale).get_by_label(score, exact=True).check()
    page.get_by_role("button", name="Record the rating").click()
    expect(page.get_by_text("Rating recorded")).to_be_visible()
    expect(page.get_by_role("img", name="Pain: knowledge, behaviour and status")).to_be_visible()
    assert OutcomeRating.objects.get().status == 2
    assert_accessible(page)

    page.get_by_role("link", name="Back to Dafydd Llŷr’s record").click()
    page.get_by_role("link", name="Write a note").first.click()
    page.get_by_label("Note", exact=True).fill("Dafydd walked to the garden gate today.")
    page.get_by_label("Pain").check()
    page.get_by_label("Share with the client and family").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Note saved")).to_be_visible()
    assert Note.objects.get().shareable

    family = browser.new_context(viewport={"width": 1180, "height": 820}, locale="en-GB")
    try:
        reader = family.new_page()
        reader.set_default_timeout(10_000)
        reader.goto(f"{base}/accounts/login/")
        reader.get_by_label("Email address").fill(cast.family.email)
        reader.get_by_label("Password").fill(PASSWORD)
        reader.get_by_role("button", name="Sign in").click()
        expect(reader.get_by_role("heading", level=1)).to_be_visible()
        url = reverse("clients:family-client", kwargs={"client_id": cast.client.id})
        reader.goto(f"{base}{url}")
        expect(reader.get_by_role("heading", level=1)).to_contain_text("Dafydd’s care")
        expect(reader.get_by_role("heading", name="Pain")).to_be_visible()
        expect(reader.get_by_text("Give the prescribed pain relief")).to_be_visible()
        expect(reader.get_by_text("Dafydd walked to the garden gate today.")).to_be_visible()
        expect(reader.locator("main")).not_to_contain_text("Key safe")
        expect(reader.locator("main")).not_to_contain_text("Knowledge")
        assert_accessible(reader)
    finally:
        family.close()
