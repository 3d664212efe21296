"""A suggestion that moves its visit within its window, in a browser at 768x1024: the board says
where it moves to and why before anyone accepts; accepting moves the visit and gives it its carer,
and the row then shows the new time. Axe-clean, no sideways panning, 44 px targets."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from scheduling.models import Visit, VisitAssignment
from scheduling.services import planning
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_week_planner import measure_portrait, tablet
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_suggestion_moving_a_visit_in_its_window_shows_the_new_time_and_accepting_moves_it(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    # Only the carer on shift, at another client from 09:00 to 09:45; a wash at 09:00 that may
    # start until 10:30.
    cast.carer_membership.team.shifts.create(
        member=cast.carer_membership, start=on(0, "07:00"), end=on(0, "15:00"), break_minutes=30
    )
    kept = Visit.objects.create(
        team=cast.team,
        client=cast.other_client_same_team,
        planned_start=on(0, "09:00"),
        planned_end=on(0, "09:45"),
    )
    VisitAssignment.objects.create(team=cast.team, visit=kept, member=cast.carer_membership)
    wash = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(0, "09:00"),
        planned_end=on(0, "09:30"),
        window_start=on(0, "09:00"),
        window_end=on(0, "10:30"),
    )
    planning.plan_run_start(
        team=cast.team, monday=MONDAY, day=None, actor=cast.nurse, background=False
    )
    week = asgi_url + reverse(
        "scheduling:week", kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat()}
    )
    page = tablet(browser, asgi_url, cast.nurse, 768, 1024)
    try:
        page.goto(week + "?view=list")
        row = page.locator(f"#visit-{wash.id}")
        expect(row).to_contain_text("Suggested: Aoife Ní Bhriain, moved to 09:45–10:15")
        expect(row).to_contain_text("moves from 09:00 to 09:45, within the time")
        measure_portrait(page)
        assert_accessible(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        row.screenshot(path=SCREENSHOTS / "moved-suggestion.png")
        page.get_by_role("button", name="Accept the suggestion", exact=True).click()
        expect(page.get_by_text("Accepted 1 suggestion")).to_be_visible()
        row = page.locator(f"#visit-{wash.id}")
        expect(row.locator(".rota-time")).to_have_text("09:45–10:15")
        expect(row).to_contain_text("Aoife Ní Bhriain")
        wash.refresh_from_db()
        assert wash.planned_start == on(0, "09:45")
        assert_accessible(page)
    finally:
        page.context.close()
