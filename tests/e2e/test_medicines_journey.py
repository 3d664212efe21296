"""Issue 25's journey across the three medicines parts, in a browser at 1024x768: a nurse adds a
twice-daily medicine and a when-required painkiller with its protocol, a second member checks
them; the carer on the morning visit checks in, gives the first, gives the painkiller with its
reason, is refused a second one inside its interval with the time it is allowed, and is refused
check-out while a dose of the visit (a time-critical medicine already on the record) has no
outcome; that dose nobody recorded turns missed on Team today, open in another browser, without
a reload; the MAR chart and its PDF show both medicines and the gap; the family reads the plain
version, without the team's notes.

The worker serving the pages is another process on the real clock, so the visit and the doses
are set around the real time (hence clock_sensitive), and the dose that turns missed is due at
the next whole minute far enough away for Team today to be open before it turns."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import Browser, Page, expect

from medicines.models import DoseRecord, MedicineLine, MedicinesPolicy
from scheduling.models import Visit, VisitAssignment, VisitStatus
from tests.careteams.test_pdf_scripts import printed
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_medicines_pages import add
from tests.e2e.test_medicines_visit import card_url, hhmm, line, tablet
from tests.e2e.test_touch_targets import PANS_SIDEWAYS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock_sensitive]
expect.set_options(timeout=15_000)

# Team today must be open before the unrecorded dose turns missed (it opens within seconds;
# the rest of the journey runs while the minute comes).
LEAD = dt.timedelta(seconds=15)


def morning_visit(cast: Cast, now: dt.datetime) -> Visit:
    """A long visit under way: it covers the twice-daily medicine's first time (five minutes
    ago) and the dose that turns missed (within the next 75 seconds)."""
    start = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=60),
        window_start=start - dt.timedelta(minutes=10),
        window_end=start + dt.timedelta(minutes=10),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit


def next_turn(now: dt.datetime) -> dt.datetime:
    """The first whole minute at least LEAD away: a dose then, with no tolerance and no grace,
    is missed from that minute on (a minute is the finest a dose's time, tolerance and grace
    are written in, so the journey waits up to a minute for it)."""
    turn = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return turn if turn - now >= LEAD else turn + dt.timedelta(minutes=1)


def nurse_adds_the_medicines(page: Page, base: str, cast: Cast, times: str, today: dt.date) -> None:
    medicines = base + reverse("medicines:list", kwargs={"client_id": cast.client.id})
    page.goto(medicines)
    common = {"Dose unit": "tablet", "Starts on": today.isoformat()}
    choices = {"Form": "tablet", "Route": "oral", "Support": "administer", "Supply": "blister"}
    add(
        page,
        {
            **common,
            "Medicine": "Metformin",
            "Strength": "500 mg",
            "Dose (least)": "1",
            "Dose (most)": "1",
            "Times of day": times,
        },
        {**choices, "Source": "gp_letter"},
        prn=False,
    )
    expect(page.get_by_text("Awaiting a second person's check")).to_be_visible()
    page.goto(medicines)
    add(
        page,
        {
            **common,
            "Medicine": "Paracetamol",
            "Strength": "500 mg",
            "Dose (least)": "1",
            "Dose (most)": "2",
            "Times of day": "",
            "What for": "Pain in the hip",
            "Least time between doses (minutes)": "240",
            "Most in 24 hours": "8",
            "If it does not work": "Ring the GP",
        },
        {**choices, "Source": "pharmacy"},
        prn=True,
    )
    expect(page.get_by_role("heading", name="When-required protocol")).to_be_visible()


def colleague_checks(page: Page, base: str, cast: Cast, name: str) -> None:
    line = MedicineLine.objects.get(client=cast.client, name=name)
    kwargs = {"client_id": cast.client.id, "line_id": line.id}
    page.goto(base + reverse("medicines:line", kwargs=kwargs))
    page.get_by_role("button", name="I have checked it against the source").click()
    expect(page.get_by_text("Checked by Aoife Ní Bhriain")).to_be_visible()


def allowed_from(cast: Cast, given: DoseRecord) -> str:
    """The refusal's time, as the page writes it (the team's zone, British English)."""
    allowed = given.taken_at + dt.timedelta(minutes=240)
    with translation.override("en-gb"), timezone.override(cast.team.zone):
        return formats.date_format(timezone.localtime(allowed), "j M Y, H:i")


def carer_gives_the_doses(page: Page, cast: Cast) -> None:
    doses = page.locator("#visit-doses")
    expect(doses).to_contain_text("Check in to record the medicines")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(doses).not_to_contain_text("Check in to record the medicines")
    metformin = doses.locator("li", has_text="Metformin")
    metformin.get_by_role("button", name="Given").click()
    expect(doses.locator("li", has_text="Metformin")).to_contain_text("Aoife")

    paracetamol = doses.locator("li.visit-dose--prn", has_text="Paracetamol")
    paracetamol.get_by_text("Give a when-required dose").click()
    paracetamol.get_by_label("Why is it needed now?").fill("Hip pain on standing")
    paracetamol.get_by_label("How much (tablet)").fill("2")
    paracetamol.get_by_role("button", name="Record: given").click()
    expect(paracetamol).to_contain_text("Not before")

    paracetamol.get_by_text("Give a when-required dose").click()
    paracetamol.get_by_label("Why is it needed now?").fill("Still sore")
    paracetamol.get_by_label("How much (tablet)").fill("1")
    paracetamol.get_by_role("button", name="Record: given").click()
    given = DoseRecord.objects.get(line__name="Paracetamol")
    expect(doses.locator("[role=alert]")).to_contain_text(
        f"Too soon after the last dose: allowed from {allowed_from(cast, given)}."
    )
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "medicines-journey-card.png", full_page=True)


def check_out_is_refused(page: Page, base: str, cast: Cast, visit: Visit) -> None:
    kwargs = {"team_id": cast.team.id, "visit_id": visit.id}
    page.goto(base + reverse("scheduling:visit-check-out", kwargs=kwargs))
    expect(page.locator("#doses-open")).to_contain_text("Co-careldopa")
    page.get_by_role("button", name="Check out").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Record what happened to every dose"
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS


def mar_shows_both_and_the_gap(page: Page, base: str, cast: Cast, day: dt.date) -> None:
    kwargs = {"client_id": cast.client.id, "day": day.isoformat()}
    page.goto(base + reverse("mar:month", kwargs=kwargs))
    grid = page.get_by_role("region")
    expect(grid).to_contain_text("Metformin 500 mg")
    # One dose given (Metformin's first time), one gap (the Co-careldopa nobody recorded).
    expect(grid.locator(".mar-cell--recorded")).to_have_count(1)
    expect(grid.locator(".mar-cell--recorded")).to_contain_text("G AN")
    expect(grid.locator(".mar-cell--gap")).to_have_count(1)
    careldopa = grid.locator("tr", has_text="Co-careldopa")
    expect(careldopa.locator(".mar-cell--gap")).to_have_text("NR no record")
    expect(page.locator("main")).to_contain_text("Paracetamol")
    expect(page.locator("main")).to_contain_text("Hip pain on standing")
    # The month scrolls inside its region: the page itself does not pan sideways.
    assert not page.evaluate(PANS_SIDEWAYS)
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "medicines-journey-mar.png", full_page=True)


def pdf_shows_both_and_the_gap(
    page: Page, base: str, cast: Cast, day: dt.date, tmp_path: Path
) -> None:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: scripts/install-fonts installs poppler-utils")
    kwargs = {"client_id": cast.client.id, "day": day.isoformat()}
    answer = page.request.get(base + reverse("mar:month-pdf", kwargs=kwargs))
    assert answer.ok
    assert answer.headers["content-type"] == "application/pdf"
    text = printed(answer.body(), tmp_path)
    for expected in (
        "Dafydd Llŷr",
        "Metformin 500 mg",
        "Paracetamol 500 mg",
        "Hip pain on standing",
        "Co-careldopa 25/100",
        "NR",
        "Aoife Ní Bhriain",
    ):
        assert expected in text, expected


def test_a_medicine_added_checked_given_refused_missed_charted_and_read_by_the_family(
    browser: Browser, asgi_url: str, cast: Cast, tmp_path: Path
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    MedicinesPolicy.objects.create(team=cast.team, missed_dose_grace_minutes=0)
    now = timezone.now()
    zone = cast.team.zone
    if (now - dt.timedelta(minutes=6)).astimezone(zone).date() != (
        now + dt.timedelta(minutes=2)
    ).astimezone(zone).date():
        pytest.skip("the day turns during the journey: Team today and the doses would disagree")
    visit = morning_visit(cast, now)
    turn = next_turn(now)
    # Already on the record: a time-critical dose in the visit that nobody will record.
    line(
        cast,
        "Co-careldopa",
        [hhmm(cast, turn)],
        strength="25/100",
        time_critical=True,
        time_tolerance_minutes=0,
        starts_on=now.astimezone(zone).date(),
    )

    office = tablet(browser, asgi_url, cast.nurse)
    office.goto(asgi_url + reverse("scheduling:team-today", kwargs={"team_id": cast.team.id}))
    expect(office.locator("#live-status")).to_have_text("Live")
    expect(office.locator("#critical-doses")).to_contain_text("Co-careldopa")
    expect(office.locator("#missed-doses")).to_have_count(0)
    # Gone if the page reloads: what shows later came through the open page.
    office.evaluate("window.stillTheSamePage = true")

    nurse = tablet(browser, asgi_url, cast.nurse)
    morning = visit.planned_start
    evening = morning + dt.timedelta(hours=10)
    today = now.astimezone(zone).date()
    times = f"{hhmm(cast, morning)}, {hhmm(cast, evening)}"
    nurse_adds_the_medicines(nurse, asgi_url, cast, times, today)

    carer = tablet(browser, asgi_url, cast.carer)
    for name in ("Metformin", "Paracetamol"):
        colleague_checks(carer, asgi_url, cast, name)
    carer.goto(card_url(asgi_url, cast, visit))
    carer_gives_the_doses(carer, cast)
    check_out_is_refused(carer, asgi_url, cast, visit)

    # Nobody recorded the Co-careldopa: Team today shows it missed when its minute has passed.
    missed = office.locator("#missed-doses")
    expect(missed).to_contain_text("Co-careldopa 25/100 for Dafydd Llŷr", timeout=100_000)
    assert office.evaluate("window.stillTheSamePage === true")
    assert_accessible(office)
    office.screenshot(path=SCREENSHOTS / "medicines-journey-team-today.png", full_page=True)

    day = turn.astimezone(zone).date()
    mar_shows_both_and_the_gap(nurse, asgi_url, cast, day)
    pdf_shows_both_and_the_gap(nurse, asgi_url, cast, day, tmp_path)

    family = tablet(browser, asgi_url, cast.family)
    family_url = reverse("mar:family-medicines", kwargs={"client_id": cast.client.id})
    family.goto(f"{asgi_url}{family_url}?week={day.isoformat()}")
    main = family.locator("main")
    expect(main).to_contain_text("Metformin")
    expect(main).to_contain_text("Paracetamol")
    expect(main).to_contain_text("No record was made")
    expect(main).to_contain_text("Given (when needed")
    for internal in ("Hip pain on standing", "NR", "Aoife", "GP letter"):
        expect(main).not_to_contain_text(internal)
    assert_accessible(family)
    family.screenshot(path=SCREENSHOTS / "medicines-journey-family.png", full_page=True)
