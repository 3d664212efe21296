"""What every builder shares: the UK Core profiles, code systems, references and times."""

import datetime as dt
import uuid
from typing import Any

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"
# The UK Core release the profiles are from (HL7 UK, package UK.Core.r4, STU3 sequence).
UK_CORE_VERSION = "2.0.1"
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
UK_CORE_EXTENSION = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-"

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
NHS_NUMBER_VERIFICATION = UK_CORE_EXTENSION + "NHSNumberVerificationStatus"
NHS_NUMBER_VERIFICATION_SYSTEM = (
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
)
# The Omaha System as HL7 Terminology names it (OID 2.16.840.1.113883.6.98).
OMAHA_SYSTEM = "http://terminology.hl7.org/CodeSystem/oms"
SNOMED_SYSTEM = "http://snomed.info/sct"
# careteams' own identifiers and codes, where no national one exists.
LOCAL = "https://careteams.uk/fhir"
LOCAL_ID = LOCAL + "/Id/"
LOCAL_CODES = LOCAL + "/CodeSystem/"
LOCAL_EXTENSION = LOCAL + "/StructureDefinition/"


def profile_url(resource_type: str) -> str:
    return UK_CORE + resource_type


def instant(value: dt.datetime) -> str:
    """An aware time as FHIR's instant, in UTC."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def date(value: dt.date) -> str:
    return value.isoformat()


def resource(
    resource_type: str, rid: uuid.UUID | str, updated: dt.datetime | None = None
) -> dict[str, Any]:
    """The start of a resource: its type, id and meta with its UK Core profile."""
    meta: dict[str, Any] = {"profile": [profile_url(resource_type)]}
    if updated is not None:
        meta["lastUpdated"] = instant(updated)
    return {"resourceType": resource_type, "id": fhir_id(rid), "meta": meta}


def fhir_id(value: uuid.UUID | str) -> str:
    """FHIR ids are [A-Za-z0-9-.]{1,64}: our UUIDs as they are, codes with '_' made '-'."""
    return str(value).replace("_", "-")


def ref(resource_type: str, rid: uuid.UUID | str, display: str = "") -> dict[str, str]:
    out = {"reference": f"{resource_type}/{fhir_id(rid)}"}
    if display:
        out["display"] = display
    return out


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(*codings: dict[str, str], text: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if codings:
        out["coding"] = list(codings)
    if text:
        out["text"] = text
    return out


def human_name(family: str, given: str, use: str = "official") -> dict[str, Any]:
    name: dict[str, Any] = {"use": use}
    if family:
        name["family"] = family
    if given:
        name["given"] = [given]
    return name


def prune(data: dict[str, Any]) -> dict[str, Any]:
    """Without empty values: FHIR forbids empty strings, lists and objects (ele-1)."""
    return {k: v for k, v in data.items() if v not in ("", None, [], {})}
