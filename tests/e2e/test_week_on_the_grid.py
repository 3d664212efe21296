"""Issue 27's journey on a tablet, landscape (1024x768) and portrait (768x1024), on a real ASGI
worker: open an empty week (the board opens on the rota grid), generate its visits, suggest
carers, accept them, then move three visits by touch (one of them onto a member it breaks a
hard rule for, so the sheet asks the reason first) and one by keyboard, seeing who could take
each before it moves; look at the day's routes on the map (tiles from a stub, then blocked);
open another day from the week's overview; publish. A second tablet sees every move live.
After the load and after every action the layout shift stays under 0.1 (the browser's
layout-shift entries not caused by input), axe finds nothing, every grid target is 44 px.
No request leaves the machine: the tiles are answered by a stub or refused."""

import base64
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, Route, expect

from careteams.models import Membership
from clients.models import Client as ClientRecord
from scheduling.models import RotaStatus, RotaWeek, Visit, VisitAssignment
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_rota_grid import block, finger, measure, shifts, tablet
from tests.e2e.test_week_planner import a_team_with_patterns
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db(transaction=True)

# A 1x1 PNG: what the stub tile server answers for every tile.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
LOCAL = re.compile(r"^https?://127\.0\.0\.1[:/]")


def offline(page: Page, tiles: Callable[[Route], None]) -> list[str]:
    """Every request off this machine goes to `tiles` (the tile host) or is refused; the list
    names what was asked of the tile host."""
    asked: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        if LOCAL.match(url):
            route.continue_()
        elif url.startswith("https://tile.openstreetmap.org/"):
            asked.append(url)
            tiles(route)
        else:
            route.abort()

    page.context.route("**/*", handle)
    return asked


class Shifts:
    """The layout shift counted since the last look (the page's own, not caused by input)."""

    def __init__(self, page: Page) -> None:
        self.page, self.seen = page, 0.0

    def since(self, what: str) -> None:
        found = shifts(self.page)
        counted = float(found["counted"])  # type: ignore[arg-type]
        assert counted - self.seen < 0.1, f"{what}: {json.dumps(found)}"
        self.seen = counted

    def reload(self, what: str) -> None:
        """After a page load: the new page's score starts at nothing."""
        self.seen = 0.0
        self.since(what)


def hints_first(page: Page, visit: Visit) -> str:
    """The sheet shows who could take the visit before it moves; the best member it breaks no
    hard rule for (no reason field), by id."""
    sheet = page.locator("#grid-sheet")
    expect(sheet.locator(f"[data-grid-hints-for='{visit.id}']")).to_be_visible()
    free = sheet.locator("[data-grid-hint]:not(:has([data-grid-reason]))").first
    member_id = free.get_attribute("data-grid-hint")
    assert member_id
    return member_id


def moves_posted(page: Page) -> list[dict[str, list[str]]]:
    posted: list[dict[str, list[str]]] = []
    page.on(
        "request",
        lambda r: (
            posted.append({"url": [r.url], **parse_qs(r.post_data or "", keep_blank_values=True)})
            if r.method == "POST" and "/grid/move/" in r.url
            else None
        ),
    )
    return posted


def the_block_moved(planner: Page, watcher: Page, visit: Visit, member_id: str) -> None:
    key = f"#g-{visit.id}-{member_id}"
    expect(planner.locator(key)).to_be_focused()
    expect(watcher.locator(key)).to_be_visible()  # the other tablet, live
    assert str(visit.assignments.values_list("member_id", flat=True).get()) == member_id


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (768, 1024)])
def test_a_week_is_planned_on_the_grid_from_empty_to_published(
    browser: Browser, asgi_url: str, cast: Cast, width: int, height: int
) -> None:
    a_team_with_patterns(cast)
    # Around Cardiff, a few hundred metres apart: the routes the map draws.
    for n, client in enumerate(ClientRecord.objects.filter(team=cast.team).order_by("given_name")):
        client.latitude, client.longitude = 51.48 + n * 0.004, -3.18 - (n % 3) * 0.006
        client.save()
    shot = f"week-grid-{width}x{height}"
    week = asgi_url + reverse(
        "scheduling:week", kwargs={"team_id": cast.team.id, "week": MONDAY.isoformat()}
    )
    planner = tablet(browser, asgi_url, cast.nurse, width, height)
    watcher = tablet(browser, asgi_url, cast.carer, width, height)
    tiles_asked = offline(planner, lambda route: route.fulfill(body=TILE, content_type="image/png"))
    offline(watcher, lambda route: route.abort())
    posted = moves_posted(planner)
    shifted = Shifts(planner)

    planner.goto(week)
    expect(planner.locator("#grid")).to_be_visible()  # the main view
    expect(planner.locator("#live-status")).to_have_text("Live")
    shifted.reload("load")
    measure(planner)
    assert_accessible(planner)

    planner.get_by_role("button", name="Generate visits from patterns").click()
    expect(planner.get_by_text("41 visits made from the patterns")).to_be_visible()
    expect(planner.locator("#live-status")).to_have_text("Live")
    shifted.reload("generate")
    planner.get_by_role("button", name="Suggest carers for the week").click()
    accept = planner.get_by_role("button", name=re.compile(r"Accept all \d+ suggestions"))
    expect(accept).to_be_visible(timeout=90_000)  # the planner has 10 s on a shared machine
    shifted.since("suggest")
    accept.click()
    expect(planner.get_by_text(re.compile(r"Accepted \d+ suggestions"))).to_be_attached()
    # The board comes back on the day's grid, where the accepted carers now are.
    expect(planner.locator("#grid-title")).to_be_in_viewport()
    shifted.since("accept")
    assert VisitAssignment.objects.exists()
    planner.goto(week + "?day=2030-11-25")
    watcher.goto(week + "?day=2030-11-25")
    expect(planner.locator("#live-status")).to_have_text("Live")
    expect(watcher.locator("#live-status")).to_have_text("Live")
    shifted.reload("the grid after accepting")
    measure(planner)
    assert_accessible(planner)
    planner.screenshot(path=SCREENSHOTS / f"{shot}-accepted.png")

    # Three by touch: two to the best member the hints name, one (the evening visit nobody is
    # on shift for) onto a member with a reason asked first.
    for time in ("08:00", "10:00"):
        visit = Visit.objects.get(team=cast.team, planned_start=on(0, time))
        held = str(visit.assignments.values_list("member_id", flat=True).get())
        planner.locator(block(planner, visit, Membership(id=held))).tap()
        member_id = hints_first(planner, visit)
        shifted.since(f"hints for {time}")
        finger(planner, f"#grid-row-{member_id} [data-grid-head]")
        the_block_moved(planner, watcher, visit, member_id)
        shifted.since(f"touch move at {time}")
    evening = Visit.objects.get(team=cast.team, planned_start=on(0, "20:00"))
    assert not evening.assignments.exists()
    planner.locator(block(planner, evening)).tap()
    sheet = planner.locator("#grid-sheet")
    expect(sheet.locator(f"[data-grid-hints-for='{evening.id}']")).to_be_visible()
    ffion = sheet.locator("[data-grid-hint]", has_text="Ffion Morgan")
    expect(ffion).to_contain_text("Not on shift then")
    assert_accessible(planner)
    planner.screenshot(path=SCREENSHOTS / f"{shot}-reason.png")
    ffion_id = ffion.get_attribute("data-grid-hint")
    finger(planner, f"#grid-row-{ffion_id} [data-grid-head]")
    reason = ffion.locator("[data-grid-reason]")
    expect(reason).to_be_focused()  # asked before anything is sent
    expect(planner.locator("#grid-status")).to_contain_text("breaks a rule")
    assert not evening.assignments.exists()
    reason.fill("Ffion offered to stay for the evening")
    ffion.get_by_role("button", name="Move to Ffion Morgan").tap()
    the_block_moved(planner, watcher, evening, str(ffion_id))
    assert evening.assignments.get().reason == "Ffion offered to stay for the evening"
    shifted.since("touch move with a reason")

    # One by keyboard: Enter picks the 11:00 visit up (its hints show), up and down go from
    # name to name, Enter puts it there.
    visit = Visit.objects.get(team=cast.team, planned_start=on(0, "11:00"))
    held = str(visit.assignments.values_list("member_id", flat=True).get())
    planner.locator(block(planner, visit, Membership(id=held))).focus()
    planner.keyboard.press("Enter")
    member_id = hints_first(planner, visit)
    rows = planner.locator("[data-grid-to]")
    order = [rows.nth(n).get_attribute("data-grid-to") for n in range(rows.count())]
    here = order.index(held)
    for _ in range(abs(order.index(member_id) - here)):
        planner.keyboard.press("ArrowDown" if order.index(member_id) > here else "ArrowUp")
    expect(planner.locator(f"#grid-row-{member_id} [data-grid-head]")).to_be_focused()
    planner.keyboard.press("Enter")
    the_block_moved(planner, watcher, visit, member_id)
    shifted.since("keyboard move")
    # Touch and keyboard sent the same request to the same service, field for field.
    assert len(posted) == 4
    assert {p["url"][0] for p in posted} == {posted[0]["url"][0]}
    assert {tuple(sorted(p)) for p in posted} == {tuple(sorted(posted[0]))}
    measure(planner)
    assert_accessible(planner)
    planner.screenshot(path=SCREENSHOTS / f"{shot}-moved.png", full_page=True)
    watcher.screenshot(path=SCREENSHOTS / f"{shot}-watcher.png")

    # The day's routes: on the map (tiles from the stub), and listed.
    show = planner.get_by_role("link", name="Show each member’s route and the open visits")
    show.scroll_into_view_if_needed()
    show.tap()
    canvas = planner.locator("#day-map-canvas")
    expect(canvas.locator(".leaflet-tile-loaded").first).to_be_attached(timeout=15_000)
    expect(canvas.locator("path.leaflet-interactive").first).to_be_attached()
    assert tiles_asked
    expect(planner.locator("#day-map")).to_contain_text("Ffion Morgan")
    shifted.since("the map")
    measure(planner)
    assert_accessible(planner)
    planner.screenshot(path=SCREENSHOTS / f"{shot}-map.png")
    # Without tiles (the watcher refuses them): the canvas says so, the stops are listed.
    watcher.goto(week + "?day=2030-11-25&view=grid&map=1#day-map")
    expect(watcher.locator("#day-map-canvas")).to_contain_text("The map could not load")
    expect(watcher.locator("#day-map")).to_contain_text("20:00–20:30 Alun Jones")
    watcher.screenshot(path=SCREENSHOTS / f"{shot}-map-fallback.png")

    # The week's overview: a tap on Tuesday opens Tuesday's grid.
    tuesday = planner.locator("#rota .rota-daylink", has_text="Tue 26")
    tuesday.scroll_into_view_if_needed()
    planner.screenshot(path=SCREENSHOTS / f"{shot}-overview.png")
    tuesday.tap()
    expect(planner.locator("#grid-title")).to_contain_text("Tuesday 26 November")
    expect(planner.locator("#grid-title")).to_be_in_viewport()
    shifted.reload("a day from the overview")
    measure(planner)

    planner.get_by_role("link", name="Publish the week…").click()
    expect(planner.get_by_role("heading", level=1)).to_contain_text("Publish the week of")
    planner.get_by_label("The team publishes the week with").check()
    planner.get_by_role("button", name="Publish the week").click()
    expect(planner.locator("h1 .nhsuk-tag")).to_have_text("Published")
    assert RotaWeek.objects.get(team=cast.team).status == RotaStatus.PUBLISHED
    shifted.reload("published")
