"""The pages of sharing on a tablet, landscape and portrait: the team's partners, a client's
consents, a client's own copy and a member's calendar address each pass axe-core's WCAG 2.2
A/AA checks, fit the screen without panning sideways, and keep every control at least 44 px."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import Page

from careteams.models import User
from tests.conftest import Cast
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.interop.conftest import consent, register

pytestmark = pytest.mark.django_db(transaction=True)

# Controls outside running text: buttons, fields and the links styled as buttons or actions.
SMALL_CONTROLS = """() => Array.from(document.querySelectorAll(
    'main button, main input:not([type=hidden]), main select, main textarea, main a.nhsuk-button'
  )).filter((e) => e.offsetParent !== null)
    .map((e) => { const r = e.getBoundingClientRect();
                  return {what: e.outerHTML.slice(0, 80), width: r.width, height: r.height}; })
    .filter((r) => r.height < 44 || r.width < 44)"""


# Elements reaching past the screen's right edge (the page would pan sideways).
WIDER_THAN_SCREEN = """() => Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((e) => e.outerHTML.slice(0, 100))"""


def signed_in(page: Page, base: str, user: User) -> None:
    client = HttpClient()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


@pytest.mark.parametrize("size", [(1024, 768), (768, 1024)], ids=["landscape", "portrait"])
def test_the_sharing_pages_are_accessible_fit_the_tablet_and_have_44px_controls(
    page: Page, live_server: object, cast: Cast, size: tuple[int, int]
) -> None:
    base: str = live_server.url  # type: ignore[attr-defined]
    consent(cast, register(cast, name="Pendyffryn Surgery"))
    page.set_viewport_size({"width": size[0], "height": size[1]})
    signed_in(page, base, cast.nurse)
    pages = {
        "partners": reverse("interop:partners", kwargs={"team_id": cast.team.id}),
        "consents": reverse("interop:consents", kwargs={"client_id": cast.client.id}),
        "own-copy": reverse("sharing:own-copy", kwargs={"client_id": cast.client.id}),
        "calendar": reverse("sharing:calendar"),
    }
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response is not None, name
        assert response.status == 200, name
        page.wait_for_load_state("load")
        assert_accessible(page)
        assert page.evaluate(WIDER_THAN_SCREEN) == [], name
        assert page.evaluate(SMALL_CONTROLS) == [], name
        page.screenshot(path=SCREENSHOTS / f"sharing-{name}-{size[0]}.png", full_page=True)
