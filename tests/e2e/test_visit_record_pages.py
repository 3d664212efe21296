"""The record's doorstep pages, the team's figures with missed visits and the family's today,
in a browser on a tablet: each passes axe-core's WCAG 2.2 A/AA checks, and an emergency contact
added in the browser shows on the record."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from careteams.models import User
from clients.models import CareProblem, Intervention
from scheduling.models import Visit
from tests.conftest import Cast
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Page, base: str, user: User) -> None:
    client = HttpClient()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_the_doorstep_pages_and_the_familys_today_pass_axe(
    page: Page, live_server: object, cast: Cast, midday: dt.datetime
) -> None:
    # At midday (the live server runs in this process, on its clock): a visit due two hours ago
    # is today's and late. Run just after midnight, it was yesterday's, and the family's today
    # said "No visits today".
    base: str = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 768, "height": 1024})
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="27", identified_on=dt.date(2026, 1, 5)
    )
    intervention = Intervention.objects.create(
        problem=problem, category="treatments", target="49", care_description="Insulin at 08:00"
    )
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    late = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        window_start=start,
        window_end=start + dt.timedelta(minutes=45),
    )
    late.assignments.create(member=cast.carer_membership)
    client_id = {"client_id": cast.client.id}

    signed_in(page, base, cast.nurse)
    page.goto(base + reverse("clients:contact-new", kwargs=client_id))
    assert_accessible(page)
    page.get_by_label("Name").fill("Carys Llŷr")
    page.get_by_label("Relationship").fill("Daughter")
    page.get_by_label("Phone").fill("07700 900123")
    page.get_by_label("Only that they are safe or unwell").check()
    page.get_by_role("button", name="Add the contact").click()
    expect(page.locator("main")).to_contain_text("Carys Llŷr")
    assert_accessible(page)

    for url in (
        reverse("clients:client-doorstep", kwargs=client_id),
        reverse(
            "clients:intervention-schedule",
            kwargs={**client_id, "problem_id": problem.id, "intervention_id": intervention.id},
        ),
        reverse("clients:problem-detail", kwargs={**client_id, "problem_id": problem.id}),
        reverse("scheduling:figures", kwargs={"team_id": cast.team.id}),
    ):
        page.goto(base + url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    family = page.context.browser.new_context(  # type: ignore[union-attr]
        viewport={"width": 768, "height": 1024}, locale="en-GB"
    ).new_page()
    try:
        signed_in(family, base, cast.family)
        family.goto(base + reverse("clients:family-client", kwargs=client_id))
        expect(family.locator("main")).to_contain_text("Running late")
        assert_accessible(family)
    finally:
        family.context.close()
