"""The team's pages: register a partner, issue its credentials (the secret shown once) and
revoke them; record a client's consent and revoke it. Another team's member gets 404."""

import pytest
from django.test import Client as HttpClient
from oauth2_provider.models import Application

from careteams.models import Team
from interop.models import Partner, PartnerConsent
from tests.conftest import Cast
from tests.interop.conftest import register, token_for

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> HttpClient:
    browser = HttpClient()
    browser.force_login(user)  # type: ignore[arg-type]
    return browser


def test_a_member_registers_a_partner_and_a_bad_ods_code_is_refused_beside_its_field(
    cast: Cast,
) -> None:
    browser = signed_in(cast.nurse)
    url = f"/teams/{cast.team.id}/partners/"
    bad = browser.post(
        url, {"name": "Riverside Surgery", "ods_code": "A8-1", "kind": "gp_practice"}
    )
    assert bad.status_code == 400
    assert "Enter the ODS code" in bad.content.decode()
    good = browser.post(
        url, {"name": "Riverside Surgery", "ods_code": "a81001", "kind": "gp_practice"}
    )
    assert good.status_code == 302
    partner = Partner.objects.get(team=cast.team)
    assert partner.ods_code == "A81001"
    assert not partner.reader.is_active
    assert not partner.reader.has_usable_password()


def test_only_the_role_the_team_names_may_register_partners(cast: Cast) -> None:
    Team.objects.filter(pk=cast.team.pk).update(managed_by_role="planner")
    url = f"/teams/{cast.team.id}/partners/"
    data = {"name": "Riverside Surgery", "ods_code": "A81001", "kind": "gp_practice"}
    assert signed_in(cast.carer).post(url, data).status_code == 400
    assert not Partner.objects.exists()
    assert signed_in(cast.nurse).post(url, data).status_code == 302


def test_credentials_are_shown_once_work_for_a_token_and_revoking_ends_them(cast: Cast) -> None:
    partner = register(cast)
    browser = signed_in(cast.nurse)
    page = browser.post(f"/partners/{partner.id}/credentials/")
    assert page.status_code == 200
    partner.refresh_from_db()
    application = Application.objects.get(pk=partner.application_id)
    assert application.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS
    secret = page.context["credentials"].client_secret
    assert secret in page.content.decode()
    assert application.client_secret != secret  # only its hash is kept
    assert token_for(application.client_id, secret).status_code == 200
    listing = browser.get(f"/teams/{cast.team.id}/partners/").content.decode()
    assert secret not in listing
    assert browser.post(f"/partners/{partner.id}/credentials/revoke/").status_code == 302
    assert token_for(application.client_id, secret).status_code == 401


def test_a_member_records_and_revokes_a_consent_on_the_client_record(cast: Cast) -> None:
    partner = register(cast)
    browser = signed_in(cast.nurse)
    url = f"/clients/{cast.client.id}/consents/"
    data = {
        "partner": str(partner.id),
        "basis": "client_consent",
        "scope": "care_record",
        "given_on": "2030-11-24",
        "until": "2031-11-24",
    }
    assert browser.post(url, {**data, "given_on": "2030-12-01"}).status_code == 400
    assert browser.post(url, data).status_code == 302
    consent = PartnerConsent.objects.get(client=cast.client)
    assert consent.recorded_by == cast.nurse
    assert "Riverside Surgery" in browser.get(url).content.decode()
    assert browser.post(f"/consents/{consent.id}/revoke/").status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_by == cast.nurse
    assert consent.revoked_at is not None


def test_another_teams_member_gets_404_on_every_page(cast: Cast) -> None:
    partner = register(cast)
    browser = signed_in(cast.other_nurse)
    assert browser.get(f"/teams/{cast.team.id}/partners/").status_code == 404
    assert browser.post(f"/partners/{partner.id}/credentials/").status_code == 404
    assert browser.get(f"/clients/{cast.client.id}/consents/").status_code == 404
    assert not Application.objects.exists()
