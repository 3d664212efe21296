"""The client's preferred language (issue 30): on the record's form, the record and the card."""

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.errors import DomainError
from clients.models import Client
from clients.services.clients import ClientDetails, client_update
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def edit_url(client: Client) -> str:
    return reverse("clients:client-edit", kwargs={"client_id": client.id})


def form(client: Client, **language: Any) -> dict[str, Any]:
    return {
        "given_name": client.given_name,
        "family_name": client.family_name,
        "status": client.status,
        "version": client.version,
        **language,
    }


def test_the_preferred_language_is_saved_from_the_form_and_shown_on_the_record(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    saved = client.post(
        edit_url(cast.client), form(cast.client, language="cy", language_needed="on")
    )
    assert saved.status_code == 302
    cast.client.refresh_from_db()
    assert (cast.client.language, cast.client.language_needed) == ("cy", True)
    page = client.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    assert "Cymraeg (Welsh)" in page.content.decode()
    assert "Needs care in this language" in page.content.decode()


def test_another_language_is_kept_by_its_name(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    saved = client.post(
        edit_url(cast.client), form(cast.client, language="other", language_other=" Polish ")
    )
    assert saved.status_code == 302
    cast.client.refresh_from_db()
    assert cast.client.language_label == "Polish"


@pytest.mark.parametrize(
    ("language", "field", "words"),
    [
        ({"language": "klingon"}, "language", "Select a valid choice"),
        ({"language": "other", "language_other": " "}, "language_other", "Name the language"),
        ({"language": "", "language_needed": "on"}, "language", "Choose the language they need"),
    ],
)
def test_bad_language_input_is_a_clear_error_beside_its_field(
    client: HttpClient, cast: Cast, language: dict[str, str], field: str, words: str
) -> None:
    client.force_login(cast.nurse)
    response = client.post(edit_url(cast.client), form(cast.client, **language))
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    cast.client.refresh_from_db()
    assert cast.client.language == ""


def test_the_service_refuses_a_language_not_in_the_list_naming_the_field(cast: Cast) -> None:
    details = ClientDetails(given_name="Dafydd", family_name="Llŷr", language="xx")
    with pytest.raises(DomainError) as refused:
        client_update(client=cast.client, version=1, details=details, actor=cast.nurse)
    assert refused.value.field == "language"


def test_another_teams_member_gets_404_on_the_form_and_changes_nothing(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.other_nurse)
    assert client.get(edit_url(cast.client)).status_code == 404
    posted = client.post(edit_url(cast.client), form(cast.client, language="cy"))
    assert posted.status_code == 404
    cast.client.refresh_from_db()
    assert cast.client.language == ""
