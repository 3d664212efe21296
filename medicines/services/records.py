"""PRN follow-ups, stock events and the team's medicines policy."""

import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from careteams import access, limits, versioning
from careteams.errors import DomainError
from careteams.models import Team, User
from medicines.models import (
    GRACE_MAX_MINUTES,
    MEDICINES_POLICY,
    NOTE_MAX,
    PRN_FOLLOW_UP,
    STOCK_EVENT,
    DoseRecord,
    MedicineLine,
    MedicinesPolicy,
    PrnFollowUp,
    StockEvent,
)
from medicines.selectors.lines import stock_expected
from medicines.vocabulary import TAKEN, StockKind

QUANTITY_MAX = Decimal(1_000_000)


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise DomainError(limits.too_long(NOTE_MAX), field="note")
    return note


def prn_follow_up(
    *,
    user: User,
    dose: DoseRecord,
    effective: bool,
    note: str = "",
    follow_up_id: uuid.UUID | None = None,
) -> PrnFollowUp:
    """Whether a PRN dose worked, asked later: one answer per dose (a retry returns it)."""
    access.require_member_of(user, dose.team_id)
    if follow_up_id is not None and (again := PrnFollowUp.objects.filter(pk=follow_up_id).first()):
        if again.dose_id != dose.pk:
            raise DomainError(_("This id is another record's."), field="id")
        return again
    if not dose.line.prn or dose.outcome not in TAKEN:
        raise DomainError(_("Only a when-required dose that was taken is followed up."))
    if PrnFollowUp.objects.filter(dose=dose).exists():
        raise DomainError(_("Whether it worked has already been recorded."), field="effective")
    with transaction.atomic():
        follow_up = PrnFollowUp.objects.create(
            id=follow_up_id or uuid.uuid4(),
            dose=dose,
            team_id=dose.team_id,
            effective=effective,
            note=_note(note),
            recorded_by=user,
        )
        versioning.change_record(entity=PRN_FOLLOW_UP, obj=follow_up, actor=user)
    return follow_up


def stock_record(
    *,
    user: User,
    line: MedicineLine,
    kind: str,
    quantity: Decimal,
    note: str = "",
    event_id: uuid.UUID | None = None,
) -> StockEvent:
    """Medicine in or out of the home, or a count. A count keeps what the records made the
    team expect: a difference is flagged on the medicines page until a later count matches."""
    access.require_member_of(user, line.team_id)
    if event_id is not None and (again := StockEvent.objects.filter(pk=event_id).first()):
        if again.line_id != line.pk:
            raise DomainError(_("This id is another record's."), field="id")
        return again
    if not line.track_stock:
        raise DomainError(_("This medicine's stock is not counted."), field="kind")
    if kind not in StockKind.values:
        raise DomainError(limits.not_a_choice(StockKind.values), field="kind")
    if not Decimal(0) <= quantity < QUANTITY_MAX:
        raise DomainError(_("Enter a quantity of nought or more."), field="quantity")
    with transaction.atomic():
        MedicineLine.objects.select_for_update().filter(pk=line.pk).first()
        expected = stock_expected(line) if kind == StockKind.COUNTED else None
        event = StockEvent.objects.create(
            id=event_id or uuid.uuid4(),
            line=line,
            team_id=line.team_id,
            kind=kind,
            quantity=quantity,
            expected_quantity=expected,
            note=_note(note),
            recorded_by=user,
        )
        versioning.change_record(entity=STOCK_EVENT, obj=event, actor=user)
    return event


def policy_change(
    *,
    user: User,
    team: Team,
    version: int,
    cd_witness_required: bool,
    missed_dose_grace_minutes: int,
) -> MedicinesPolicy:
    """The team's medicines policy, changed by whoever the team's settings allow (made on the
    first change, at version 1)."""
    access.require_manager_of(user, team)
    if not 0 <= missed_dose_grace_minutes <= GRACE_MAX_MINUTES:
        raise DomainError(
            _("From 0 to %(most)d minutes.") % {"most": GRACE_MAX_MINUTES},
            field="missed_dose_grace_minutes",
        )
    with transaction.atomic():
        policy, made = MedicinesPolicy.objects.get_or_create(team=team)
        if made:
            versioning.change_record(entity=MEDICINES_POLICY, obj=policy, actor=user)
        with versioning.versioned_write(
            MedicinesPolicy.objects.all(),
            pk=policy.pk,
            version=version,
            entity=MEDICINES_POLICY,
            actor=user,
        ) as current:
            current.cd_witness_required = cd_witness_required
            current.missed_dose_grace_minutes = missed_dose_grace_minutes
    return current
