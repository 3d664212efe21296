"""Browser tests: Playwright drives Debian's Chromium against a live server, and axe-core checks
every page visited against WCAG 2.2 A and AA."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from playwright.sync_api import Browser, Page, sync_playwright

from config.asgi_workers import asgi_workers, database_url, free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


# Package scope: Playwright's loop runs in this thread while the browser is open, so it must be
# closed before the tests after these, which may call async_to_sync (a request through an
# async-capable middleware, a database fault's path).
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `make chromium` (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # This machine has no outside network: stop Chromium from reaching for it.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _contexts_closed_after_each_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """The tablets a test opened (helpers make contexts of their own) are closed when it ends:
    left open, their pages (live sockets retrying, tablets' queues) would stay in the browser
    the package shares, running through every later test on the same cores."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser: Browser = request.getfixturevalue("browser")
    before = list(browser.contexts)
    yield
    for context in browser.contexts:
        if context not in before:
            context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    # A tablet in landscape: the size the team plans on.
    context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    setattr(item, f"rep_{report.when}", report)  # type: ignore[attr-defined]
    return report


def assert_accessible(page: Page) -> None:
    """No axe-core violation of WCAG 2.2 A/AA on the page as it stands."""
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture(scope="module")
def asgi_worker(django_db_setup: None) -> Iterator[str]:
    """A real ASGI worker (daphne) on the test database, one for a module's tests: each start is
    seconds of Django starting up, and a module has up to ten tests that need one. It keeps
    nothing of a test for the next: what it serves is read from the database each time."""
    port = free_port()
    with asgi_workers([port], {"DATABASE_URL": database_url(connection.settings_dict)}):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def asgi_url(asgi_worker: str, transactional_db: None, browser: Browser) -> Iterator[str]:
    """The module's ASGI worker, for pages with live sockets (the live_server fixture speaks
    WSGI only, so its pages show "Offline"). The tablets the test opened are closed when it
    ends, before the database is emptied: the worker outlives the test, and their sockets and
    requests must not write into the emptying database or the next test's."""
    before = list(browser.contexts)
    yield asgi_worker
    for context in browser.contexts:
        if context not in before:
            context.close()
