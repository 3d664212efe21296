"""Every resource the API serves parses with FHIR 4.0.1 models, carries its UK Core profile and
the elements the profiles require, and keeps the Omaha codes and the ratings over time."""

import base64
import importlib
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle
from fhirpathpy import evaluate

from interop.fhir.common import NHS_NUMBER_SYSTEM, NHS_NUMBER_VERIFICATION, OMAHA_SYSTEM
from interop.models import ConsentScope
from interop.services import consent_revoke
from tests.interop.conftest import Shared, consent, register

pytestmark = pytest.mark.django_db

UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
# What the base resource (minimum cardinality 1) and UK Core ask of each resource we send,
# and what we promise besides (docs/interoperability.md).
REQUIRED = {
    "Patient": ("identifier", "name", "managingOrganization"),
    "RelatedPerson": ("patient", "relationship"),
    "Organization": ("name", "identifier"),
    "Practitioner": ("name",),
    "PractitionerRole": ("practitioner", "organization", "code"),
    "CareTeam": ("subject", "participant"),
    "CarePlan": ("status", "intent", "subject", "addresses", "activity"),
    "Condition": ("subject", "code", "clinicalStatus", "verificationStatus", "category"),
    "Observation": ("status", "code", "subject", "effectiveDateTime", "valueInteger"),
    "Encounter": ("status", "class", "subject", "period"),
    "Flag": ("status", "code", "subject"),
    "AllergyIntolerance": ("patient", "clinicalStatus", "verificationStatus", "code"),
    "DocumentReference": ("status", "content", "subject"),
    "Consent": ("status", "scope", "category", "patient", "provision"),
}
# Invariants the FHIR 4.0.1 resources state, as FHIRPath.
INVARIANTS = {
    "Bundle": (
        "total.empty() or (type = 'searchset') or (type = 'history')",  # bdl-1
        "entry.search.empty() or (type = 'searchset')",  # bdl-2
        "entry.fullUrl.isDistinct()",  # bdl-7 (no versionIds here)
        "entry.all(fullUrl.contains('/_history/').not())",  # bdl-8
        "entry.all(resource.exists())",  # bdl-5 (a searchset entry carries its resource)
    ),
    "Condition": (
        "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/"
        "CodeSystem/condition-clinical' and (code='resolved' or code='remission' or "
        "code='inactive')).exists()",  # con-4
        "verificationStatus.coding.where(code='entered-in-error').empty() or "
        "clinicalStatus.empty()",  # con-5
    ),
    "AllergyIntolerance": (
        "verificationStatus.coding.where(code = 'entered-in-error').exists() or "
        "clinicalStatus.exists()",  # ait-2
    ),
    "Observation": ("dataAbsentReason.empty() or value.empty()",),  # obs-6
    "Consent": (
        "policy.exists() or policyRule.exists()",  # ppc-1
        "patient.exists() or scope.coding.where(code='patient-privacy').exists().not()",  # ppc-2
    ),
    "Patient": (
        "contact.all(name.exists() or telecom.exists() or address.exists() or "
        "organization.exists())",
    ),  # pat-1
}
# Every literal reference in a resource: none points inside it (ref-1), each names a type/id.
REFERENCES = "descendants().where($this.reference.exists()).reference"


def model(resource: dict[str, Any]) -> Any:
    rtype = resource["resourceType"]
    module = importlib.import_module(f"fhirclient.models.{rtype.lower()}")
    return getattr(module, rtype)(resource, strict=True)


def everything(shared: Shared) -> dict[str, Any]:
    found: dict[str, Any] = shared.fhir().json(f"Patient/{shared.cast.client.id}/$everything")
    return found


def resources(bundle: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def test_every_resource_and_the_bundle_parse_as_fhir_4_0_1_with_their_uk_core_profile(
    shared: Shared,
) -> None:
    bundle = everything(shared)
    Bundle(bundle, strict=True)
    served = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert served == set(REQUIRED)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        model(resource)
        rtype = resource["resourceType"]
        assert resource["meta"]["profile"] == [UK_CORE + rtype]
        missing = [name for name in REQUIRED[rtype] if name not in resource]
        assert not missing, f"{rtype} lacks {missing}"
        assert entry["fullUrl"].endswith(f"/fhir/{rtype}/{resource['id']}")


def test_the_fhirpath_invariants_hold_and_every_reference_resolves_in_the_bundle(
    shared: Shared,
) -> None:
    bundle = everything(shared)
    for expression in INVARIANTS["Bundle"]:
        assert evaluate(bundle, expression, {}) == [True], expression
    present = {f"{r['resourceType']}/{r['id']}" for r in (e["resource"] for e in bundle["entry"])}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for expression in INVARIANTS.get(resource["resourceType"], ()):
            assert evaluate(resource, expression, {}) == [True], expression
        # A Consent's provision.actor names its Reference "reference": the strings only.
        for reference in (r for r in evaluate(resource, REFERENCES, {}) if isinstance(r, str)):
            assert not reference.startswith("#")
            assert reference in present, f"{resource['resourceType']} -> {reference}"


def test_the_patient_carries_the_nhs_number_with_its_system_and_verification_status(
    shared: Shared,
) -> None:
    (patient,) = resources(everything(shared), "Patient")
    (nhs,) = [i for i in patient["identifier"] if i["system"] == NHS_NUMBER_SYSTEM]
    assert nhs["value"] == "9434765919"
    (status,) = nhs["extension"]
    assert status["url"] == NHS_NUMBER_VERIFICATION
    assert status["valueCodeableConcept"]["coding"][0]["code"] == "02"
    assert patient["birthDate"] == "1938-04-02"
    assert patient["generalPractitioner"] == [{"display": "Riverside Surgery"}]
    assert patient["contact"][0]["name"] == {"text": "Carys Llŷr"}
    assert patient["address"][0]["postalCode"] == "CF10 1AA"


def test_a_round_trip_keeps_the_omaha_codes_and_the_ratings_over_time(shared: Shared) -> None:
    bundle = Bundle(everything(shared), strict=True).as_json()
    (condition,) = resources(bundle, "Condition")
    assert condition["code"]["coding"] == [
        {"system": OMAHA_SYSTEM, "code": "27", "display": shared.problem.problem.name}
    ]
    modifiers = {e["url"]: e["valueCoding"]["code"] for e in condition["extension"][0]["extension"]}
    assert modifiers == {"scope": "individual", "severity": "actual"}
    (plan,) = resources(bundle, "CarePlan")
    codes = {c["code"] for c in plan["activity"][0]["detail"]["code"]["coding"]}
    assert codes == {"treatments", "target-49"}
    over_time = sorted(
        (o["effectiveDateTime"], o["code"]["coding"][0]["code"], o["valueInteger"])
        for o in resources(bundle, "Observation")
    )
    assert over_time == [
        ("2030-09-26", "rating-behaviour", 2),
        ("2030-09-26", "rating-knowledge", 2),
        ("2030-09-26", "rating-status", 3),
        ("2030-11-23", "rating-behaviour", 3),
        ("2030-11-23", "rating-knowledge", 4),
        ("2030-11-23", "rating-status", 4),
    ]
    assert all(
        o["focus"][0]["reference"] == f"Condition/{shared.problem.id}"
        for o in resources(bundle, "Observation")
    )


def test_notes_are_those_the_client_shares_with_the_amendment_replacing_the_first(
    shared: Shared,
) -> None:
    documents = {d["id"]: d for d in resources(everything(shared), "DocumentReference")}
    assert set(documents) == {str(shared.shared_note.id), str(shared.amendment.id)}
    first, amendment = documents[str(shared.shared_note.id)], documents[str(shared.amendment.id)]
    assert first["status"] == "superseded"
    assert amendment["relatesTo"] == [
        {"code": "replaces", "target": {"reference": f"DocumentReference/{shared.shared_note.id}"}}
    ]
    body = base64.b64decode(amendment["content"][0]["attachment"]["data"]).decode()
    assert body == "Sugars steady, 6.2."


def test_a_consent_for_the_care_record_alone_shares_no_note(shared: Shared) -> None:
    consent_revoke(consent=shared.consent, actor=shared.cast.nurse)
    consent(shared.cast, shared.partner, scope=ConsentScope.CARE_RECORD)
    assert resources(everything(shared), "DocumentReference") == []


def test_partners_see_the_flags_for_care_but_not_safeguarding_and_only_their_own_consent(
    shared: Shared,
) -> None:
    other = register(shared.cast, name="Heath Hospital discharge", ods="RWMBV")
    consent(shared.cast, other)
    bundle = everything(shared)
    flags = {f["code"]["coding"][0]["code"] for f in resources(bundle, "Flag")}
    assert flags == {"falls", "dnacpr"}
    (own,) = resources(bundle, "Consent")
    assert own["id"] == str(shared.consent.id)
    assert (
        own["provision"]["actor"][0]["reference"]["reference"]
        == f"Organization/{shared.partner.id}"
    )


def test_every_resource_read_alone_equals_its_entry_in_everything(shared: Shared) -> None:
    fhir = shared.fhir()
    for entry in everything(shared)["entry"]:
        resource = entry["resource"]
        alone = fhir.json(f"{resource['resourceType']}/{resource['id']}")
        if resource["resourceType"] != "Patient":
            assert alone == resource
        model(alone)


def test_the_capability_statement_parses_and_lists_every_resource_with_its_profile() -> None:
    from django.test import Client as HttpClient

    response = HttpClient().get("/fhir/metadata")
    assert response["Content-Type"] == "application/fhir+json"
    statement = model(response.json())
    served = {r.type: r.profile for r in statement.rest[0].resource}
    assert served == {t: UK_CORE + t for t in REQUIRED}
