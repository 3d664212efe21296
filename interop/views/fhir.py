"""The FHIR API's views: who the partner is, parse the search, read through the partner's
consents, build, answer `application/fhir+json`. Every error is an OperationOutcome."""

import json
import uuid
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import TokenView

from accounts.addresses import client_address
from careteams import access_log, timeutil
from careteams.errors import NotFound
from careteams.models import Door
from clients.models import Client
from interop import bundles, rate, search, selectors
from interop.access import partner_of_request
from interop.fhir import people
from interop.fhir.capability import TYPES, capability_statement
from interop.fhir.common import FHIR_JSON, NHS_NUMBER_SYSTEM
from interop.fhir.outcome import operation_outcome
from interop.models import Partner, PartnerConsent
from interop.records import Notes, client_records

READ = "shared record"
TEAM_TYPES = ("Organization", "Practitioner", "PractitionerRole")
FhirView = Callable[..., HttpResponse]


def _answer(data: dict[str, Any], status: int = 200) -> HttpResponse:
    # The encoder turns translated labels (lazy strings: Omaha terms, choices) into text.
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder), status=status, content_type=FHIR_JSON
    )


def _error(status: int, text: str, expression: str = "") -> HttpResponse:
    return _answer(operation_outcome(status, text, expression=expression), status)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir")


def _logged(partner: Partner, client_ids: Sequence[uuid.UUID]) -> None:
    """The partner's read of each client it is shown, as its organisation (interop/apps.py)."""
    access_log.reads_record(user=partner.reader, client_ids=client_ids, what=READ, door=Door.API)


def fhir_view(view: FhirView) -> FhirView:
    """GET only, a partner's valid token, within its rate; errors as OperationOutcome."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if request.method != "GET":
            return _error(405, "This API is read-only: use GET.")
        partner = partner_of_request(request)
        if partner is None:
            response = _error(401, "Send a bearer token from POST /fhir/token (scope fhir).")
            response["WWW-Authenticate"] = 'Bearer realm="fhir"'
            return response
        wait = rate.over_limit(
            setting="FHIR_READ_RATE", default=(300, 60), key=f"partner:{partner.pk}"
        )
        if wait is not None:
            response = _error(429, "Too many requests: wait and try again.")
            response["Retry-After"] = str(wait)
            return response
        # The read log writes the request's reads as this person's (the partner's account).
        request.auth = partner.reader  # type: ignore[attr-defined]
        try:
            return view(request, partner, **kwargs)
        except NotFound:
            return _error(404, "No such resource, or not shared with your organisation.")
        except search.BadSearch as exc:
            return _error(400, str(exc), exc.parameter)

    return wrapper


@csrf_exempt
def metadata(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _error(405, "Use GET.")
    return _answer(capability_statement(base=_base(request), now=timezone.now()))


_token_view = TokenView.as_view()


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    """OAuth2 token endpoint (django-oauth-toolkit): `grant_type=client_credentials`, the
    partner's client id and secret (HTTP Basic or in the body), limited like API sign-ins."""
    wait = rate.over_limit(
        setting="API_SIGN_IN_RATE", default=(10, 60), key=f"ip:{client_address(request)}"
    )
    if wait is not None:
        refused = HttpResponse(
            json.dumps({"error": "slow_down"}), status=429, content_type="application/json"
        )
        refused["Retry-After"] = str(wait)
        return refused
    answer: HttpResponse = _token_view(request)
    return answer


def _notes(consent: PartnerConsent) -> Notes:
    return Notes.SHARED if consent.shares_notes else Notes.NONE


def _consented(partner: Partner, client_id: uuid.UUID | str) -> tuple[Client, PartnerConsent]:
    try:
        return selectors.consented_client(partner, client_id)
    except NotFound:
        access_log.refused_read_record(
            user=partner.reader, client_id=str(client_id), what=READ, door=Door.API
        )
        raise


def _client_resources(
    request: HttpRequest, partner: Partner, client_id: str
) -> list[dict[str, Any]]:
    client, consent = _consented(partner, client_id)
    records = client_records(client=client, notes=_notes(consent), partner=partner)
    _logged(partner, [client.id])
    return bundles.client_resources(records, today=timeutil.local_today(client.team.zone))


@fhir_view
def everything(request: HttpRequest, partner: Partner, rid: str) -> HttpResponse:
    client, consent = _consented(partner, rid)
    bundle = bundles.patient_everything(
        client=client, base=_base(request), notes=_notes(consent), partner=partner
    )
    _logged(partner, [client.id])
    return _answer(bundle)


def _page(
    request: HttpRequest, items: Sequence[dict[str, Any]], total: int, count: int, page: int
) -> dict[str, Any]:
    params = {k: v for k, v in request.GET.lists() if k != "_page"}

    def url(number: int) -> str:
        query = urlencode([*((k, v) for k, vs in params.items() for v in vs), ("_page", number)])
        return f"{request.build_absolute_uri(request.path)}?{query}"

    links = [("self", url(page))]
    if page * count < total:
        links.append(("next", url(page + 1)))
    if page > 1:
        links.append(("previous", url(page - 1)))
    return bundles.searchset(base=_base(request), resources=items, total=total, links=links)


@fhir_view
def patient_search(request: HttpRequest, partner: Partner) -> HttpResponse:
    count, page = search.count_and_page(request.GET)
    clients = selectors.partner_clients(partner)
    nhs_number = search.identifier(request.GET.getlist("identifier"), NHS_NUMBER_SYSTEM)
    if nhs_number is not None:
        clients = clients.filter(nhs_number=nhs_number)
    for span in search.last_updated(request.GET.getlist("_lastUpdated")):
        lookup, exclude = span.lookup("updated_at")
        clients = clients.exclude(**lookup) if exclude else clients.filter(**lookup)
    total = clients.count()
    shown = list(clients[(page - 1) * count : page * count])
    items = [
        people.patient(c, contacts=c.emergency_contacts.all(), updated=c.updated_at) for c in shown
    ]
    _logged(partner, [c.id for c in shown])
    return _answer(_page(request, items, total, count, page))


def _team_resources(partner: Partner, rtype: str) -> list[dict[str, Any]]:
    if rtype == "Organization":
        return [people.team_organization(partner.team), people.partner_organization(partner)]
    members = list(selectors.partner_team_members(partner))
    if rtype == "Practitioner":
        users = {m.user_id: m.user for m in members}
        return [people.practitioner(u) for u in users.values()]
    return [people.practitioner_role(m) for m in members]


def _filtered(items: list[dict[str, Any]], spans: list[search.Span]) -> list[dict[str, Any]]:
    """Those changed within the _lastUpdated conditions (a resource with no known change time
    never matches one)."""
    if not spans:
        return items
    kept = []
    for item in items:
        stamp = item.get("meta", {}).get("lastUpdated")
        when = search.parse_instant(stamp) if stamp else None
        if when is not None and all(span.admits(when) for span in spans):
            kept.append(item)
    return kept


@fhir_view
def type_search(request: HttpRequest, partner: Partner, rtype: str) -> HttpResponse:
    if rtype not in TYPES:
        return _error(404, f"This server has no {rtype} resources.")
    count, page = search.count_and_page(request.GET)
    spans = search.last_updated(request.GET.getlist("_lastUpdated"))
    patient = request.GET.get("patient") or request.GET.get("subject") or ""
    patient = patient.removeprefix("Patient/")
    if patient:
        found = _client_resources(request, partner, patient)
        items = [r for r in found if r["resourceType"] == rtype]
    elif rtype in TEAM_TYPES:
        items = _team_resources(partner, rtype)
    else:
        raise search.BadSearch("patient", f"Search {rtype} by patient, e.g. ?patient=<id>.")
    items = _filtered(items, spans)
    shown = items[(page - 1) * count : page * count]
    return _answer(_page(request, shown, len(items), count, page))


@fhir_view
def read(request: HttpRequest, partner: Partner, rtype: str, rid: str) -> HttpResponse:
    if rtype not in TYPES:
        return _error(404, f"This server has no {rtype} resources.")
    if rtype in TEAM_TYPES:
        items = _team_resources(partner, rtype)
    else:
        owner = selectors.record_owner(rtype, rid)
        if owner is None:
            raise NotFound()
        items = _client_resources(request, partner, str(owner))
    for item in items:
        if item["resourceType"] == rtype and item["id"] == rid:
            return _answer(item)
    raise NotFound()
