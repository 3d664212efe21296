"""Writes for what a carer needs on the doorstep: the GP practice, communication needs, the
preferred name and emergency contacts. For the team only: the family view never carries them
(their registry entries have no family view; the client's family view is its name only)."""

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from careteams import limits
from careteams.errors import DomainError
from careteams.models import User
from careteams.versioning import change_record, versioned_delete, versioned_write
from clients.models import Client, DisclosureLevel, EmergencyContact
from clients.services.clients import max_length
from clients.services.common import require_length, require_writer

CONTACT_TEXT = ("name", "relationship", "phone")


def client_doorstep_update(
    *,
    client: Client,
    version: int,
    gp_practice_name: str,
    gp_practice_phone: str,
    communication_needs: str,
    preferred_name: str,
    actor: User,
) -> Client:
    """The doorstep details of a client, apart from the identity and address form's fields
    (so neither form blanks the other's)."""
    require_writer(actor=actor, team_id=client.team_id)
    values = {
        "gp_practice_name": gp_practice_name.strip(),
        "gp_practice_phone": gp_practice_phone.strip(),
        "preferred_name": preferred_name.strip(),
    }
    for name, value in values.items():
        require_length(value, max_length(name), field=name)
    needs = communication_needs.strip()
    require_length(needs, limits.COMMUNICATION_NEEDS_MAX, field="communication_needs")
    changed = {**values, "communication_needs": needs}
    with versioned_write(
        Client.objects.select_related("team"),
        pk=client.pk,
        version=version,
        entity="client",
        actor=actor,
        update_fields=[*changed, "updated_at"],
    ) as current:
        for name, value in changed.items():
            setattr(current, name, value)
    return current


def _contacts() -> QuerySet[EmergencyContact]:
    return EmergencyContact.objects.select_related("client__team")


def _contact_values(
    *, name: str, relationship: str, phone: str, may_be_told: str, order: int
) -> dict[str, object]:
    values: dict[str, object] = {
        "name": name.strip(),
        "relationship": relationship.strip(),
        "phone": phone.strip(),
    }
    if not values["name"]:
        raise DomainError(_("Enter the contact's name."), field="name")
    if not values["phone"]:
        raise DomainError(_("Enter a phone number to call them on."), field="phone")
    for text in CONTACT_TEXT:
        field = EmergencyContact._meta.get_field(text)
        require_length(str(values[text]), int(getattr(field, "max_length", 0)), field=text)
    if may_be_told not in DisclosureLevel.values:
        raise DomainError(limits.not_a_choice(DisclosureLevel.values), field="may_be_told")
    if not 1 <= order <= limits.EMERGENCY_CONTACTS_MAX:
        raise DomainError(
            _("Give an order from 1 to %(most)d.") % {"most": limits.EMERGENCY_CONTACTS_MAX},
            field="order",
        )
    values["may_be_told"] = may_be_told
    values["order"] = order
    return values


def emergency_contact_add(
    *,
    client: Client,
    name: str,
    relationship: str,
    phone: str,
    may_be_told: str = DisclosureLevel.CONTACT_ONLY,
    order: int | None = None,
    actor: User,
    contact_id: uuid.UUID | None = None,
) -> EmergencyContact:
    """A new emergency contact, last in the order unless an order is given. A retry with the
    same `contact_id` returns the contact it made."""
    require_writer(actor=actor, team_id=client.team_id)
    if contact_id is not None and (
        again := EmergencyContact.objects.filter(pk=contact_id, client=client).first()
    ):
        return again
    with transaction.atomic():
        locked = Client.objects.select_for_update().select_related("team").get(pk=client.pk)
        count = EmergencyContact.objects.filter(client=locked).count()
        if count >= limits.EMERGENCY_CONTACTS_MAX:
            raise DomainError(
                _("A client can have at most %(most)d emergency contacts.")
                % {"most": limits.EMERGENCY_CONTACTS_MAX},
                field="name",
            )
        values = _contact_values(
            name=name,
            relationship=relationship,
            phone=phone,
            may_be_told=may_be_told,
            order=order if order is not None else count + 1,
        )
        contact = EmergencyContact.objects.create(
            id=contact_id or uuid.uuid4(), team_id=locked.team_id, client=locked, **values
        )
        change_record(entity="emergency_contact", obj=contact, actor=actor)
    return contact


def emergency_contact_update(
    *,
    contact: EmergencyContact,
    version: int,
    name: str,
    relationship: str,
    phone: str,
    may_be_told: str,
    order: int,
    actor: User,
) -> EmergencyContact:
    client = contact.client
    require_writer(actor=actor, team_id=client.team_id)
    values = _contact_values(
        name=name, relationship=relationship, phone=phone, may_be_told=may_be_told, order=order
    )
    with versioned_write(
        _contacts(), pk=contact.pk, version=version, entity="emergency_contact", actor=actor
    ) as current:
        for key, value in values.items():
            setattr(current, key, value)
    return current


def emergency_contact_remove(*, contact: EmergencyContact, version: int, actor: User) -> None:
    """Contact details that are no longer right are removed (the feed keeps that they were)."""
    client = contact.client
    require_writer(actor=actor, team_id=client.team_id)
    with versioned_delete(
        _contacts(), pk=contact.pk, version=version, entity="emergency_contact", actor=actor
    ):
        pass
