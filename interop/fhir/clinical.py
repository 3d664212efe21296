"""Encounter (visits), Flag (risk flags partners may see), AllergyIntolerance,
DocumentReference (notes the consent covers) and Consent."""

import base64
import datetime as dt
from collections.abc import Iterable
from typing import Any

from clients.models import (
    Allergy,
    AllergyKind,
    AllergySeverity,
    AllergyStatus,
    Client,
    Note,
    RiskFlag,
)
from interop.fhir.common import (
    LOCAL_CODES,
    LOCAL_EXTENSION,
    coding,
    concept,
    fhir_id,
    instant,
    prune,
    ref,
    resource,
)
from interop.models import PartnerConsent
from scheduling.models import Visit, VisitStatus

# The risk flags a partner sees: those that change how they treat or discharge the client.
# Not safeguarding (shared through safeguarding routes, not a read API), nor the visiting
# staff's own safety (animals, lone working).
PARTNER_FLAGS = (
    RiskFlag.FALLS,
    RiskFlag.LIVES_ALONE,
    RiskFlag.DNACPR,
    RiskFlag.ALLERGY,
    RiskFlag.OXYGEN,
    RiskFlag.PRESSURE_ULCER,
)
ENCOUNTER_STATUS = {
    VisitStatus.PLANNED: "planned",
    VisitStatus.IN_PROGRESS: "in-progress",
    VisitStatus.DONE: "finished",
    VisitStatus.CANCELLED: "cancelled",
    # R4 has no "missed": a visit that did not happen is cancelled, its type says missed.
    VisitStatus.MISSED: "cancelled",
}
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def encounter(visit: Visit, carers: Iterable[Any], updated: dt.datetime | None) -> dict[str, Any]:
    start = visit.checked_in_at or visit.planned_start
    end = visit.checked_out_at or (None if visit.checked_in_at else visit.planned_end)
    return prune(
        resource("Encounter", visit.id, updated)
        | {
            "status": ENCOUNTER_STATUS.get(visit.status, "unknown"),  # type: ignore[call-overload]
            "class": coding(ACT_CODE, "HH", "home health"),
            "type": [
                concept(
                    coding(LOCAL_CODES + "visit-status", visit.status, visit.get_status_display()),
                    text="Home visit",
                )
            ],
            "subject": ref("Patient", visit.client_id),
            "participant": [
                {"individual": ref("PractitionerRole", m.id, m.user.get_full_name())}
                for m in carers
            ],
            "period": prune({"start": instant(start), "end": instant(end) if end else ""}),
            "serviceProvider": ref("Organization", visit.team_id),
        }
    )


def flags(client: Client) -> list[dict[str, Any]]:
    shown = [f for f in PARTNER_FLAGS if f in (client.risk_flags or [])]
    return [
        resource("Flag", f"{client.id}-{fhir_id(flag)}")
        | {
            "status": "active",
            "code": concept(
                coding(LOCAL_CODES + "risk-flag", str(flag), str(RiskFlag(flag).label)),
                text=str(RiskFlag(flag).label),
            ),
            "subject": ref("Patient", client.id),
            "author": ref("Organization", client.team_id),
        }
        for flag in shown
    ]


ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
REACTION_SEVERITY = {
    AllergySeverity.MILD: "mild",
    AllergySeverity.MODERATE: "moderate",
    AllergySeverity.SEVERE: "severe",
    AllergySeverity.LIFE_THREATENING: "severe",
}
CRITICALITY = {
    AllergySeverity.LIFE_THREATENING: "high",
    AllergySeverity.SEVERE: "high",
    AllergySeverity.UNKNOWN: "unable-to-assess",
}


def allergy_intolerance(allergy: Allergy, updated: dt.datetime | None) -> dict[str, Any]:
    active = allergy.status == AllergyStatus.ACTIVE
    severity = REACTION_SEVERITY.get(allergy.severity)  # type: ignore[call-overload]
    reaction = prune(
        {
            "manifestation": [concept(text=allergy.reaction or "Not recorded")],
            "severity": severity or "",
        }
    )
    return prune(
        resource("AllergyIntolerance", allergy.id, updated)
        | {
            "clinicalStatus": concept(coding(ALLERGY_CLINICAL, "active" if active else "inactive")),
            "verificationStatus": concept(coding(ALLERGY_VERIFICATION, "confirmed")),
            "type": "allergy" if allergy.kind == AllergyKind.ALLERGY else "intolerance",
            "criticality": CRITICALITY.get(allergy.severity, "low"),  # type: ignore[call-overload]
            "code": concept(text=allergy.substance),
            "patient": ref("Patient", allergy.client_id),
            "recordedDate": instant(allergy.created_at),
            "recorder": ref("Practitioner", allergy.recorded_by_id),
            "reaction": [reaction] if allergy.reaction or severity else [],
        }
    )


NOTE_TYPE = concept(coding("http://loinc.org", "34746-8", "Nurse Note"), text="Care note")


def document_reference(note: Note, superseded: bool) -> dict[str, Any]:
    """A note as a plain-text document. An amended note is superseded, and the note that
    amends it says it replaces it: both stay, as on the record."""
    return prune(
        resource("DocumentReference", note.id, note.received_at)
        | {
            "status": "superseded" if superseded else "current",
            "type": NOTE_TYPE,
            "subject": ref("Patient", note.client_id),
            "date": instant(note.received_at),
            "author": [ref("Practitioner", note.author_id)],
            "relatesTo": [{"code": "replaces", "target": ref("DocumentReference", note.amends_id)}]
            if note.amends_id
            else [],
            "content": [
                {
                    "attachment": {
                        "contentType": "text/plain; charset=utf-8",
                        "data": base64.b64encode(note.body.encode()).decode(),
                        "creation": instant(note.recorded_at),
                    }
                }
            ],
            "context": {"encounter": [ref("Encounter", note.visit_id)]} if note.visit_id else {},
        }
    )


CONSENT_BASIS = LOCAL_EXTENSION + "consent-basis"


def consent(item: PartnerConsent, today: dt.date) -> dict[str, Any]:
    in_force = item.revoked_at is None and (item.until is None or item.until >= today)
    period = prune(
        {"start": item.given_on.isoformat(), "end": item.until.isoformat() if item.until else ""}
    )
    return prune(
        resource("Consent", item.id, item.revoked_at or item.recorded_at)
        | {
            "extension": [
                {
                    "url": CONSENT_BASIS,
                    "valueCoding": coding(
                        LOCAL_CODES + "consent-basis", item.basis, item.get_basis_display()
                    ),
                }
            ],
            "status": "active" if in_force else "inactive",
            "scope": concept(
                coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy")
            ),
            "category": [concept(coding("http://loinc.org", "59284-0", "Patient Consent"))],
            "patient": ref("Patient", item.client_id),
            "dateTime": instant(item.recorded_at),
            "organization": [ref("Organization", item.team_id)],
            "policyRule": concept(coding(ACT_CODE, "OPTIN", "opt-in")),
            "provision": {
                "type": "permit",
                "period": period,
                "actor": [
                    {
                        "role": concept(
                            coding(
                                "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "IRCP",
                                "information recipient",
                            )
                        ),
                        "reference": ref("Organization", item.partner_id, item.partner.name),
                    }
                ],
                "code": [
                    concept(
                        coding(LOCAL_CODES + "consent-scope", item.scope, item.get_scope_display())
                    )
                ],
            },
        }
    )
