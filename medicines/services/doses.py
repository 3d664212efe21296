"""What happened to each dose, recorded at a visit: append-only (a correction supersedes), one
record per scheduled dose, no record before the carer has checked in, the PRN rule checked
across every line of the same ingredient. A record made offline that breaks a rule it could not
see is applied with a warning for the team, never dropped: the dose was given."""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careteams import access, limits, versioning
from careteams.errors import Conflict, DomainError
from careteams.models import Membership, User
from medicines import hooks
from medicines.errors import (
    DoseAlreadyRecorded,
    LineNotChecked,
    NotCheckedIn,
    PrnMaximumReached,
    PrnTooSoon,
    WitnessRequired,
)
from medicines.models import DOSE_RECORD, NOTE_MAX, REASON_MAX, DoseRecord, MedicineLine
from medicines.selectors.doses import current_records, dose_at, part_dose_moved
from medicines.selectors.lines import policy_of
from medicines.selectors.prn import prn_verdict
from medicines.vocabulary import TAKEN, LineStatus, NotGivenReason, Outcome
from scheduling.models import Visit
from scheduling.visit_models import VisitAttendance

ALREADY_CORRECTED = gettext_lazy("This record was already corrected: correct the latest one.")


@dataclass(frozen=True)
class Answer:
    """What the carer said happened to the dose."""

    outcome: str
    amount: Decimal | None = None
    reason: str = ""
    note: str = ""
    prn_reason: str = ""
    witness: User | None = None


def _text(value: str, limit: int, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise DomainError(limits.too_long(limit), field=field)
    return value


def _check_answer(line: MedicineLine, answer: Answer) -> Answer:
    if answer.outcome not in Outcome.values:
        raise DomainError(limits.not_a_choice(Outcome.values), field="outcome")
    reason = answer.reason if answer.outcome == Outcome.NOT_GIVEN else ""
    if answer.outcome == Outcome.NOT_GIVEN and reason not in NotGivenReason.values[1:]:
        raise DomainError(_("Choose why it was not given."), field="reason")
    amount = answer.amount
    if answer.outcome not in TAKEN:
        amount = None
    elif amount is None and answer.outcome == Outcome.PARTLY:
        raise DomainError(_("Say how much was taken."), field="amount")
    elif amount is None and line.dose_min != line.dose_max:
        raise DomainError(_("Say how much was given."), field="amount")
    elif amount is not None and not Decimal(0) < amount <= Decimal(line.dose_max):
        raise DomainError(
            _("Between nought and %(most)s %(unit)s.")
            % {"most": line.dose_max.normalize(), "unit": line.dose_unit},
            field="amount",
        )
    prn_reason = _text(answer.prn_reason, REASON_MAX, "prn_reason")
    if line.prn and answer.outcome in TAKEN and not prn_reason:
        raise DomainError(_("Say why it was needed."), field="prn_reason")
    return Answer(
        outcome=answer.outcome,
        amount=amount,
        reason=reason,
        note=_text(answer.note, NOTE_MAX, "note"),
        prn_reason=prn_reason,
        witness=answer.witness if answer.outcome in TAKEN else None,
    )


def _require_checked_in(*, user: User, visit: Visit, line: MedicineLine) -> bool:
    """Whether the carer is checked in at the visit (and still there): no pre-signing. A record
    after their check-out is kept as a late entry."""
    if visit.client_id != line.client_id:
        raise DomainError(_("This visit is to another client."), field="visit")
    attendance = VisitAttendance.objects.filter(
        visit=visit, member__user=user, withdrawn_at__isnull=True
    ).first()
    if attendance is None:
        raise NotCheckedIn()
    return attendance.checked_out_at is not None


def _check_when(
    line: MedicineLine, due_at: dt.datetime | None, taken_at: dt.datetime, offline: bool
) -> tuple[dt.datetime | None, list[str]]:
    """The due time the record is for, and any warning. A dose given with a visit that moved
    after the tablet last saw it (offline) is kept, on that dose as it now stands: it happened."""
    if taken_at > timezone.now() + limits.CLOCK_SKEW_ALLOWED:
        raise DomainError(_("A dose cannot be recorded as taken in the future."), field="taken_at")
    if line.prn:
        if due_at is not None:
            raise DomainError(_("A when-required dose has no due time."), field="due_at")
        return None, []
    zone = line.client.team.zone
    if due_at is not None and dose_at(line, due_at, zone) is not None:
        return due_at, []
    moved = part_dose_moved(line, due_at, zone) if offline and due_at is not None else None
    if due_at is None or moved is None:
        raise DomainError(_("This medicine has no dose due at that time."), field="due_at")
    warning = _(
        "Recorded offline for the dose of %(seen)s, which moved with its visit to %(now)s."
    ) % {
        "seen": due_at.astimezone(zone).strftime("%H:%M"),
        "now": moved.due_at.astimezone(zone).strftime("%H:%M"),
    }
    return moved.due_at, [warning]


def _witness(line: MedicineLine, answer: Answer, user: User, offline: bool) -> list[str]:
    if answer.outcome not in TAKEN or not line.is_controlled:
        return []
    if answer.witness is not None:
        member = Membership.objects.active().filter(team_id=line.team_id, user=answer.witness)
        if answer.witness.pk == user.pk or not member.exists():
            raise DomainError(
                _("The witness is another current member of the team."), field="witness"
            )
        return []
    if not policy_of(line.client.team).cd_witness_required:
        return []
    if not offline:
        raise WitnessRequired()
    return [_("A controlled drug recorded offline with no witness.")]


def _prn_rule(line: MedicineLine, answer: Answer, at: dt.datetime, offline: bool) -> list[str]:
    if not line.prn or answer.outcome not in TAKEN:
        return []
    verdict = prn_verdict(line=line, at=at, amount=answer.amount)
    if verdict.allowed_at is None:
        return []
    error = (PrnTooSoon if verdict.too_soon else PrnMaximumReached)(allowed_at=verdict.allowed_at)
    if not offline:
        raise error
    return [_("Recorded offline against the PRN rule: %(rule)s") % {"rule": error.detail}]


def _first_record(line: MedicineLine, due_at: dt.datetime | None) -> None:
    if due_at is None:
        return
    first = current_records().filter(line=line, due_at=due_at).select_related("recorded_by").first()
    if first is not None:
        raise DoseAlreadyRecorded(first=first)


def dose_record(
    *,
    user: User,
    line: MedicineLine,
    visit: Visit | None,
    due_at: dt.datetime | None,
    outcome: str,
    record_id: uuid.UUID,
    amount: Decimal | None = None,
    reason: str = "",
    note: str = "",
    prn_reason: str = "",
    taken_at: dt.datetime | None = None,
    offline: bool = False,
    expected_version: int | None = None,
    witness: User | None = None,
) -> DoseRecord:
    """Record what happened to one dose. The same `record_id` again returns the stored record.
    Refuses: before check-in (`NotCheckedIn`), a second record of one scheduled dose
    (`DoseAlreadyRecorded`, naming the first recorder), a PRN dose too soon or over the
    24-hour maximum (`PrnTooSoon`, `PrnMaximumReached`, with when it is allowed) unless
    `offline`, when it is kept with a `warning`. Without a visit, it is a late entry."""
    access.require_member_of(user, line.team_id)
    if again := DoseRecord.objects.filter(pk=record_id).first():
        if again.line_id != line.pk:
            raise DomainError(_("This id is another record's."), field="id")
        return again
    # As stored now: a line stopped or changed since the caller read it decides.
    line = MedicineLine.objects.select_related("client__team").get(pk=line.pk)
    answer = _check_answer(line, Answer(outcome, amount, reason, note, prn_reason, witness=witness))
    taken_at = taken_at or timezone.now()
    warnings: list[str] = []
    if expected_version is not None and expected_version != line.version:
        if not offline:
            raise Conflict(_("This medicine was changed: look at it again before recording."))
        warnings.append(_("The medicine was changed after the tablet last saw it."))
    if not line.is_checked:
        raise LineNotChecked()
    if line.status != LineStatus.ACTIVE and (line.prn or due_at is None):
        if not offline:
            raise DomainError(_("This medicine has been stopped."), field="line")
        warnings.append(_("Recorded offline after the medicine was stopped."))
    due_at, moved = _check_when(line, due_at, taken_at, offline)
    warnings += moved
    late = visit is None or _require_checked_in(user=user, visit=visit, line=line)
    warnings += _witness(line, answer, user, offline)
    try:
        with transaction.atomic():
            MedicineLine.objects.select_for_update().filter(pk=line.pk).first()
            _first_record(line, due_at)
            warnings += _prn_rule(line, answer, taken_at, offline)
            record = _create(record_id, line, visit, due_at, answer, user, taken_at, warnings, late)
    except IntegrityError:
        _first_record(line, due_at)
        raise
    return record


def _create(
    record_id: uuid.UUID,
    line: MedicineLine,
    visit: Visit | None,
    due_at: dt.datetime | None,
    answer: Answer,
    user: User,
    taken_at: dt.datetime,
    warnings: list[str],
    late: bool,
    supersedes: DoseRecord | None = None,
    correction_reason: str = "",
) -> DoseRecord:
    record = DoseRecord.objects.create(
        id=record_id,
        line=line,
        client_id=line.client_id,
        team_id=line.team_id,
        visit=visit,
        due_at=due_at,
        outcome=answer.outcome,
        amount=answer.amount,
        reason=answer.reason,
        note=answer.note,
        prn_reason=answer.prn_reason,
        witnessed_by=answer.witness,
        taken_at=taken_at,
        recorded_by=user,
        supersedes=supersedes,
        correction_reason=correction_reason,
        warning=" ".join(warnings)[:REASON_MAX],
        late_entry=late,
    )
    versioning.change_record(entity=DOSE_RECORD, obj=record, actor=user)
    hooks.dose_written(record, user)
    return record


def dose_correct(
    *,
    user: User,
    record: DoseRecord,
    outcome: str,
    correction_reason: str,
    amount: Decimal | None = None,
    reason: str = "",
    note: str = "",
    prn_reason: str = "",
    taken_at: dt.datetime | None = None,
    witness: User | None = None,
    record_id: uuid.UUID | None = None,
) -> DoseRecord:
    """A correction: a new record that supersedes `record` (which stays readable), with the
    reason. Only the latest record of a dose can be corrected. A corrected PRN dose that breaks
    the rule is kept with a warning: it states what happened."""
    access.require_member_of(user, record.team_id)
    if record_id is not None and (again := DoseRecord.objects.filter(pk=record_id).first()):
        if again.supersedes_id != record.pk:
            raise DomainError(_("This id is another record's."), field="id")
        return again
    why = _text(correction_reason, REASON_MAX, "correction_reason")
    if not why:
        raise DomainError(_("Say why it is corrected."), field="correction_reason")
    line = MedicineLine.objects.select_related("client__team").get(pk=record.line_id)
    answer = _check_answer(line, Answer(outcome, amount, reason, note, prn_reason, witness))
    taken_at = taken_at or record.taken_at
    warnings = _witness(line, answer, user, offline=True)
    with transaction.atomic():
        MedicineLine.objects.select_for_update().filter(pk=line.pk).first()
        if DoseRecord.objects.filter(supersedes=record).exists():
            raise Conflict(str(ALREADY_CORRECTED))
        if line.prn and answer.outcome in TAKEN:
            verdict = prn_verdict(line=line, at=taken_at, amount=answer.amount, ignore=record)
            if verdict.allowed_at is not None:
                warnings.append(_("The corrected dose breaks the PRN rule."))
        try:
            corrected = _create(
                record_id or uuid.uuid4(),
                line,
                record.visit,
                record.due_at,
                answer,
                user,
                taken_at,
                warnings,
                record.late_entry,
                supersedes=record,
                correction_reason=why,
            )
        except IntegrityError:
            raise Conflict(str(ALREADY_CORRECTED)) from None
    return corrected
