"""MedicationRequest (a medicine line on the client's list) and MedicationAdministration (what
happened to one dose), coded with dm+d where the line has a code: dm+d concepts are SNOMED CT
concepts, so the system is SNOMED CT's, as UK Core does."""

import datetime as dt
from typing import Any

from interop.fhir.common import SNOMED_SYSTEM, coding, concept, instant, prune, ref, resource
from medicines.models import DoseRecord, MedicineLine
from medicines.vocabulary import LineStatus, Outcome, VisitPart

# What happened to a dose, as an administration's status.
DONE = (Outcome.GIVEN, Outcome.PROMPTED, Outcome.PARTLY)


def medication(line: MedicineLine) -> dict[str, Any]:
    text = " ".join(part for part in (line.name, line.strength) if part)
    codes = [coding(SNOMED_SYSTEM, line.dmd_code, line.name)] if line.dmd_code else []
    return concept(*codes, text=text)


def _dose(line: MedicineLine) -> dict[str, Any]:
    unit = line.dose_unit
    if line.dose_min == line.dose_max:
        return {"doseQuantity": {"value": float(line.dose_min), "unit": unit}}
    return {
        "doseRange": {
            "low": {"value": float(line.dose_min), "unit": unit},
            "high": {"value": float(line.dose_max), "unit": unit},
        }
    }


# A line given with a visit of a part of the day, as FHIR's event timing (the value set
# http://hl7.org/fhir/event-timing): morning, noon, evening, night.
EVENT_TIMING: dict[str, str] = {
    VisitPart.MORNING: "MORN",
    VisitPart.LUNCHTIME: "NOON",
    VisitPart.TEATIME: "EVE",
    VisitPart.BEDTIME: "NIGHT",
}


def _timing(line: MedicineLine) -> dict[str, Any]:
    if line.prn:
        return {}
    if line.visit_part:
        return {"repeat": {"when": [EVENT_TIMING[line.visit_part]]}}
    return {"repeat": {"timeOfDay": [f"{t}:00" for t in line.times]}} if line.times else {}


def medication_request(line: MedicineLine, updated: dt.datetime | None) -> dict[str, Any]:
    dosage = prune(
        {
            "text": line.instructions,
            "timing": _timing(line),
            "asNeededBoolean": line.prn,
            "route": concept(text=line.get_route_display()),
            "doseAndRate": [_dose(line)],
            "patientInstruction": line.prn_for if line.prn else "",
        }
    )
    return prune(
        resource("MedicationRequest", line.id, updated or line.changed_at)
        | {
            "status": "active" if line.status == LineStatus.ACTIVE else "stopped",
            "intent": "order",
            # Transcribed from a GP or discharge letter or a pharmacy label: a reported order.
            "reportedBoolean": True,
            "medicationCodeableConcept": medication(line),
            "subject": ref("Patient", line.client_id),
            "authoredOn": instant(line.created_at),
            "recorder": ref("Practitioner", line.transcribed_by_id)
            if line.transcribed_by_id
            else {},
            "dosageInstruction": [dosage],
        }
    )


def medication_administration(dose: DoseRecord, superseded: bool) -> dict[str, Any]:
    done = dose.outcome in DONE
    status = "entered-in-error" if superseded else ("completed" if done else "not-done")
    dosage = (
        {"dose": {"value": float(dose.amount), "unit": dose.line.dose_unit}}
        if dose.amount is not None
        else {}
    )
    return prune(
        resource("MedicationAdministration", dose.id, dose.recorded_at)
        | {
            "status": status,
            "statusReason": [concept(text=dose.get_reason_display() or dose.get_outcome_display())]
            if not done
            else [],
            "medicationCodeableConcept": medication(dose.line),
            "subject": ref("Patient", dose.client_id),
            "context": ref("Encounter", dose.visit_id) if dose.visit_id else {},
            "effectiveDateTime": instant(dose.taken_at),
            "performer": [{"actor": ref("Practitioner", dose.recorded_by_id)}],
            "request": ref("MedicationRequest", dose.line_id),
            "note": [{"text": dose.note}] if dose.note else [],
            "dosage": dosage,
        }
    )
