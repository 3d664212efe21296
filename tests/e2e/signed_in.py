"""A tablet (a browser context of its own) already signed in as a person: the session made on
the server side, its cookie given to the browser, so a test starts where the person would."""

from django.test import Client as HttpClient
from playwright.sync_api import Browser, Page

from careteams.models import User


def signed_in_tablet(
    browser: Browser, base_url: str, user: User, *, timeout_ms: int = 15_000
) -> Page:
    """At 1024x768, in British English."""
    session = HttpClient()
    session.force_login(user)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    return page
