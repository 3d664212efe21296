"""Medicines on a carer's visit, in a browser at 1024x768 (issue 25): the carer checks in,
records the first dose as given, gives a when-required painkiller with its reason, is refused a
second one inside its interval with the time it is allowed, and is refused check-out while a
dose has no outcome; the team's today page, open in a second browser, shows a dose turning
missed without a reload, and drops it when the carer records it late. Each page passes axe-core
and every touch target of the medicines is at least 44 by 44 px."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from careteams.models import User
from medicines.models import MedicineLine, MedicinesPolicy
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.signed_in import signed_in_tablet
from tests.e2e.test_touch_targets import PANS_SIDEWAYS
from tests.e2e.test_visit_journey import small_targets

# The visit and its doses are built around the real clock (the worker is another process).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock_sensitive]
expect.set_options(timeout=15_000)


def tablet(browser: Browser, base_url: str, user: User) -> Page:
    return signed_in_tablet(browser, base_url, user)


def visit_around(cast: Cast, now: dt.datetime) -> Visit:
    start = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        window_start=start - dt.timedelta(minutes=10),
        window_end=start + dt.timedelta(minutes=10),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit


def line(cast: Cast, name: str, times: list[str], **fields: object) -> MedicineLine:
    now = timezone.now()
    values: dict[str, object] = {
        "client": cast.client,
        "name": name,
        "form": "tablet",
        "strength": "5 mg",
        "route": "oral",
        "dose_min": Decimal(1),
        "dose_max": Decimal(1),
        "dose_unit": "tablet",
        "times": times,
        "time_tolerance_minutes": 30,
        "support": "administer",
        "starts_on": now.astimezone(cast.team.zone).date() - dt.timedelta(days=1),
        "supply": "blister",
        "source": "gp_letter",
        "transcribed_by": cast.nurse,
        "checked_by": cast.carer,
        "checked_at": now - dt.timedelta(days=1),
        "created_at": now - dt.timedelta(days=1),
        "changed_at": now - dt.timedelta(days=1),
    }
    values.update(fields)
    return MedicineLine.objects.create(**values)


def hhmm(cast: Cast, moment: dt.datetime) -> str:
    return moment.astimezone(cast.team.zone).strftime("%H:%M")


def card_url(base: str, cast: Cast, visit: Visit) -> str:
    kwargs = {"team_id": cast.team.id, "visit_id": visit.id}
    return base + reverse("scheduling:visit-card", kwargs=kwargs)


def test_a_carer_records_the_doses_and_cannot_leave_with_one_unrecorded(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    now = timezone.now()
    visit = visit_around(cast, now)
    due = hhmm(cast, visit.planned_start)
    # Its second dose half a day away, outside this visit whatever the hour (a fixed 23:59 fell
    # inside a visit at 22:59, and the card then offered two doses of it).
    line(cast, "Amlodipine", [due, hhmm(cast, visit.planned_start + dt.timedelta(hours=12))])
    line(cast, "Furosemide", [due], strength="40 mg")
    line(
        cast,
        "Paracetamol",
        [],
        strength="500 mg",
        dose_max=Decimal(2),
        prn=True,
        prn_for="Pain in the hip",
        prn_min_interval_minutes=240,
        prn_max_24h=Decimal(8),
    )
    carer = tablet(browser, asgi_url, cast.carer)
    carer.goto(card_url(asgi_url, cast, visit))
    doses = carer.locator("#visit-doses")
    expect(doses).to_contain_text("Check in to record the medicines")
    expect(doses.get_by_role("button", name="Given")).to_have_count(0)

    carer.get_by_role("button", name="Check in", exact=True).click()
    expect(doses).not_to_contain_text("Check in to record the medicines")
    amlodipine = doses.locator("li", has_text="Amlodipine")
    amlodipine.get_by_role("button", name="Given").click()
    expect(amlodipine).to_contain_text("Aoife")
    expect(doses.locator("li", has_text="Furosemide")).to_contain_text("Not recorded yet")

    paracetamol = doses.locator("li.visit-dose--prn", has_text="Paracetamol")
    paracetamol.get_by_text("Give a when-required dose").click()
    paracetamol.get_by_label("Why is it needed now?").fill("Hip pain on standing")
    paracetamol.get_by_label("How much (tablet)").fill("2")
    paracetamol.get_by_role("button", name="Record: given").click()
    expect(paracetamol).to_contain_text("Not before")
    expect(doses).to_contain_text("Did the Paracetamol work?")

    paracetamol.get_by_text("Give a when-required dose").click()
    paracetamol.get_by_label("Why is it needed now?").fill("Still sore")
    paracetamol.get_by_label("How much (tablet)").fill("1")
    paracetamol.get_by_role("button", name="Record: given").click()
    expect(doses.locator("[role=alert]")).to_contain_text("Too soon after the last dose")
    assert_accessible(carer)
    SCREENSHOTS.mkdir(exist_ok=True)
    carer.screenshot(path=SCREENSHOTS / "medicines-visit-card.png", full_page=True)
    for width, height in ((1024, 768), (768, 1024), (390, 844)):
        carer.set_viewport_size({"width": width, "height": height})
        assert small_targets(carer) == [], (width, height)
        assert not carer.evaluate(PANS_SIDEWAYS), (width, height)
    carer.set_viewport_size({"width": 1024, "height": 768})

    carer.goto(card_url(asgi_url, cast, visit).replace("/card/", "/check-out/"))
    expect(carer.locator("#doses-open")).to_contain_text("Furosemide")
    carer.get_by_role("button", name="Check out").click()
    expect(carer.locator(".nhsuk-error-summary")).to_contain_text(
        "Record what happened to every dose"
    )
    assert_accessible(carer)
    visit.refresh_from_db()
    assert visit.status == "in_progress"


def test_team_today_shows_a_dose_turning_missed_without_a_reload(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    MedicinesPolicy.objects.create(team=cast.team, missed_dose_grace_minutes=0)
    # Signed in before the dose's time is chosen: the wait for it is then only the page's load
    # (and the rest of the minute).
    nurse = tablet(browser, asgi_url, cast.nurse)
    now = timezone.now()
    # The next whole minute at least eight seconds away: the dose's time, with no tolerance.
    turn = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if turn - now < dt.timedelta(seconds=8):
        turn += dt.timedelta(minutes=1)
    visit = visit_around(cast, now)
    line(cast, "Co-careldopa", [hhmm(cast, turn)], strength="25/100", time_tolerance_minutes=0)

    nurse.goto(asgi_url + reverse("scheduling:team-today", kwargs={"team_id": cast.team.id}))
    expect(nurse.locator("#live-status")).to_have_text("Live")
    expect(nurse.locator("#team-day")).not_to_contain_text("missed dose")

    # Nobody writes anything: the page refreshes itself when the dose's window has passed.
    missed = nurse.locator("#missed-doses")
    expect(missed).to_contain_text("Co-careldopa 25/100 for Dafydd Llŷr", timeout=100_000)
    assert_accessible(nurse)
    assert small_targets(nurse) == []

    carer = tablet(browser, asgi_url, cast.carer)
    carer.goto(card_url(asgi_url, cast, visit))
    carer.get_by_role("button", name="Check in", exact=True).click()
    dose = carer.locator("#visit-doses li", has_text="Co-careldopa")
    dose.get_by_text("Something else").click()
    dose.get_by_label("Not given", exact=True).check()
    dose.get_by_label("Why not given (for “Not given”)").select_option(label="Asleep")
    dose.get_by_role("button", name="Save the outcome").click()
    expect(carer.locator("#visit-doses li", has_text="Co-careldopa")).to_contain_text("Asleep")

    # The record reaches the nurse's page through the team socket.
    expect(nurse.locator("#missed-doses")).to_have_count(0)
