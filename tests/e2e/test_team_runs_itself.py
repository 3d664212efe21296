"""The team runs itself: a member changes the limit of carers per client and the week board's
warnings change live on another tablet; a proposal goes from the agenda to a decision with an
action that appears on its owner's My day. axe-core finds nothing on the team's pages, and
their targets are at least 44px."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, expect

from careteams import timeutil
from careteams.models import Membership, Role
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast, make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_live_pages import tablet_for
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db(transaction=True)


def at_least_44px(target: Locator) -> None:
    box = target.bounding_box()
    assert box is not None
    assert box["height"] >= 44, box
    assert box["width"] >= 44, box


def three_carers_for_one_client(cast: Cast) -> None:
    third = Membership.objects.create(
        user=make_user("third@example.test", "Rhys", "Bevan"),
        team=cast.team,
        role=Role.CARE_WORKER,
    )
    for day, member in enumerate((cast.nurse_membership, cast.carer_membership, third)):
        visit = Visit.objects.create(
            team=cast.team,
            client=cast.client,
            planned_start=on(day, "09:00"),
            planned_end=on(day, "09:30"),
        )
        VisitAssignment.objects.create(visit=visit, member=member)


def test_a_lower_limit_of_carers_shows_on_the_other_tablets_week_board_live(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    three_carers_for_one_client(cast)
    board = asgi_url + reverse(
        "scheduling:week", kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat()}
    )
    watcher = tablet_for(browser, asgi_url, cast.nurse)
    member = tablet_for(browser, asgi_url, cast.carer)
    try:
        watcher.goto(board)
        expect(watcher.locator("#live-status")).to_have_text("Live")
        problems = watcher.locator("#problems")
        expect(problems.locator("li", has_text="different carers")).to_have_count(0)

        member.goto(asgi_url + reverse("teamwork:team-settings", kwargs={"team_id": cast.team.id}))
        assert_accessible(member)
        at_least_44px(member.get_by_role("link", name="Meetings"))
        member.get_by_label("Most carers per client in a week").fill("2")
        member.get_by_role("button", name="Save the settings").click()
        expect(member.locator(".nhsuk-error-summary")).to_have_count(0)
        expect(member.get_by_label("Most carers per client in a week")).to_have_value("2")

        # No reload: the team's change reaches the board over the socket.
        warning = problems.locator("li", has_text="the team's limit is 2")
        expect(warning).to_have_count(1)
        expect(warning).to_contain_text("3 different carers")
        expect(watcher.locator("#live-status")).to_have_text("Live")

        member.goto(asgi_url + reverse("teamwork:history", kwargs={"team_id": cast.team.id}))
        expect(member.locator("main")).to_contain_text("limit 2 carers per client")
        assert_accessible(member)
    finally:
        member.context.close()
        watcher.context.close()


def decide(page: Page, base: str, cast: Cast) -> None:
    team = {"team_id": cast.team.id}
    page.goto(base + reverse("teamwork:meetings", kwargs=team))
    assert_accessible(page)
    page.get_by_label("Meeting").fill("Monday huddle")
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monday huddle")
    page.get_by_label("Item").fill("Weekend cover")
    page.get_by_label("Proposal (optional)").fill("Each of us covers one weekend a month.")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("main")).to_contain_text("Each of us covers one weekend a month.")
    assert_accessible(page)
    decide_button = page.get_by_role("link", name=re.compile(r"^Decide\W+Weekend cover$"))
    at_least_44px(decide_button)
    decide_button.click()
    expect(page.get_by_label("The decision")).to_have_value(
        "Each of us covers one weekend a month."
    )
    page.get_by_label("Siân Ellis").check()
    page.get_by_label("Aoife Ní Bhriain").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weekend cover")
    due = timeutil.local_today(cast.team.zone) + dt.timedelta(days=5)
    page.get_by_label("Action").fill("Draw up the weekend rota")
    page.get_by_label("Who").select_option(label="Aoife Ní Bhriain")
    page.get_by_label("By").fill(due.isoformat())
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("main")).to_contain_text("Draw up the weekend rota: Aoife Ní Bhriain")
    assert_accessible(page)


def test_a_proposal_becomes_a_decision_whose_action_is_on_the_owners_my_day(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    nurse = tablet_for(browser, asgi_url, cast.nurse)
    carer = tablet_for(browser, asgi_url, cast.carer)
    try:
        decide(nurse, asgi_url, cast)
        carer.goto(asgi_url + reverse("scheduling:my-day", kwargs={"team_id": cast.team.id}))
        actions = carer.locator(".app-my-actions")
        expect(actions).to_contain_text("Draw up the weekend rota")
        done = actions.get_by_role("button", name="Done")
        at_least_44px(done)
        assert_accessible(carer)
        done.click()
        expect(carer.locator(".app-my-actions")).to_have_count(0)
    finally:
        carer.context.close()
        nurse.context.close()


def test_every_page_of_the_teams_workings_passes_axe_for_the_member_and_the_coach(
    browser: Browser, asgi_url: str, cast: Cast
) -> None:
    from tests.teamwork.conftest import make_workings
    from tests.teamwork.test_figures import build_week_in_the_database

    workings = make_workings(cast)
    build_week_in_the_database(cast)
    team = {"team_id": cast.team.id}
    member_pages = [
        reverse("team-home", args=[cast.team.id]),
        reverse("teamwork:members", kwargs=team),
        reverse(
            "teamwork:member-edit",
            kwargs={**team, "membership_id": cast.carer_membership.id},
        ),
        reverse("teamwork:roles", kwargs=team),
        reverse("teamwork:decisions", kwargs=team) + "?q=codes",
        reverse("teamwork:actions", kwargs=team),
        reverse("teamwork:trends", kwargs=team),
        reverse("teamwork:trends", kwargs=team) + "?by=month",
        reverse("teamwork:help", kwargs=team),
    ]
    coach_pages = [
        reverse("coach-home"),
        reverse("teamwork:trends", kwargs=team),
        reverse("teamwork:coach-answer", kwargs={"request_id": workings.help_request.id}),
    ]
    for user, pages in ((cast.carer, member_pages), (cast.coach, coach_pages)):
        tablet = tablet_for(browser, asgi_url, user)
        try:
            for path in pages:
                tablet.goto(asgi_url + path)
                expect(tablet.locator("h1")).to_have_count(1)
                assert_accessible(tablet)
        finally:
            tablet.context.close()
    portrait = tablet_for(browser, asgi_url, cast.carer)
    try:
        portrait.set_viewport_size({"width": 768, "height": 1024})
        portrait.goto(asgi_url + reverse("teamwork:roles", kwargs=team))
        at_least_44px(portrait.get_by_role("button", name=re.compile(r"^End now")))
        at_least_44px(portrait.get_by_role("link", name="Figures over time"))
        width = portrait.evaluate("document.documentElement.scrollWidth")
        assert width <= 768, width
    finally:
        portrait.context.close()
