"""Every page that carers, families and clients use, at the tablet's two orientations and a
phone's width: each interactive element is at least 44x44 CSS px (WCAG 2.5.5; links inside a
sentence excepted, as the criterion allows) and nothing pans sideways."""

import datetime as dt
import os
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize

from careteams import registry
from careteams.models import User
from clients.services.care_plan import intervention_add, problem_add, rating_add
from clients.services.doorstep import emergency_contact_add
from clients.services.notes import note_write
from messaging.services import handover_write, message_post_client, message_post_team
from scheduling.models import Visit
from tests import kinds
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS

# TOUCH_TARGET_SCREENSHOTS=1 keeps a picture of every page measured (in test-results/), to look at.
SHOTS = os.environ.get("TOUCH_TARGET_SCREENSHOTS") == "1"

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS: tuple[ViewportSize, ...] = (
    {"width": 1024, "height": 768},
    {"width": 768, "height": 1024},
    {"width": 390, "height": 844},
)

# Every element a finger may aim at. A checkbox's or a radio's label is part of its target.
MEASURE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [tabindex]:not([tabindex="-1"])';
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith('inline')) node = node.parentElement;
    return node;
  };
  // WCAG 2.5.5's exception: a link inside a sentence or block of text.
  const inRunningText = (el) => {
    if (el.tagName !== 'A' || !getComputedStyle(el).display.startsWith('inline')) return false;
    const block = blockOf(el);
    if (!block) return false;
    const own = el.innerText.trim().length;
    return block.innerText.replace(/\\s+/g, ' ').trim().length > own + 1;
  };
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    let rect = el.getBoundingClientRect();
    // Hidden, or visually hidden until focused (the skip link): nothing to aim at.
    const hidden = getComputedStyle(el).visibility === 'hidden';
    if (rect.width <= 1 || rect.height <= 1 || hidden) continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      const label = el.labels[0].getBoundingClientRect();
      const left = Math.min(rect.left, label.left), top = Math.min(rect.top, label.top);
      rect = {width: Math.max(rect.right, label.right) - left,
              height: Math.max(rect.bottom, label.bottom) - top};
    }
    if (inRunningText(el)) continue;
    if (rect.width < 43.5 || rect.height < 43.5) {
      const name = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
        .trim().replace(/\\s+/g, ' ').slice(0, 50);
      const size = `${Math.round(rect.width)}x${Math.round(rect.height)}`;
      small.push(`${el.tagName.toLowerCase()} "${name}" ${size}`);
    }
  }
  return small;
}"""
PANS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth + 1"
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-3).map((el) => `${el.tagName.toLowerCase()}.${el.className}`).join(', ')"""


@dataclass
class World:
    visit: Visit
    problem_id: uuid.UUID


def _world(cast: Cast) -> World:
    """A client with a care plan, notes (one amended, one shared), contacts, handovers and
    messages, and a visit of the carer's that is due now."""
    client, nurse = cast.client, cast.nurse
    problem = problem_add(
        client=client,
        problem_code="27",
        scope="individual",
        severity="potential",
        signs_symptoms=[],
        identified_on=dt.date(2026, 1, 5),
        actor=nurse,
    )
    intervention_add(
        problem=problem,
        category="treatments",
        target="49",
        care_description="Insulin at 08:00",
        frequency="every morning",
        actor=nurse,
    )
    rating_add(
        problem=problem,
        knowledge=3,
        behaviour=4,
        status=2,
        rated_on=dt.date(2026, 1, 5),
        actor=nurse,
    )
    first = note_write(
        client=client, author=nurse, body="Walked to the gate.", note_id=uuid.uuid4()
    )
    note_write(
        client=client,
        author=nurse,
        body="Walked to the garden gate.",
        note_id=uuid.uuid4(),
        amends=first,
        shareable=True,
        problems=[problem],
    )
    emergency_contact_add(
        client=client, name="Carys Llŷr", relationship="Daughter", phone="07700 900123", actor=nurse
    )
    handover_write(
        team=cast.team,
        author=nurse,
        body="Bring the new dressings.",
        handover_id=uuid.uuid4(),
        client=client,
    )
    message_post_team(
        team=cast.team, author=nurse, body="Team meeting at two.", message_id=uuid.uuid4()
    )
    message_post_client(
        client=client,
        author=nurse,
        body="Dafydd slept well.",
        message_id=uuid.uuid4(),
        shared_with_family=True,
    )
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    visit = Visit.objects.create(
        team=cast.team,
        client=client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        window_start=start - dt.timedelta(minutes=15),
        window_end=start + dt.timedelta(minutes=45),
        tasks=["Insulin", "Breakfast"],
    )
    visit.assignments.create(member=cast.carer_membership)
    return World(visit=visit, problem_id=problem.id)


def _carer_pages(cast: Cast, world: World) -> list[str]:
    team = {"team_id": cast.team.id}
    visit = {**team, "visit_id": world.visit.id}
    client = {"client_id": cast.client.id}
    return [
        reverse("scheduling:my-day", kwargs=team),
        reverse("scheduling:visit-card", kwargs=visit),
        reverse("scheduling:visit", kwargs=visit),
        reverse("scheduling:team-today", kwargs=team),
        reverse("scheduling:swaps", kwargs=team),
        reverse("clients:client-detail", kwargs=client),
        reverse("clients:notes", kwargs=client),
        reverse("clients:note-new", kwargs=client),
        reverse("clients:client-doorstep", kwargs=client),
        reverse("clients:problem-detail", kwargs={**client, "problem_id": world.problem_id}),
        reverse("clients:caseload", kwargs=team),
        reverse("messaging:channels", kwargs=team),
        reverse("messaging:team-channel", kwargs=team),
        reverse("messaging:client-channel", kwargs=client),
        reverse("messaging:handover-new", kwargs=team),
        reverse("team-home", kwargs=team),
        reverse("teamwork:actions", kwargs=team),
        reverse("account-security"),
        reverse("scheduling:start-point"),
    ]


def _part_pages(cast: Cast) -> list[str]:
    """The pages of every kind kept on the client record, with one record of each."""
    pages = []
    for entity in registry.parts():
        record = kinds.sample(entity.name, cast)
        at = {"client_id": cast.client.id, "kind": entity.name}
        pages.append(reverse("clients:part", kwargs=at))
        pages.append(reverse("clients:part-change", kwargs={**at, "record_id": record.pk}))
    return pages


def _family_pages(cast: Cast) -> list[str]:
    client = {"client_id": cast.client.id}
    return [
        reverse("family-home"),
        reverse("clients:family-client", kwargs=client),
        reverse("account-security"),
    ]


def _client_pages(cast: Cast) -> list[str]:
    return [reverse("clients:family-client", kwargs={"client_id": cast.client.id})]


HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-added')"
TWO_FRAMES = "() => new Promise((go) => requestAnimationFrame(() => requestAnimationFrame(go)))"


def settled(page: Page) -> None:
    """Once the fragment the page loads has arrived (the header's unread count, whose
    placeholder with hx-get the answer replaces), htmx has settled it, and the header has fitted
    its items to the new width (on the next frame, app.js): conditions rather than
    "networkidle", which waits half a second of silence after every page."""
    page.locator("#messages-unread[hx-get]").wait_for(state="detached")
    page.wait_for_function(HTMX_IDLE)
    page.evaluate(TWO_FRAMES)


def _measure(page: Page, path: str) -> list[str]:
    """What is too small or too wide on the page as it stands, at its viewport."""
    viewport = page.viewport_size
    assert viewport is not None
    size = f"{viewport['width']}x{viewport['height']}"
    found = [f"{size} {path}: {target}" for target in page.evaluate(MEASURE)]
    if SHOTS:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = f"targets-{size}-{path.strip('/').replace('/', '_')[:60]}.png"
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
    if page.evaluate(PANS_SIDEWAYS):
        wide = page.evaluate(WIDER_THAN_THE_SCREEN)
        found.append(f"{size} {path}: the page pans sideways ({wide})")
    return found


def _small_targets(browser: Browser, base: str, user: User | None, paths: list[str]) -> list[str]:
    """Each page loaded once and measured at each viewport in turn, as a tablet turned from
    landscape to portrait and a phone would show it (the layout follows the width: CSS, and
    app.js's header on resize), instead of loaded three times."""
    found: list[str] = []
    context = browser.new_context(viewport=VIEWPORTS[0], locale="en-GB")
    if user is not None:
        session = HttpClient()
        session.force_login(user)
        cookie = session.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        for path in paths:
            page.set_viewport_size(VIEWPORTS[0])
            response = page.goto(base + path)
            assert response is not None, path
            assert response.ok, (path, response.status)
            for viewport in VIEWPORTS:
                page.set_viewport_size(viewport)
                settled(page)
                found += _measure(page, path)
    finally:
        context.close()
    return found


def test_every_target_on_the_carers_pages_is_at_least_44px(
    browser: Browser, live_server: object, cast: Cast
) -> None:
    world = _world(cast)
    base: str = live_server.url  # type: ignore[attr-defined]
    pages = _carer_pages(cast, world) + _part_pages(cast)
    small = _small_targets(browser, base, cast.carer, pages)
    assert not small, "\n".join(small)


def test_every_target_on_the_familys_and_the_clients_pages_is_at_least_44px(
    browser: Browser, live_server: object, cast: Cast
) -> None:
    _world(cast)
    base: str = live_server.url  # type: ignore[attr-defined]
    small = _small_targets(browser, base, cast.family, _family_pages(cast))
    small += _small_targets(browser, base, cast.client_user, _client_pages(cast))
    small += _small_targets(browser, base, None, [reverse("login")])
    assert not small, "\n".join(small)
