"""The password reset answers alike whether the mail server works or not, and whether the
address has an account or not: an unreachable mail server is logged (at error level, without
the address), never a 500."""

import logging
import smtplib
from typing import Any

import pytest
from allauth.core import context
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from accounts.adapter import AccountAdapter
from config.asgi_workers import free_port
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody@example.test"


@pytest.fixture
def mail_server_down(settings: Any) -> None:
    """SMTP to a port nothing listens on: the connection is refused."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "use_tls": False, "timeout": 5},
        }
    }


def ask_for_reset(client: HttpClient, email: str) -> tuple[int, str]:
    response = client.post(reverse("account_reset_password"), {"email": email})
    return response.status_code, response.get("Location", "")


def test_a_reset_with_working_mail_sends_it_and_answers_the_done_page(
    client: HttpClient, cast: Cast
) -> None:
    assert ask_for_reset(client, cast.nurse.email) == (302, reverse("account_reset_password_done"))
    assert [m.to for m in mail.outbox] == [[cast.nurse.email]]


def test_a_reset_with_the_mail_server_down_answers_exactly_as_with_working_mail(
    client: HttpClient, cast: Cast, mail_server_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    done = (302, reverse("account_reset_password_done"))
    with caplog.at_level(logging.ERROR):
        assert ask_for_reset(client, cast.nurse.email) == done
        assert ask_for_reset(client, UNKNOWN) == done
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 2, "each mail that could not be sent is logged"
    logged = "\n".join(r.getMessage() for r in failures)
    assert "not sent" in logged
    assert "ConnectionRefusedError" in logged
    assert "@" not in logged
    assert cast.nurse.email not in logged
    assert UNKNOWN not in logged
    page = client.get(reverse("account_reset_password_done"))
    assert page.status_code == 200


def test_a_refused_recipient_is_logged_without_its_address(
    client: HttpClient,
    cast: Cast,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """smtplib's refusal names the address it refused: the log keeps only its kind."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise smtplib.SMTPRecipientsRefused({cast.nurse.email: (550, b"no such user")})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with caplog.at_level(logging.ERROR):
        assert ask_for_reset(client, cast.nurse.email)[0] == 302
    [failure] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "SMTPRecipientsRefused" in failure.getMessage()
    assert "@" not in failure.getMessage()


def test_a_mail_other_than_the_reset_still_fails_loudly(
    rf: RequestFactory, cast: Cast, mail_server_down: None
) -> None:
    """Only the reset, which must not tell whether an address has an account, hides the
    failure: elsewhere the caller still learns that the mail was not sent."""
    adapter, request = AccountAdapter(), rf.get("/")
    with pytest.raises(ConnectionRefusedError), context.request_context(request):
        adapter.send_mail("account/email/password_changed", cast.nurse.email, {"user": cast.nurse})
