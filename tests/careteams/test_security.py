"""Production settings pass Django's deployment checks, and nothing with client data is cached."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.conftest import Cast

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_with_production_settings_prints_no_warnings() -> None:
    # Without what the test run itself sets (the browser tests allow sync ORM calls in their
    # event loop): production never has that.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "care.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("nurse", "clients:client-detail"),
        ("nurse", "clients:care-plan-pdf"),
        ("nurse", "clients:notes"),
        ("family", "clients:family-client"),
        ("family", "clients:family-care-plan-pdf"),
    ],
)
def test_pages_with_client_data_are_never_stored(
    client: HttpClient, cast: Cast, who: str, name: str
) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(reverse(name, kwargs={"client_id": cast.client.id}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_week_board_and_my_day_are_never_stored(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    for name in ("scheduling:week-current", "scheduling:my-day"):
        response = client.get(reverse(name, kwargs={"team_id": cast.team.id}), follow=True)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_refused_page_is_not_stored_either(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.other_carer)
    response = client.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
