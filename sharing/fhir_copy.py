"""The client's own copy as a FHIR R4 Bundle: the FHIR part's `$everything` with every note
(interop.bundles.patient_everything, notes=all), and, as extra entries, what it does not carry
that the copy must: messages and handover notes about the client (Communication), what was
done at each visit (Task), family access that has ended (RelatedPerson, inactive), and every
read of the record and each copy produced (AuditEvent).

The extras are plain R4 resources (no UK Core profile covers them); they are built from the
same gathering as the PDF (sharing.selectors.own_copy), so the two forms hold the same."""

from typing import Any

from clients.models import Client
from interop.bundles import patient_everything
from interop.fhir.common import concept, fhir_id, prune, ref
from interop.records import Notes

AUDIT_TYPE = {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110110"}
READ = {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest"}


def _plain(resource_type: str, rid: object) -> dict[str, Any]:
    return {"resourceType": resource_type, "id": fhir_id(str(rid))}


def _communication(item: dict[str, Any], client: Client, kind: str) -> dict[str, Any]:
    return prune(
        _plain("Communication", item["id"])
        | {
            "status": "completed",
            "category": [concept(text=kind)],
            "subject": ref("Patient", client.id),
            "sent": item["written_at"],
            "sender": {"display": item["author"]},
            "payload": [{"contentString": item["body"]}],
            # An amended handover stays, as on the record; its correction says which it amends.
            "note": [{"text": f"Amends {item['amends']}"}] if item.get("amends") else [],
        }
    )


def _task(outcome: dict[str, Any], visit: dict[str, Any], client: Client) -> dict[str, Any]:
    done = outcome["outcome"] == "done"
    return prune(
        _plain("Task", outcome["id"])
        | {
            "status": "completed" if done else "cancelled",
            "statusReason": concept(text=outcome["reason"]) if outcome["reason"] else {},
            "intent": "order",
            "description": outcome["task_label"],
            "for": ref("Patient", client.id),
            "encounter": ref("Encounter", visit["id"]),
            "authoredOn": outcome["recorded_at"],
            "owner": {"display": outcome["recorded_by"]},
            "note": [{"text": outcome["note"]}] if outcome["note"] else [],
        }
    )


def _ended_family(item: dict[str, Any], client: Client) -> dict[str, Any]:
    return prune(
        _plain("RelatedPerson", item["id"])
        | {
            "active": False,
            "patient": ref("Patient", client.id),
            "relationship": [concept(text=item["relationship"])],
            "name": [{"text": item["person"]}],
            "period": prune({"start": item["granted_at"], "end": item["revoked_at"]}),
        }
    )


def _audit(rid: str, at: str, who: str, what: str, client: Client) -> dict[str, Any]:
    return _plain("AuditEvent", rid) | {
        "type": READ,
        "recorded": at,
        "agent": [{"who": {"display": who or "—"}, "requestor": True}],
        "source": {"observer": {"display": "careteams"}},
        "entity": [{"what": ref("Patient", client.id), "description": what}],
    }


def _extras(client: Client, copy: dict[str, Any]) -> list[dict[str, Any]]:
    out = [_communication(m, client, "client message") for m in copy["messages"]]
    out += [_communication(h, client, "handover note") for h in copy["handover_notes"]]
    out += [_task(o, v, client) for v in copy["visits"] for o in v["task_outcomes"]]
    out += [_ended_family(f, client) for f in copy["family_access"] if f["revoked_at"]]
    out += [
        _audit(f"read-{e['id']}", e["at"], e["who"], f"{e['what']} ({e['door']})", client)
        for e in copy["read_log"]
    ]
    out += [
        _audit(
            f"copy-{c['id']}",
            c["produced_at"],
            c["produced_by"],
            f"own copy produced ({c['format']})",
            client,
        )
        for c in copy["copies_produced"]
    ]
    return out


def own_copy_bundle(*, client: Client, base: str, copy: dict[str, Any]) -> dict[str, Any]:
    bundle = patient_everything(client=client, base=base, notes=Notes.ALL)
    bundle["entry"] += [
        {
            "fullUrl": f"{base}/{item['resourceType']}/{item['id']}",
            "resource": item,
            "search": {"mode": "include"},
        }
        for item in _extras(client, copy)
    ]
    return bundle
