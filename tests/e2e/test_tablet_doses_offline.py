"""The visit card's dose forms on a tablet without signal (issue 25), at 1024x768: a carer
checked in on a visit with a due dose loses the signal, records the dose as given and a
when-required painkiller with its reason, sees both saved on the tablet, and when the signal
is back they reach the server once each; the MAR shows them, and the painkiller given too soon
after the last dose (the tablet could not know) is kept with the warning the team sees."""

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from careteams.models import User
from medicines.models import DoseRecord
from medicines.services import dose_record
from mobile_api.models import SyncMutation
from scheduling.models import Visit
from scheduling.services import visits as visit_services
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.signed_in import signed_in_tablet
from tests.e2e.test_medicines_visit import card_url, hhmm, line, visit_around

# The visit and its doses are built around the real clock (the server is another thread).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock_sensitive]
expect.set_options(timeout=15_000)

SAVED = "Saved on this tablet, not sent yet"


def tablet(browser: Browser, base_url: str, user: User) -> Page:
    return signed_in_tablet(browser, base_url, user)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"tablet-doses-{name}.png", full_page=True)


def checked_in(cast: Cast, visit: Visit) -> Visit:
    return visit_services.visit_check_in(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.carer
    )


def test_doses_recorded_offline_reach_the_server_once_and_the_mar_shows_them(
    browser: Browser, live_server: object, cast: Cast
) -> None:
    base: str = live_server.url  # type: ignore[attr-defined]
    now = timezone.now()
    visit = visit_around(cast, now)
    amlodipine = line(cast, "Amlodipine", [hhmm(cast, visit.planned_start)])
    paracetamol = line(
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
    visit = checked_in(cast, visit)
    # The nurse gave a painkiller on an earlier visit an hour ago: the next is due in three.
    earlier = dose_record(
        user=cast.nurse,
        line=paracetamol,
        visit=None,
        due_at=None,
        outcome="given",
        amount=Decimal(1),
        prn_reason="Hip pain",
        taken_at=now - dt.timedelta(hours=1),
        record_id=uuid.uuid4(),
    )

    carer = tablet(browser, base, cast.carer)
    errors: list[str] = []
    carer.on("pageerror", lambda error: errors.append(str(error)))
    carer.goto(card_url(base, cast, visit))
    doses = carer.locator("#visit-doses")
    expect(
        doses.locator("li", has_text="Amlodipine").get_by_role("button", name="Given")
    ).to_be_visible()
    expect(carer.locator("#tablet-ready")).to_contain_text("Ready to work offline")
    carer.evaluate("navigator.serviceWorker.ready.then(() => true)")

    carer.context.set_offline(True)
    given = doses.locator("li", has_text="Amlodipine")
    given.get_by_role("button", name="Given").click()
    expect(given.locator(".visit-task__state")).to_contain_text("Given. " + SAVED)
    # One outcome per dose: the row's other form ("Something else") goes too.
    expect(given.locator("form")).to_have_count(0)

    prn = doses.locator("li.visit-dose--prn", has_text="Paracetamol")
    prn.get_by_text("Give a when-required dose").click()
    prn.get_by_label("Why is it needed now?").fill("Hip pain on standing")
    prn.get_by_label("How much (tablet)").fill("2")
    prn.get_by_role("button", name="Record: given").click()
    expect(prn.locator(".tablet-saved")).to_contain_text(SAVED)

    queue = carer.locator("#tablet-queue")
    expect(queue.locator("li", has_text=SAVED)).to_have_count(2)
    due = hhmm(cast, visit.planned_start)
    expect(queue).to_contain_text(f"Amlodipine 5 mg at {due}: given (Dafydd Llŷr")
    expect(queue).to_contain_text("Paracetamol 500 mg, when required: given (Dafydd Llŷr")
    expect(carer.locator("#tablet-ready")).to_contain_text("No signal")
    shot(carer, "queued")
    assert_accessible(carer)

    # The card opened again without signal (the copy kept on the tablet, which shows the dose
    # as not recorded) shows what was saved here instead of the forms.
    carer.reload()
    expect(given.locator(".visit-task__state")).to_contain_text("Given. " + SAVED)
    expect(given.locator("form")).to_have_count(0)
    expect(prn.locator(".tablet-saved")).to_contain_text(SAVED)
    expect(prn.locator("form")).to_have_count(0)
    shot(carer, "queued-reloaded")
    assert DoseRecord.objects.filter(line=amlodipine).count() == 0
    assert SyncMutation.objects.count() == 0

    carer.context.set_offline(False)
    expect(queue.locator(".tablet-tag", has_text=re.compile("^Sent$"))).to_have_count(
        2, timeout=30_000
    )
    shot(carer, "sent")
    # Sent once each, however often the tablet tries again (another contact, a reload).
    carer.reload()
    expect(carer.locator("#tablet-queue .tablet-tag", has_text=re.compile("^Sent$"))).to_have_count(
        2
    )
    [scheduled] = DoseRecord.objects.filter(line=amlodipine)
    assert (scheduled.outcome, scheduled.recorded_by, scheduled.visit_id) == (
        "given",
        cast.carer,
        visit.id,
    )
    assert scheduled.due_at is not None
    assert hhmm(cast, scheduled.due_at) == hhmm(cast, visit.planned_start)
    [late_prn] = DoseRecord.objects.filter(line=paracetamol).exclude(pk=earlier.pk)
    assert (late_prn.amount, late_prn.prn_reason) == (Decimal(2), "Hip pain on standing")
    assert "PRN rule" in late_prn.warning
    assert SyncMutation.objects.count() == 2

    # The card, reloaded with signal, shows both records, the painkiller's warning with it.
    expect(doses.locator("li", has_text="Amlodipine")).to_contain_text("Given")
    followed = doses.locator("li.visit-dose--follow-up", has_text="Hip pain on standing")
    expect(followed).to_contain_text("Too soon after the last dose")
    shot(carer, "card-after")

    # The MAR: the dose given, and the painkiller kept with its warning.
    nurse = tablet(browser, base, cast.nurse)
    nurse.goto(base + reverse("mar:now", kwargs={"client_id": cast.client.id}))
    mar = nurse.locator("main")
    expect(mar).to_contain_text("Amlodipine")
    expect(mar).to_contain_text("Hip pain on standing")
    expect(mar).to_contain_text("PRN rule")
    shot(nurse, "mar")
    assert_accessible(nurse)
    assert errors == []
