"""Patient, RelatedPerson, Organization, Practitioner, PractitionerRole and CareTeam."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from careteams.models import Membership, Role, Team, User
from clients.models import Client, ClientStatus, EmergencyContact, FamilyAccess, Relationship
from interop.fhir.common import (
    LOCAL_CODES,
    LOCAL_ID,
    NHS_NUMBER_SYSTEM,
    NHS_NUMBER_VERIFICATION,
    NHS_NUMBER_VERIFICATION_SYSTEM,
    ODS_SYSTEM,
    coding,
    concept,
    human_name,
    prune,
    ref,
    resource,
)
from interop.models import Partner

# The number was checked (its check digit) when entered, not traced against the Personal
# Demographics Service: "Number present but not traced".
NOT_TRACED = coding(NHS_NUMBER_VERIFICATION_SYSTEM, "02", "Number present but not traced")
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
RELATIONSHIPS = {
    Relationship.SPOUSE: "SPS",
    Relationship.CHILD: "CHILD",
    Relationship.PARENT: "PRN",
    Relationship.SIBLING: "SIB",
    Relationship.RELATIVE: "FAMMEMB",
    Relationship.FRIEND: "FRND",
}
EMERGENCY_CONTACT = coding(
    "http://terminology.hl7.org/CodeSystem/v2-0131", "C", "Emergency Contact"
)


def _nhs_number(client: Client) -> list[dict[str, Any]]:
    if not client.nhs_number:
        return []
    return [
        {
            "extension": [
                {"url": NHS_NUMBER_VERIFICATION, "valueCodeableConcept": concept(NOT_TRACED)}
            ],
            "system": NHS_NUMBER_SYSTEM,
            "value": client.nhs_number,
        }
    ]


def _address(client: Client) -> list[dict[str, Any]]:
    lines = [line for line in (client.address_line_1, client.address_line_2) if line]
    address = prune(
        {"use": "home", "line": lines, "city": client.town, "postalCode": client.postcode}
    )
    return [address] if len(address) > 1 else []


def _contact(contact: EmergencyContact) -> dict[str, Any]:
    return prune(
        {
            "relationship": [concept(EMERGENCY_CONTACT, text=contact.relationship)],
            "name": {"text": contact.name},
            "telecom": [{"system": "phone", "value": contact.phone, "rank": contact.order}],
        }
    )


def patient(
    client: Client, *, contacts: Iterable[EmergencyContact], updated: dt.datetime | None
) -> dict[str, Any]:
    names = [human_name(client.family_name, client.given_name)]
    if client.preferred_name:
        names.append({"use": "usual", "given": [client.preferred_name]})
    data = resource("Patient", client.id, updated) | {
        "identifier": _nhs_number(client),
        "active": client.status in (ClientStatus.ACTIVE, ClientStatus.PAUSED),
        "name": names,
        "telecom": [{"system": "phone", "value": client.phone, "use": "home"}]
        if client.phone
        else [],
        "birthDate": client.date_of_birth.isoformat() if client.date_of_birth else "",
        "address": _address(client),
        "contact": [_contact(c) for c in contacts],
        "generalPractitioner": [{"display": client.gp_practice_name}]
        if client.gp_practice_name
        else [],
        "managingOrganization": ref("Organization", client.team_id, client.team.name),
    }
    if client.status == ClientStatus.DIED:
        data["deceasedBoolean"] = True
    return prune(data)


def related_person(access: FamilyAccess, updated: dt.datetime | None) -> dict[str, Any]:
    person = access.person
    code = RELATIONSHIPS.get(access.relationship)  # type: ignore[call-overload]
    relationship = concept(
        *([coding(ROLE_CODE, code)] if code else []), text=access.get_relationship_display()
    )
    return prune(
        resource("RelatedPerson", access.id, updated)
        | {
            "active": access.is_live,
            "patient": ref("Patient", access.client_id),
            "relationship": [relationship],
            "name": [human_name(person.last_name, person.first_name)] if person else [],
        }
    )


def team_organization(team: Team) -> dict[str, Any]:
    return prune(
        resource("Organization", team.id)
        | {
            "identifier": [{"system": LOCAL_ID + "team", "value": str(team.id)}],
            "active": True,
            "type": [
                concept(
                    coding(LOCAL_CODES + "organisation-kind", "care_team"),
                    text="Community care team",
                )
            ],
            "name": team.name,
            "telecom": [{"system": "phone", "value": team.phone, "use": "work"}]
            if team.phone
            else [],
        }
    )


def partner_organization(partner: Partner) -> dict[str, Any]:
    return prune(
        resource("Organization", partner.id)
        | {
            "identifier": [{"system": ODS_SYSTEM, "value": partner.ods_code}],
            "active": True,
            "type": [
                concept(
                    coding(LOCAL_CODES + "organisation-kind", partner.kind),
                    text=partner.get_kind_display(),
                )
            ],
            "name": partner.name,
        }
    )


def practitioner(user: User) -> dict[str, Any]:
    # No professional registration (NMC PIN) is recorded yet: the name only.
    return prune(
        resource("Practitioner", user.id)
        | {"active": user.is_active, "name": [human_name(user.last_name, user.first_name)]}
    )


def practitioner_role(member: Membership) -> dict[str, Any]:
    role = Role(member.role) if member.role in Role.values else None
    return prune(
        resource("PractitionerRole", member.id)
        | {
            "active": member.ended_at is None,
            "period": prune(
                {
                    "start": member.started_at.date().isoformat(),
                    "end": member.ended_at.date().isoformat() if member.ended_at else "",
                }
            ),
            "practitioner": ref("Practitioner", member.user_id, member.user.get_full_name()),
            "organization": ref("Organization", member.team_id),
            "code": [
                concept(
                    coding(LOCAL_CODES + "member-role", member.role),
                    text=str(role.label) if role else member.role,
                )
            ],
        }
    )


def care_team(client: Client, nurses: Iterable[tuple[str, Membership]]) -> dict[str, Any]:
    """The client's named nurses and the team that cares for them."""
    participants = [
        {
            "role": [concept(text=label)],
            "member": ref("PractitionerRole", member.id, member.user.get_full_name()),
        }
        for label, member in nurses
    ]
    participants.append(
        {"role": [concept(text="Care team")], "member": ref("Organization", client.team_id)}
    )
    return prune(
        resource("CareTeam", client.id)
        | {
            "status": "active" if client.status != ClientStatus.DISCHARGED else "inactive",
            "name": f"{client.team.name}: care of {client.full_name}",
            "subject": ref("Patient", client.id),
            "participant": participants,
            "managingOrganization": [ref("Organization", client.team_id, client.team.name)],
        }
    )
