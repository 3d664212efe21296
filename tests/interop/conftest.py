"""A partner of the cast's team with a consent for the cast's client, a care record worth
sharing (an Omaha problem rated twice, a visit, an allergy, notes shared and not, an amended
note), and a FHIR client that gets its token the way a partner does."""

import base64
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client as HttpClient

from clients.models import (
    Allergy,
    CareProblem,
    EmergencyContact,
    Intervention,
    Note,
    OutcomeRating,
)
from interop import services
from interop.models import ConsentBasis, ConsentScope, Partner, PartnerConsent, PartnerKind
from scheduling.models import Visit, VisitAssignment, VisitStatus
from tests.conftest import Cast, at

TODAY = dt.date(2030, 11, 25)
NOW = at("2030-11-25 10:00")


class Fhir:
    """Django's test client with a partner's bearer token, answers parsed as JSON."""

    def __init__(self, token: str | None) -> None:
        self.http = HttpClient()
        self.token = token

    def get(self, path: str, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.http.get(f"/fhir/{path}", params, headers=headers)

    def json(self, path: str, **params: Any) -> Any:
        response = self.get(path, **params)
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "application/fhir+json"
        return response.json()


def token_for(client_id: str, secret: str) -> Any:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return HttpClient().post(
        "/fhir/token",
        {"grant_type": "client_credentials", "scope": "fhir"},
        headers={"Authorization": f"Basic {basic}"},
    )


@dataclass
class Shared:
    cast: Cast
    partner: Partner
    consent: PartnerConsent
    secret: str
    client_id: str
    problem: CareProblem
    ratings: list[OutcomeRating]
    visit: Visit
    shared_note: Note
    amendment: Note
    private_note: Note

    def fhir(self) -> Fhir:
        response = token_for(self.client_id, self.secret)
        assert response.status_code == 200, response.content
        return Fhir(response.json()["access_token"])


def register(cast: Cast, name: str = "Riverside Surgery", ods: str = "A81001") -> Partner:
    return services.partner_register(
        team=cast.team,
        details=services.PartnerDetails(name=name, ods_code=ods, kind=PartnerKind.GP_PRACTICE),
        actor=cast.nurse,
    )


def consent(
    cast: Cast, partner: Partner, scope: str = ConsentScope.WITH_SHARED_NOTES
) -> PartnerConsent:
    return services.consent_record(
        client=cast.client,
        details=services.ConsentDetails(
            partner_id=partner.id,
            basis=ConsentBasis.CLIENT_CONSENT,
            scope=scope,
            given_on=TODAY - dt.timedelta(days=3),
            until=None,
        ),
        actor=cast.nurse,
        today=TODAY,
    )


def care_record(cast: Cast) -> dict[str, Any]:
    client = cast.client
    client.risk_flags = ["falls", "safeguarding", "dnacpr"]
    client.gp_practice_name = "Riverside Surgery"
    client.address_line_1 = "7 Zebedee Row"
    client.town = "Cardiff"
    client.date_of_birth = dt.date(1938, 4, 2)
    client.save()
    EmergencyContact.objects.create(
        client=client, name="Carys Llŷr", relationship="Daughter", phone="07700 900123"
    )
    problem = CareProblem.objects.create(
        client=client,
        problem_code="27",
        scope="individual",
        severity="actual",
        identified_on=TODAY - dt.timedelta(days=60),
    )
    Intervention.objects.create(
        problem=problem,
        category="treatments",
        target="49",
        care_description="Insulin at breakfast",
        frequency="daily",
    )
    ratings = [
        OutcomeRating.objects.create(
            problem=problem, knowledge=k, behaviour=b, status=s, rated_on=day, rated_by=cast.nurse
        )
        for (k, b, s), day in (
            ((2, 2, 3), TODAY - dt.timedelta(days=60)),
            ((4, 3, 4), TODAY - dt.timedelta(days=2)),
        )
    ]
    start = at("2030-11-24 09:00")
    visit = Visit.objects.create(
        team=cast.team,
        client=client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=45),
        status=VisitStatus.DONE,
        checked_in_at=start + dt.timedelta(minutes=5),
        checked_out_at=start + dt.timedelta(minutes=50),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    Allergy.objects.create(
        client=client,
        substance="Penicillin",
        reaction="Rash",
        severity="moderate",
        recorded_by=cast.nurse,
    )
    shared = Note.objects.create(
        client=client,
        author=cast.nurse,
        body="Sugars steady.",
        shareable=True,
        recorded_at=start,
        visit_id=visit.id,
    )
    amendment = Note.objects.create(
        client=client,
        author=cast.nurse,
        body="Sugars steady, 6.2.",
        shareable=True,
        recorded_at=start + dt.timedelta(hours=1),
        amends=shared,
    )
    private = Note.objects.create(
        client=client, author=cast.nurse, body="Son worried about money.", recorded_at=start
    )
    return {
        "problem": problem,
        "ratings": ratings,
        "visit": visit,
        "shared_note": shared,
        "amendment": amendment,
        "private_note": private,
    }


@pytest.fixture(autouse=True)
def _at_now() -> Iterator[None]:
    """Consents run from a day to a day in the team's zone: every test at one Monday morning."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def shared(cast: Cast) -> Shared:
    cache.clear()  # the rate limits' windows
    partner = register(cast)
    issued = services.partner_credentials_issue(partner=partner, actor=cast.nurse)
    return Shared(
        cast=cast,
        partner=partner,
        consent=consent(cast, partner),
        secret=issued.client_secret,
        client_id=issued.client_id,
        **care_record(cast),
    )
