"""In a browser on a tablet: a carer ticks "Share this tablet's location" and checks in; the
nurse sees that check-in's location on the client record and, with the client's consent, keeps
it as the client's home. Both pages pass axe-core's WCAG 2.2 A/AA checks."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from careteams.models import User
from clients.models import LocationSource
from scheduling.models import Visit
from scheduling.visit_models import VisitAttendance
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Page, base: str, user: User) -> None:
    client = HttpClient()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_a_shared_check_in_location_becomes_the_clients_home_with_consent(
    page: Page, live_server: object, cast: Cast
) -> None:
    base: str = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 768, "height": 1024})
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 52.486243, "longitude": -1.890401, "accuracy": 35})
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
    )
    visit.assignments.create(member=cast.carer_membership)

    signed_in(page, base, cast.carer)
    page.goto(
        base
        + reverse("scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    )
    box = page.get_by_label("Share this tablet’s location with this check-in")
    expect(box).not_to_be_checked()
    box.check()
    expect(page.get_by_text("Location found, within 35 m")).to_be_visible()
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "check_in_location_card.png", full_page=True)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("Checked in.")).to_be_visible()
    attendance = VisitAttendance.objects.get(visit=visit)
    assert (attendance.device_latitude, attendance.device_longitude) == (52.48624, -1.8904)
    assert attendance.device_accuracy_m == 35

    signed_in(page, base, cast.nurse)
    page.goto(base + reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    expect(page.get_by_role("heading", name="Aoife’s check-in on")).to_be_visible()
    assert_accessible(page)
    confirm = page.get_by_role("button", name="Use this as the client’s home location")
    confirm.click()
    expect(page.get_by_text("Ask the client first")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The client agreed to us keeping where they live").check()
    page.screenshot(path=SCREENSHOTS / "check_in_location_record.png", full_page=True)
    page.get_by_role("button", name="Use this as the client’s home location").click()
    expect(page.get_by_text("The client's home location is saved.")).to_be_visible()
    cast.client.refresh_from_db()
    assert cast.client.location_source == LocationSource.CHECK_IN
    assert (cast.client.latitude, cast.client.longitude) == (52.48624, -1.8904)
