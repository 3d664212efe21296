"""The tablet in each language (issue 30): the words of its page scripts and its offline page
are named by their language in their address, precached one per language, and every page asks
for its own language's catalogue, whatever the request's cookie or Accept-Language says."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from tests.conftest import Cast

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def signed_in(user: object, language: str) -> HttpClient:
    client = HttpClient()
    client.force_login(user)  # type: ignore[arg-type]
    client.cookies[COOKIE] = language
    return client


def formats_of(catalogue: str) -> dict[str, object]:
    found = re.search(r"django\.formats = (\{.*?\});", catalogue, re.DOTALL)
    assert found, catalogue[:200]
    formats: dict[str, object] = json.loads(found.group(1))
    return formats


def test_the_catalogue_is_in_the_language_its_address_names_whatever_the_request_says(
    cast: Cast,
) -> None:
    welsh = HttpClient(headers={"accept-language": "en-GB"}).get("/tablet/jsi18n/cy/")
    english = signed_in(cast.carer, "cy").get("/tablet/jsi18n/en-gb/")
    assert welsh.status_code == english.status_code == 200
    assert formats_of(welsh.content.decode())["DATE_FORMAT"] == "j F Y"  # 25 Hydref 2006
    assert formats_of(english.content.decode())["DATE_FORMAT"] == "j M Y"  # 25 Oct 2006


def test_a_language_the_site_does_not_offer_has_no_catalogue_nor_offline_page() -> None:
    assert HttpClient().get("/tablet/jsi18n/fr/").status_code == 404
    assert HttpClient().get("/tablet/offline/fr/").status_code == 404


def test_a_page_in_cymraeg_asks_for_the_welsh_catalogue(cast: Cast) -> None:
    page = signed_in(cast.carer, "cy").get(f"/teams/{cast.team.id}/my-day/").content.decode()
    assert 'src="/tablet/jsi18n/cy/"' in page
    page = signed_in(cast.carer, "en-gb").get(f"/teams/{cast.team.id}/my-day/").content.decode()
    assert 'src="/tablet/jsi18n/en-gb/"' in page


def test_the_worker_precaches_the_catalogue_and_offline_page_of_every_language() -> None:
    body = HttpClient().get("/sw.js").content.decode().replace("\\/", "/")
    for code, _name in settings.LANGUAGES:
        assert f'"url": "/tablet/jsi18n/{code}/"' in body
        assert f'"url": "/tablet/offline/{code}/"' in body


def test_the_offline_page_in_cymraeg_says_so_in_its_lang_and_its_words(cast: Cast) -> None:
    page = signed_in(cast.carer, "en-gb").get("/tablet/offline/cy/").content.decode()
    assert '<html lang="cy">' in page
    assert "Nid yw'r dudalen hon wedi'i chadw ar y dabled hon" in page
    page = HttpClient().get("/tablet/offline/en-gb/").content.decode()
    assert '<html lang="en-gb">' in page
    assert "This page is not kept on this tablet" in page
