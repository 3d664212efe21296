"""Who may read what over FHIR: a partner reads its consented clients of its own team only;
everyone else gets a 404 (signed-in people without a token a 401), revoking is at once, and
every read is in the client's read log as the partner organisation."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from careteams.models import AccessEvent, Door
from interop import services
from tests.conftest import Cast
from tests.interop.conftest import Fhir, Shared, consent, register, token_for

pytestmark = pytest.mark.django_db


def routes(shared: Shared) -> dict[str, str]:
    """A URL of the client's record for every FHIR route (the names in interop/fhir_urls.py)."""
    client = shared.cast.client.id
    return {
        "fhir:patient-search": "Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919",
        "fhir:everything": f"Patient/{client}/$everything",
        "fhir:search": f"Observation?patient={client}",
        "fhir:read": f"Condition/{shared.problem.id}",
    }


def test_every_fhir_route_has_a_rule_here(shared: Shared) -> None:
    (fhir,) = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "fhir"
    ]
    names = {f"fhir:{p.name}" for p in fhir.url_patterns if isinstance(p, URLPattern)}
    # metadata is public (a CapabilityStatement names no one); token takes client credentials.
    assert names - {"fhir:metadata", "fhir:token"} == set(routes(shared))


def shows_client(response: Any) -> bool:
    return response.status_code == 200 and "Llŷr" in response.content.decode()


def test_the_consented_partner_reads_every_route_and_each_read_is_logged_as_it(
    shared: Shared,
) -> None:
    fhir = shared.fhir()
    for name, url in routes(shared).items():
        before = AccessEvent.objects.count()
        response = fhir.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/fhir+json"
        rows = list(AccessEvent.objects.order_by("id")[before:])
        assert [(r.client_id, r.user_id, r.door, r.allowed) for r in rows] == [
            (shared.cast.client.id, shared.partner.reader_id, Door.API, True)
        ], name


@pytest.mark.parametrize(
    "who", ["unconsented partner", "other team's partner", "no token", "member session"]
)
def test_anyone_but_the_consented_partner_is_refused_on_every_route(
    shared: Shared, who: str
) -> None:
    cast = shared.cast
    get: Callable[[str], Any]
    if who == "unconsented partner":
        other = register(cast, name="Heath Hospital discharge", ods="RWMBV")
        issued = services.partner_credentials_issue(partner=other, actor=cast.nurse)
        get = Fhir(token_for(issued.client_id, issued.client_secret).json()["access_token"]).get
        want = 404
    elif who == "other team's partner":
        far = services.partner_register(
            team=cast.other_team,
            details=services.PartnerDetails(
                name="Glasgow GP", ods_code="S10001", kind="gp_practice"
            ),
            actor=cast.other_nurse,
        )
        issued = services.partner_credentials_issue(partner=far, actor=cast.other_nurse)
        get = Fhir(token_for(issued.client_id, issued.client_secret).json()["access_token"]).get
        want = 404
    else:
        browser = HttpClient()
        if who == "member session":
            browser.force_login(cast.nurse)
        get = lambda url: browser.get(f"/fhir/{url}")  # noqa: E731
        want = 401
    for name, url in routes(shared).items():
        response = get(url)
        if name == "fhir:patient-search" and want == 404:
            # A search finds nothing the partner may not read: an empty page, not an error.
            assert response.json()["total"] == 0
            continue
        assert response.status_code == want, name
        assert response.json()["resourceType"] == "OperationOutcome"
        assert not shows_client(response)


def test_revoking_the_consent_ends_access_at_once_with_the_same_token(shared: Shared) -> None:
    fhir = shared.fhir()
    url = f"Patient/{shared.cast.client.id}"
    assert fhir.get(url).status_code == 200
    services.consent_revoke(consent=shared.consent, actor=shared.cast.nurse)
    assert fhir.get(url).status_code == 404
    assert fhir.json("Patient")["total"] == 0
    refused = AccessEvent.objects.filter(user=shared.partner.reader, allowed=False)
    assert refused.filter(client_id=shared.cast.client.id).exists()


def test_revoked_credentials_and_their_tokens_stop_at_once(shared: Shared) -> None:
    fhir = shared.fhir()
    services.partner_credentials_revoke(partner=shared.partner, actor=shared.cast.nurse)
    assert fhir.get(f"Patient/{shared.cast.client.id}").status_code == 401
    assert token_for(shared.client_id, shared.secret).status_code == 401


def test_the_token_endpoint_gives_a_bearer_token_for_client_credentials_only(
    shared: Shared,
) -> None:
    good = token_for(shared.client_id, shared.secret)
    assert good.status_code == 200
    assert good.json()["token_type"] == "Bearer"
    assert good.json()["scope"] == "fhir"
    assert token_for(shared.client_id, "not-the-secret").status_code == 401
    password = HttpClient().post(
        "/fhir/token",
        {
            "grant_type": "password",
            "username": "nurse@example.test",
            "password": "x",
            "client_id": shared.client_id,
        },
    )
    assert password.status_code in (400, 401)


def test_partner_reads_appear_in_who_has_read_this_record_as_the_organisation(
    shared: Shared,
) -> None:
    shared.fhir().json(f"Patient/{shared.cast.client.id}/$everything")
    browser = HttpClient()
    browser.force_login(shared.cast.nurse)
    page = browser.get(f"/clients/{shared.cast.client.id}/").content.decode()
    assert 'Riverside Surgery <span class="nhsuk-body-s">(partner organisation)</span>' in page
    family = HttpClient()
    family.force_login(shared.cast.family)
    plain = family.get(f"/family/clients/{shared.cast.client.id}/").content.decode()
    assert "Riverside Surgery (partner organisation) looked at the shared record." in plain


def test_search_by_nhs_number_and_last_updated_pages_with_next_and_previous(
    shared: Shared, cast: Cast
) -> None:
    fhir = shared.fhir()
    assert (
        fhir.json("Patient", identifier="https://fhir.nhs.uk/Id/nhs-number|9434765919")["total"]
        == 1
    )
    assert (
        fhir.json("Patient", identifier="https://fhir.nhs.uk/Id/nhs-number|4857773457")["total"]
        == 0
    )
    assert fhir.json("Patient", identifier="http://other.example/id|9434765919")["total"] == 0
    assert fhir.json("Patient", _lastUpdated="ge2030-11-25")["total"] == 1
    assert fhir.json("Patient", _lastUpdated="lt2030-11-25")["total"] == 0
    first = fhir.json("Observation", patient=str(cast.client.id), _count="4")
    assert first["total"] == 6
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert set(links) == {"self", "next"}
    second = fhir.get(links["next"].split("/fhir/", 1)[1]).json()
    assert len(second["entry"]) == 2
    assert {link["relation"] for link in second["link"]} == {"self", "previous"}


@pytest.mark.parametrize(
    ("url", "status", "where"),
    [
        ("Patient?_count=0", 400, "_count"),
        ("Patient?_lastUpdated=yesterday", 400, "_lastUpdated"),
        ("Condition", 400, "patient"),
        ("Medication/1", 404, ""),
        ("Condition/not-a-uuid", 404, ""),
    ],
)
def test_bad_requests_are_operation_outcomes_naming_the_parameter(
    shared: Shared, url: str, status: int, where: str
) -> None:
    path, _, query = url.partition("?")
    params = dict([query.split("=", 1)]) if query else {}
    response = shared.fhir().get(path, **params)
    assert response.status_code == status
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0].get("expression", [""]) == [where]


def test_writes_are_refused_and_reads_are_rate_limited(shared: Shared, settings: Any) -> None:
    fhir = shared.fhir()
    token = {"Authorization": f"Bearer {fhir.token}"}
    assert fhir.http.post("/fhir/Patient", {}, headers=token).status_code == 405
    settings.FHIR_READ_RATE = (2, 60)
    answers = [fhir.get("metadata-less").status_code for _ in range(3)]
    assert answers[-1] == 429


def test_a_second_live_consent_for_the_same_partner_is_refused_beside_the_partner(
    shared: Shared,
) -> None:
    from careteams.errors import DomainError

    with pytest.raises(DomainError) as refused:
        consent(shared.cast, shared.partner)
    assert refused.value.field == "partner"
