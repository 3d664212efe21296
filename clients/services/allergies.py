"""Allergies and sensitivities on the client record: recorded, changed and ended by the
client's team, each change versioned and in the feed (careteams.versioning)."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import limits, versioning
from careteams.errors import DomainError
from careteams.models import User
from clients.models import (
    ALLERGY,
    Allergy,
    AllergyKind,
    AllergySeverity,
    AllergyStatus,
    Client,
)
from clients.services.common import require_length, require_writer


def _values(*, substance: str, kind: str, reaction: str, severity: str) -> dict[str, str]:
    values = {"substance": substance.strip(), "reaction": reaction.strip()}
    if not values["substance"]:
        raise DomainError(_("Enter what the client reacts to."), field="substance")
    for name, text in values.items():
        require_length(text, getattr(Allergy._meta.get_field(name), "max_length", 0), field=name)
    if kind not in AllergyKind.values:
        raise DomainError(limits.not_a_choice(AllergyKind.values), field="kind")
    if severity not in AllergySeverity.values:
        raise DomainError(limits.not_a_choice(AllergySeverity.values), field="severity")
    return {**values, "kind": kind, "severity": severity}


def allergy_record(
    *,
    client: Client,
    substance: str,
    kind: str = AllergyKind.ALLERGY,
    reaction: str = "",
    severity: str = AllergySeverity.UNKNOWN,
    actor: User,
    allergy_id: uuid.UUID | None = None,
) -> Allergy:
    """A new allergy or sensitivity of the client's. A retry with the same `allergy_id` (a
    device sending again) returns the one it made."""
    require_writer(actor=actor, team_id=client.team_id)
    if allergy_id is not None and (
        again := Allergy.objects.filter(pk=allergy_id, client=client).first()
    ):
        return again
    values = _values(substance=substance, kind=kind, reaction=reaction, severity=severity)
    with transaction.atomic():
        allergy = Allergy.objects.create(
            id=allergy_id or uuid.uuid4(),
            client=client,
            team_id=client.team_id,
            recorded_by=actor,
            **values,
        )
        versioning.change_record(entity=ALLERGY, obj=allergy, actor=actor)
    return allergy


def allergy_change(
    *,
    allergy: Allergy,
    version: int,
    substance: str,
    kind: str,
    reaction: str,
    severity: str,
    actor: User,
) -> Allergy:
    """Correct an allergy's details, based on `version` (a stale copy gets a Conflict)."""
    require_writer(actor=actor, team_id=allergy.team_id)
    values = _values(substance=substance, kind=kind, reaction=reaction, severity=severity)
    with versioning.versioned_write(
        Allergy.objects.all(), pk=allergy.pk, version=version, entity=ALLERGY, actor=actor
    ) as current:
        if current.status != AllergyStatus.ACTIVE:
            raise DomainError(_("This allergy has ended: record it again if it is back."))
        for name, value in values.items():
            setattr(current, name, value)
    return current


def allergy_end(*, allergy: Allergy, version: int, actor: User) -> Allergy:
    """End an allergy (resolved, or recorded in error): kept on the record, marked ended."""
    require_writer(actor=actor, team_id=allergy.team_id)
    with versioning.versioned_write(
        Allergy.objects.all(), pk=allergy.pk, version=version, entity=ALLERGY, actor=actor
    ) as current:
        if current.status != AllergyStatus.ACTIVE:
            raise DomainError(_("This allergy has already ended."))
        current.status = AllergyStatus.ENDED
        current.ended_at = timezone.now()
    return current
