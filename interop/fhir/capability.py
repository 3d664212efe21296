"""The CapabilityStatement (`GET /fhir/metadata`): what this server answers, read-only."""

import datetime as dt
from typing import Any

from interop.fhir.common import FHIR_VERSION, UK_CORE_VERSION, instant, profile_url

# Each resource type the API serves, and whether it can be searched by patient.
TYPES = (
    "Patient",
    "RelatedPerson",
    "Organization",
    "Practitioner",
    "PractitionerRole",
    "CareTeam",
    "CarePlan",
    "Condition",
    "Observation",
    "Encounter",
    "Flag",
    "AllergyIntolerance",
    "DocumentReference",
    "Consent",
)


def _resource(rtype: str) -> dict[str, Any]:
    params = [
        {"name": "_lastUpdated", "type": "date"},
        {"name": "_count", "type": "number"},
    ]
    if rtype == "Patient":
        params.append({"name": "identifier", "type": "token"})
        operations = [
            {
                "name": "everything",
                "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
            }
        ]
    else:
        params.append({"name": "patient", "type": "reference"})
        operations = []
    out: dict[str, Any] = {
        "type": rtype,
        "profile": profile_url(rtype),
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": params,
    }
    if operations:
        out["operation"] = operations
    return out


def capability_statement(*, base: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(now),
        "publisher": "careteams",
        "kind": "instance",
        "implementation": {
            "description": f"careteams FHIR API (UK Core {UK_CORE_VERSION} profiles)",
            "url": base,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "OAuth",
                                }
                            ]
                        }
                    ],
                    "description": f"OAuth2 client credentials: POST {base}/token, scope fhir.",
                },
                "resource": [_resource(t) for t in TYPES],
            }
        ],
    }
