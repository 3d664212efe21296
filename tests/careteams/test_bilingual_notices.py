"""Notices for the public in Cymraeg and English side by side when the team chooses (issue 30):
the team's setting on its page (the API's is in tests/teamwork/test_api.py), the template tag
with each part's `lang`, the family's page headings and the care plan PDFs' headings; a team
that does not choose shows one language."""

import re

import pytest
from django.template import Context, Template
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from careteams import bilingual
from careteams.models import Team
from tests.conftest import Cast
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db

TAG = Template(
    "{% load i18n bilingual %}"
    '<h1>{% bilingual on %}{% translate "Not found" %}{% endbilingual %}</h1>'
)


def in_welsh(english: str) -> str:
    with translation.override("cy"):
        welsh = gettext(english)
    assert welsh != english, f"{english!r} has no Welsh in the catalogue"
    return welsh


def bilingual_team(cast: Cast) -> Team:
    Team.objects.filter(pk=cast.team.pk).update(bilingual_notices=True)
    return Team.objects.get(pk=cast.team.pk)


def test_the_tag_gives_welsh_first_then_english_each_with_its_lang() -> None:
    with translation.override("en-gb"):
        html = TAG.render(Context({"on": True}))
    assert html == (
        '<h1><span class="app-bilingual"><span lang="cy">Heb ei ganfod</span>'
        '<span class="app-bilingual__separator" aria-hidden="true"> / </span>'
        '<span lang="en-gb">Not found</span></span></h1>'
    )


def test_the_tag_off_gives_the_page_language_only() -> None:
    with translation.override("cy"):
        assert TAG.render(Context({"on": False})) == "<h1>Heb ei ganfod</h1>"


def test_a_string_with_no_welsh_yet_is_given_once_in_english() -> None:
    assert bilingual.in_both(lambda: "Llŷr") == [("en-gb", "Llŷr")]
    assert bilingual.text_in_both(lambda: "Dafydd", bilingual=True) == "Dafydd"


def test_the_tag_escapes_what_it_encloses_once() -> None:
    template = Template("{% load bilingual %}{% bilingual True %}{{ name }}{% endbilingual %}")
    assert template.render(Context({"name": "Ann & <Bob>"})) == (
        '<span class="app-bilingual"><span lang="en-gb">Ann &amp; &lt;Bob&gt;</span></span>'
    )


def test_a_member_chooses_bilingual_notices_on_the_settings_page(
    client: HttpClient, cast: Cast
) -> None:
    url = reverse("teamwork:team-settings", kwargs={"team_id": cast.team.id})
    client.force_login(cast.carer)
    assert "Show notices for the public in Cymraeg and English" in client.get(url).content.decode()
    team = cast.team
    data = {
        "name": team.name,
        "holiday_subdivision": team.holiday_subdivision,
        "continuity_limit": team.continuity_limit,
        "late_grace_minutes": team.late_grace_minutes,
        "language": team.language,
        "bilingual_notices": "on",
        "version": team.version,
    }
    assert client.post(url, data).status_code == 302
    assert Team.objects.get(pk=team.pk).bilingual_notices is True


def _h1(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert found is not None
    return found.group(1)


def test_the_family_page_header_is_in_both_languages_when_the_team_chooses(
    client: HttpClient, cast: Cast
) -> None:
    bilingual_team(cast)
    client.force_login(cast.family)
    page = client.get(reverse("clients:family-client", kwargs={"client_id": cast.client.id}))
    heading = _h1(page.content.decode())
    welsh = in_welsh("%(name)s’s care") % {"name": "Dafydd"}
    assert f'<span lang="cy">{welsh}</span>' in heading
    assert '<span lang="en-gb">Dafydd’s care</span>' in heading
    assert heading.index('lang="cy"') < heading.index('lang="en-gb"')
    assert in_welsh("from the %(team)s care team") % {"team": "Riverside"} in heading
    home = _h1(client.get(reverse("family-home")).content.decode())
    assert f'<span lang="cy">{in_welsh("Care plans you can read")}</span>' in home


def test_the_family_page_header_is_in_one_language_when_the_team_does_not_choose(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.family)
    page = client.get(reverse("clients:family-client", kwargs={"client_id": cast.client.id}))
    heading = _h1(page.content.decode())
    assert "lang=" not in heading
    assert heading.startswith("Dafydd’s care")
    assert "lang=" not in _h1(client.get(reverse("family-home")).content.decode())


def test_the_family_pdf_headings_are_in_both_languages_when_the_team_chooses(
    client: HttpClient, cast: Cast
) -> None:
    bilingual_team(cast)
    client.force_login(cast.family)
    url = reverse("clients:family-care-plan-pdf", kwargs={"client_id": cast.client.id})
    text = " ".join(pdf_text(client.get(url).content).split())
    welsh_title = in_welsh("Care plan for %(name)s") % {"name": "Dafydd"}
    assert f"{welsh_title} / Care plan for Dafydd" in text
    assert f"{in_welsh('What we help with')} / What we help with" in text
    assert f"{in_welsh('Coming visits')} / Coming visits" in text


def test_the_family_pdf_headings_are_in_one_language_when_the_team_does_not_choose(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.family)
    url = reverse("clients:family-care-plan-pdf", kwargs={"client_id": cast.client.id})
    text = pdf_text(client.get(url).content)
    assert "Care plan for Dafydd" in text
    assert in_welsh("What we help with") not in text
    assert " / " not in text


def test_the_team_care_plan_pdf_title_is_in_both_languages_when_the_team_chooses(
    client: HttpClient, cast: Cast
) -> None:
    bilingual_team(cast)
    client.force_login(cast.nurse)
    url = reverse("clients:care-plan-pdf", kwargs={"client_id": cast.client.id})
    text = " ".join(pdf_text(client.get(url).content).split())
    assert (
        f"{in_welsh('Care plan: %(name)s') % {'name': 'Dafydd Llŷr'}} / Care plan: Dafydd Llŷr"
        in text
    )
