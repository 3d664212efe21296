"""The team plans a week in the browser: generate the visits, assign one and watch the problems
change, publish, and download the rota. Every page passes axe-core's WCAG 2.2 A/AA checks."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import Page, expect

from scheduling.models import RotaStatus, RotaWeek, VisitPattern
from tests.conftest import Cast
from tests.e2e.conftest import assert_accessible
from tests.scheduling.conftest import MONDAY
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, live_server: object, cast: Cast) -> None:
    """Sign in through a session cookie: the sign-in page has its own browser test."""
    client = HttpClient()
    client.force_login(cast.nurse)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]  # type: ignore[attr-defined]
    )


def test_the_team_generates_assigns_publishes_and_downloads_its_week(
    page: Page, live_server: object, cast: Cast
) -> None:
    VisitPattern.objects.create(
        team=cast.team,
        client=cast.client,
        weekdays=[1, 2, 3],
        window_start=dt.time(8, 0),
        window_end=dt.time(8, 30),
        duration_minutes=30,
        required_skills=["insulin"],
        tasks=["Insulin"],
        valid_from=MONDAY,
    )
    sign_in(page, live_server, cast)
    url = reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat()})
    page.goto(f"{live_server.url}{url}?view=list")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week of Monday 25 November 2030")
    assert_accessible(page)

    page.get_by_role("button", name="Generate visits from patterns").click()
    expect(page.get_by_text("3 visits made from the patterns")).to_be_visible()
    problems = page.locator("#problems")
    # The board lists the problems of the day shown (Monday), and counts the week's.
    expect(problems.locator("li", has_text="has no carer")).to_have_count(1)
    expect(problems).to_contain_text("Planning warnings: 5")  # 3 visits, 2 members' hours
    expect(problems).not_to_contain_text("no shift covering it")

    page.get_by_role("link", name="Choose a carer for Dafydd Llŷr at 08:00").click()
    # Each option is a member and their hints: chosen by the name it starts with.
    select = page.get_by_label("Carer for Dafydd Llŷr, Monday 25 November at 08:00")
    select.select_option(select.locator("option", has_text="Siân Ellis – ").get_attribute("value"))
    # She has no shift then: a hard rule, so the choice comes with its reason.
    page.get_by_label("Reason, if it breaks a rule").fill("Siân covers the early visit")
    page.get_by_role("button", name="Assign the carer to Dafydd Llŷr at 08:00").click()
    expect(problems.locator("li", has_text="has no carer")).to_have_count(0)
    expect(problems).to_contain_text("Siân Ellis is assigned to Dafydd Llŷr")
    expect(problems).to_contain_text("with no shift covering it")
    assert_accessible(page)

    page.get_by_role("link", name="Publish the week…").click()
    page.get_by_label("The team publishes the week with").check()
    page.get_by_role("button", name="Publish the week").click()
    expect(page.locator("h1 .nhsuk-tag")).to_have_text("Published")
    assert RotaWeek.objects.get(team=cast.team).status == RotaStatus.PUBLISHED

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rota (PDF)").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Siân Ellis" in text
    assert "Aoife Ní Bhriain" in text
