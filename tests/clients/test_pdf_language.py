"""PDFs in their reader's language (issue 30): their own setting, else the language of the team
whose record they print, whatever the page was in when they asked for it; Welsh prints, with its
accented letters (tests/scheduling/pdftext.py reads what the fonts draw)."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from careteams.models import Language, Team, User
from careteams.reading import reader_language
from tests.conftest import Cast
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def in_welsh(english: str) -> str:
    with translation.override("cy"):
        welsh = gettext(english)
    assert welsh != english, f"{english!r} has no Welsh in the catalogue"
    return welsh


def languages(cast: Cast, *, reader: str, team: str) -> None:
    User.objects.filter(pk=cast.family.pk).update(language=reader)
    User.objects.filter(pk=cast.nurse.pk).update(language=reader)
    Team.objects.filter(pk=cast.team.pk).update(language=team)


def family_pdf(client: HttpClient, cast: Cast) -> str:
    """Asked for from a page in English (the cookie): the PDF follows the reader, not it."""
    client.force_login(cast.family)
    client.cookies["django_language"] = "en-gb"
    url = reverse("clients:family-care-plan-pdf", kwargs={"client_id": cast.client.id})
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content).split())


def test_a_welsh_reader_gets_the_family_pdf_in_welsh_from_an_english_team(
    client: HttpClient, cast: Cast
) -> None:
    languages(cast, reader=Language.WELSH, team=Language.ENGLISH)
    text = family_pdf(client, cast)
    assert in_welsh("Care plan for %(name)s") % {"name": "Dafydd"} in text
    assert in_welsh("What we help with") in text
    assert in_welsh("From the %(team)s care team.") % {"team": "Riverside"} in text  # "dîm"
    assert "What we help with" not in text


def test_a_family_member_who_never_chose_gets_the_welsh_team_s_language(
    client: HttpClient, cast: Cast
) -> None:
    languages(cast, reader="", team=Language.WELSH)
    assert in_welsh("Coming visits") in family_pdf(client, cast)


def test_an_english_reader_gets_english_from_a_welsh_team(client: HttpClient, cast: Cast) -> None:
    languages(cast, reader=Language.ENGLISH, team=Language.WELSH)
    text = family_pdf(client, cast)
    assert "Care plan for Dafydd" in text
    assert in_welsh("Coming visits") not in text


def test_the_team_care_plan_pdf_follows_the_nurse_s_language(
    client: HttpClient, cast: Cast
) -> None:
    languages(cast, reader=Language.WELSH, team=Language.ENGLISH)
    client.force_login(cast.nurse)
    url = reverse("clients:care-plan-pdf", kwargs={"client_id": cast.client.id})
    text = " ".join(pdf_text(client.get(url).content).split())
    assert in_welsh("Care plan: %(name)s") % {"name": "Dafydd Llŷr"} in text


@pytest.mark.parametrize(
    ("own", "team", "expected"),
    [
        ("cy", "en-gb", "cy"),
        ("en-gb", "cy", "en-gb"),
        ("", "cy", "cy"),
        ("", "en-gb", "en-gb"),
        ("", "", "en-gb"),
    ],
)
def test_the_reader_s_language_is_their_own_else_the_team_s(
    cast: Cast, own: str, team: str, expected: str
) -> None:
    cast.family.language = own
    assert reader_language(cast.family, team) == expected
