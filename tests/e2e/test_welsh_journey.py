"""The Done-when of issue 30 in a browser: a Welsh-speaking carer signs in, switches to Cymraeg
and does a whole visit (My day, the card, check in, the tasks, a note, check out) without an
English word on the way; the family's page and its PDF are in Cymraeg; signing out keeps the
language. On every page the text in Cymraeg (what is visible, and the names controls are given)
is scanned for the English strings of the catalogue that have a Welsh translation, and for
common English words (a string not marked, or not in the catalogue), leaving out people's names
and the client's data; each page is axe clean with lang="cy" and, Welsh words running longer
than English ones, still fits its width. A failure lists, page by page, each English string
seen."""

import calendar
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from careteams.models import Language, Team, User
from scheduling.models import Visit, VisitStatus
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_touch_targets import PANS_SIDEWAYS
from tests.e2e.test_visit_journey import a_visit_now
from tests.scheduling.pdftext import pdf_text
from tests.welsh import english_found, english_pattern, english_pieces, welsh_catalogue

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=15_000)

NOTE = "Brecwast wedi’i fwyta, tabledi wedi’u cymryd."
# People's names and the client's data: written by people, never translated.
DATA = (
    "Dafydd Llŷr",
    "Dafydd",
    "Llŷr",
    "Dai",
    "carer@example.test",
    "family@example.test",
    "Aoife Ní Bhriain",
    "Aoife",
    "Siân Ellis",
    "Siân",
    "Łukasz Żółkowski",
    "Żółkowski",
    "Łukasz",
    "Riverside",
    "4 Heol y Castell",
    "Key safe 1234",
    "Medication prompt",
    "Breakfast",
    "Check the heel dressing",
    NOTE,
)
# The text a page shows in Cymraeg: visible text and the names given to controls (aria-label,
# alt, title, placeholder, a submit input's value), outside any part marked in another language
# (the switch's "English", a bilingual notice's English half).
WELSH_TEXT = """
() => {
  const welsh = (el) => ((el.closest('[lang]') || {}).lang || '').toLowerCase().startsWith('cy');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, noscript') || !el.checkVisibility()) continue;
    if (welsh(el)) out.push(node.textContent);
  }
  const named = '[aria-label], [alt], [title], [placeholder], input[type=submit]';
  for (const el of document.body.querySelectorAll(named)) {
    if (!el.checkVisibility() || !welsh(el)) continue;
    for (const name of ['aria-label', 'alt', 'title', 'placeholder']) {
      if (el.hasAttribute(name)) out.push(el.getAttribute(name));
    }
    if (el.matches('input[type=submit]')) out.push(el.value);
  }
  out.push(document.title);
  return out.join('\\n');
}
"""


# English words that are not also Welsh ones ("a", "i", "am", "at", "do", "hen", "can" are): a
# string not marked for translation, or marked but missing from the catalogue, shows one of them.
ENGLISH_WORDS = {
    *("the", "The", "and", "And", "your", "Your", "you", "You", "with", "With", "for", "For"),
    *("this", "This", "that", "That", "are", "was", "not", "Not", "have", "has", "will"),
    *("from", "From", "been", "there", "what", "What", "when", "When", "who", "Who", "which"),
    *("by", "of", "to", "be", "or", "it", "is"),
}


@pytest.fixture(scope="module")
def english() -> re.Pattern[str]:
    """The catalogue's English that has Welsh; the English names of days and months (Django's own
    catalogue gives them in Welsh: a page showing "Monday" formatted a date by hand); common
    English words."""
    days_and_months = [*calendar.day_name, *calendar.month_name[1:]]
    return english_pattern(english_pieces(welsh_catalogue()) | set(days_and_months) | ENGLISH_WORDS)


def without_data(text: str) -> str:
    for data in DATA:
        text = text.replace(data, " ")
    return text


# A bilingual notice whose Welsh is missing is given once, marked English: the scan leaves
# lang="en-gb" out, so these are looked for on their own.
WITHOUT_WELSH = """
() => Array.from(document.querySelectorAll('.app-bilingual'))
  .filter((el) => !el.querySelector('[lang="cy"]'))
  .map((el) => 'A notice for the public without its Welsh: ' + el.textContent)
"""
# How much of each page's English the report quotes.
LINES_QUOTED = 12


class Journey:
    """Each page's English, gathered so that one run lists them all, with the lines it is in."""

    def __init__(self, english: re.Pattern[str]) -> None:
        self.english = english
        self.found: dict[str, list[str]] = {}

    def text(self, text: str, name: str) -> None:
        lines = [" ".join(line.split()) for line in without_data(text).splitlines()]
        quoted = [line for line in dict.fromkeys(lines) if english_found(line, self.english)]
        if quoted:
            self.found[name] = quoted

    def page(self, page: Page, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        page.wait_for_load_state("load")
        self.text(page.evaluate(WELSH_TEXT), name)
        if without_welsh := page.evaluate(WITHOUT_WELSH):
            self.found.setdefault(name, []).extend(without_welsh)
        assert_accessible(page)
        assert not page.evaluate(PANS_SIDEWAYS), f"{name} pans sideways in Cymraeg"

    def assert_welsh(self) -> None:
        report = "\n".join(
            f"{name}:\n  " + "\n  ".join(line[:120] for line in lines[:LINES_QUOTED])
            for name, lines in self.found.items()
        )
        assert self.found == {}, f"English in Cymraeg:\n{report}"


@pytest.fixture
def journey(english: re.Pattern[str]) -> Journey:
    return Journey(english)


def sign_in(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=password]")).to_have_count(0)


def test_a_welsh_speaking_carer_does_a_whole_visit_in_cymraeg_and_it_survives_sign_out(
    browser: Browser, live_server: object, cast: Cast, journey: Journey
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    visit = a_visit_now(cast)
    # An English browser and an English team: the carer's own choice makes it Welsh.
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, cast.carer)
    my_day = base + reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
    page.goto(my_day)
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.locator('button[name=language][value="cy"]').click()
    assert page.url == my_day
    journey.page(page, "My day")
    assert User.objects.get(pk=cast.carer.pk).language == Language.WELSH

    card = reverse("scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    page.locator(f'main a[href="{card}"]').first.click()
    expect(page.locator(".visit-card__check-in")).to_be_visible()
    journey.page(page, "the visit card")

    page.locator(".visit-card__check-in button[type=submit]").click()
    expect(page.locator("#task-1 .visit-task__done button")).to_be_visible()
    journey.page(page, "the card, checked in")

    for index in (1, 2):
        page.locator(f"#task-{index} .visit-task__done button").click()
        expect(page.locator(f"#task-{index} .visit-task__state .nhsuk-tag--green")).to_be_visible()
    task = page.locator("#task-3")
    task.locator("summary").click()
    task.locator('label[for="task-3-reason-refused"]').click()
    task.locator("form button[type=submit]").last.click()
    expect(page.locator("#task-3 .nhsuk-tag--orange")).to_be_visible()
    journey.page(page, "the tasks")

    page.locator(f'main a[href$="?visit={visit.id}"]').first.click()
    page.locator("textarea[name=body]").fill(NOTE)
    journey.page(page, "the note")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text(NOTE)
    journey.page(page, "the card, with the note")

    check_out = reverse(
        "scheduling:visit-check-out", kwargs={"team_id": cast.team.id, "visit_id": visit.id}
    )
    page.locator(f'main a[href="{check_out}"]').first.click()
    expect(page.locator(f'form[action="{check_out}"]')).to_be_visible()
    journey.page(page, "check out")
    page.locator(f'form[action="{check_out}"] button[type=submit]').click()
    expect(page.locator(f'form[action="{check_out}"]')).to_have_count(0)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DONE
    journey.page(page, "the card, checked out")

    page.locator("form[action$='/logout/'] button").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    journey.page(page, "sign in, after signing out")
    context.close()
    journey.assert_welsh()


def test_the_family_reads_their_page_and_its_pdf_in_cymraeg(
    browser: Browser, live_server: object, cast: Cast, journey: Journey
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    a_visit_now(cast)
    User.objects.filter(pk=cast.family.pk).update(language=Language.WELSH)
    # The team shows its notices for the public in both languages: the English half of the
    # heading is marked lang="en-gb" (left out of the scan), and axe checks the mix.
    Team.objects.filter(pk=cast.team.pk).update(bilingual_notices=True)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, cast.family)
    journey.page(page, "the family's home")
    page.goto(base + reverse("clients:family-client", kwargs={"client_id": cast.client.id}))
    journey.page(page, "the family's page")
    pdf = reverse("clients:family-care-plan-pdf", kwargs={"client_id": cast.client.id})
    assert page.locator(f'main a[href="{pdf}"]').count() == 1
    response = page.request.get(base + pdf)
    assert response.headers["content-type"] == "application/pdf"
    printed = pdf_text(response.body())
    # A bilingual heading is "Cymraeg / English": its English half is meant.
    welsh_halves = "\n".join(line.split(" / ")[0] for line in printed.splitlines())
    journey.text(welsh_halves, "the family's PDF")
    journey.assert_welsh()
    page.goto(base + reverse("clients:family-client", kwargs={"client_id": cast.client.id}))
    expect(page.locator('h1 span[lang="cy"]').first).to_be_visible()
    expect(page.locator('h1 span[lang="en-gb"]').first).to_have_text(
        "Dai’s care"
    )  # the client's preferred name
    assert " / Care plan for Dai" in printed  # the English half of the bilingual title
    context.close()
