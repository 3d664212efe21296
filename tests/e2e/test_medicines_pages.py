"""The medicines list in a browser at 1024x768: a nurse adds a twice-daily medicine and a PRN
painkiller, a second member checks the first; the pages pass axe-core's WCAG 2.2 A/AA checks
and every target is at least 44 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from careteams.models import User
from medicines.models import MedicineLine
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.signed_in import signed_in_tablet
from tests.e2e.test_touch_targets import _small_targets

pytestmark = pytest.mark.django_db(transaction=True)


def tablet(browser: Browser, base: str, user: User) -> Page:
    return signed_in_tablet(browser, base, user, timeout_ms=10_000)


def add(page: Page, fields: dict[str, str], selects: dict[str, str], *, prn: bool) -> None:
    page.get_by_role("link", name="Add a medicine").click()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    for label, value in selects.items():
        page.get_by_label(label, exact=True).select_option(value)
    if prn:
        page.get_by_label("When required (PRN)").check()
    page.get_by_role("button", name="Save").click()


def test_a_nurse_adds_two_medicines_and_a_colleague_checks_one(
    browser: Browser, live_server: object, cast: Cast
) -> None:
    base: str = live_server.url  # type: ignore[attr-defined]
    nurse = tablet(browser, base, cast.nurse)
    medicines = base + reverse("medicines:list", kwargs={"client_id": cast.client.id})
    nurse.goto(medicines)
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Medicines")
    assert_accessible(nurse)
    common = {"Dose unit": "tablet", "Starts on": "2026-03-01"}
    choices = {"Form": "tablet", "Route": "oral", "Support": "administer", "Supply": "blister"}
    add(
        nurse,
        {
            **common,
            "Medicine": "Metformin",
            "Strength": "500 mg",
            "Dose (least)": "1",
            "Dose (most)": "1",
            "Times of day": "08:00, 18:00",
        },
        {**choices, "Source": "gp_letter"},
        prn=False,
    )
    expect(nurse.get_by_text("Awaiting a second person's check")).to_be_visible()
    assert_accessible(nurse)
    nurse.goto(medicines)
    add(
        nurse,
        {
            **common,
            "Medicine": "Paracetamol",
            "Strength": "500 mg",
            "Dose (least)": "1",
            "Dose (most)": "2",
            "Times of day": "",
            "What for": "Pain",
            "Least time between doses (minutes)": "240",
            "Most in 24 hours": "8",
            "If it does not work": "Ring the GP",
        },
        {**choices, "Source": "pharmacy"},
        prn=True,
    )
    expect(nurse.get_by_role("heading", name="When-required protocol")).to_be_visible()
    metformin = MedicineLine.objects.get(name="Metformin")
    assert metformin.times == ["08:00", "18:00"]

    carer = tablet(browser, base, cast.carer)
    carer.goto(
        base
        + reverse("medicines:line", kwargs={"client_id": cast.client.id, "line_id": metformin.id})
    )
    carer.get_by_role("button", name="I have checked it against the source").click()
    expect(carer.get_by_text("Checked by Aoife Ní Bhriain")).to_be_visible()
    carer.goto(medicines)
    expect(carer.locator("#medicines .nhsuk-tag--green")).to_have_count(1)
    expect(carer.locator("#medicines .nhsuk-tag--orange")).to_have_count(1)
    assert_accessible(carer)
    SCREENSHOTS.mkdir(exist_ok=True)
    carer.screenshot(path=SCREENSHOTS / "medicines-list-1024.png", full_page=True)

    paths = [
        reverse("medicines:list", kwargs={"client_id": cast.client.id}),
        reverse("medicines:line-add", kwargs={"client_id": cast.client.id}),
        reverse("medicines:line", kwargs={"client_id": cast.client.id, "line_id": metformin.id}),
        reverse("medicines:policy", kwargs={"team_id": cast.team.id}),
    ]
    small = _small_targets(browser, base, cast.carer, paths)
    assert not small, "\n".join(small)
