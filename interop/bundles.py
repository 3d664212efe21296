"""Bundles: a client's everything (`Patient/{id}/$everything`, and the client's own copy) and
the pages of a search. Plain functions over rows: the caller scopes the client."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from careteams import timeutil
from clients.models import Client
from interop.fhir import care_plan, clinical, people
from interop.fhir.common import instant
from interop.models import Partner
from interop.records import ClientRecords, Notes, client_records


def client_resources(records: ClientRecords, *, today: dt.date) -> list[dict[str, Any]]:
    """Every resource of one client's record, the Patient first, each once."""
    client, updated = records.client, records.updated
    by_problem = {p.id: p for p in records.problems}
    amended = {n.amends_id for n in records.notes if n.amends_id}
    out: list[dict[str, Any]] = [
        people.patient(client, contacts=records.contacts, updated=updated.get(client.id)),
        people.team_organization(client.team),
        *(people.partner_organization(p) for p in records.partners()),
        *(people.practitioner(u) for u in records.users()),
        *(people.practitioner_role(m) for m in records.memberships()),
        *(people.related_person(f, updated.get(f.id)) for f in records.family),
        people.care_team(client, records.nurses),
        care_plan.care_plan(
            client, records.problems, records.interventions, updated.get(client.id)
        ),
        *(care_plan.condition(p, updated.get(p.id)) for p in records.problems),
    ]
    for rating in records.ratings:
        out.extend(care_plan.observations(rating, by_problem[rating.problem_id]))
    out.extend(
        clinical.encounter(v, [a.member for a in v.assignments.all()], updated.get(v.id))
        for v in records.visits
    )
    out.extend(clinical.flags(client))
    out.extend(clinical.allergy_intolerance(a, updated.get(a.id)) for a in records.allergies)
    out.extend(clinical.document_reference(n, n.id in amended) for n in records.notes)
    out.extend(clinical.consent(c, today) for c in records.consents)
    return out


def _entry(base: str, item: dict[str, Any], mode: str) -> dict[str, Any]:
    return {
        "fullUrl": f"{base}/{item['resourceType']}/{item['id']}",
        "resource": item,
        "search": {"mode": mode},
    }


def searchset(
    *,
    base: str,
    resources: Sequence[dict[str, Any]],
    total: int,
    links: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """A page of search results (`links`: (relation, url) pairs: self, next, previous)."""
    return {
        "resourceType": "Bundle",
        "meta": {"lastUpdated": instant(timezone.now())},
        "type": "searchset",
        "total": total,
        "link": [{"relation": rel, "url": url} for rel, url in links],
        "entry": [_entry(base, r, "match") for r in resources],
    }


def patient_everything(
    *,
    client: Client,
    base: str,
    notes: Notes = Notes.SHARED,
    partner: Partner | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """`Patient/{id}/$everything`: the client's whole record as a searchset Bundle, the
    Patient the match and the rest included. `base` is the FHIR base URL the entries' fullUrl
    start with; `notes` which notes go in (a partner: those the consent's scope covers; the
    client's own copy: all, amendments included); `partner` limits the consents to its own."""
    day = today or timeutil.local_today(client.team.zone)
    records = client_records(client=client, notes=notes, partner=partner)
    resources = client_resources(records, today=day)
    bundle = searchset(
        base=base,
        resources=[],
        total=1,
        links=[("self", f"{base}/Patient/{client.id}/$everything")],
    )
    bundle["entry"] = [
        _entry(base, r, "match" if i == 0 else "include") for i, r in enumerate(resources)
    ]
    return bundle
