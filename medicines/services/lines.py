"""The client's medicines list: a line is added (transcribed), checked by a second person,
changed (a new version to check again) and stopped, each write versioned and in the feed
(careteams.versioning)."""

import dataclasses
import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access, versioning
from careteams.errors import DomainError, NotAllowed
from careteams.models import User
from clients.models import Client
from medicines.errors import AllergyMatch
from medicines.models import (
    MEDICINE_LINE,
    REASON_MAX,
    LineSchedule,
    LineScheduleCheck,
    MedicineLine,
)
from medicines.selectors.lines import allergy_matches
from medicines.services.details import LineDetails, clean
from medicines.vocabulary import LineStatus


def _reason(text: str, *, field: str, missing: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > REASON_MAX:
        raise DomainError(_("At most %(n)d characters.") % {"n": REASON_MAX}, field=field)
    return text


def _schedule_from(line: MedicineLine, moment: dt.datetime) -> None:
    """The line's timing, dates and time-critical flag are in force from `moment`: the earlier
    ones keep the days before."""
    LineSchedule.objects.create(
        line=line,
        times=list(line.times or []),
        visit_part=line.visit_part,
        time_tolerance_minutes=line.time_tolerance_minutes,
        time_critical=line.time_critical,
        starts_on=line.starts_on,
        stops_on=line.stops_on,
        in_force_from=moment,
    )


def _allergy_reason(*, client: Client, details: LineDetails, allergy_reason: str) -> str:
    """A medicine matching an allergy on the record is added only with a reason, kept."""
    found = allergy_matches(client=client, name=details.name, ingredients=details.ingredients)
    if not found:
        return ""
    if not allergy_reason.strip():
        raise AllergyMatch(substances=[str(a.substance) for a in found])
    return _reason(allergy_reason, field="allergy_reason", missing="")


def line_add(
    *,
    user: User,
    client: Client,
    details: LineDetails,
    allergy_reason: str = "",
    line_id: uuid.UUID | None = None,
) -> MedicineLine:
    """Transcribe a medicine onto the client's list, awaiting a second person's check. A retry
    with the same `line_id` returns the line it made."""
    access.require_member_of(user, client.team_id)
    if line_id is not None and (again := MedicineLine.objects.filter(pk=line_id).first()):
        if again.client_id != client.pk:
            raise DomainError(_("This id is another record's."), field="id")
        return again
    details = clean(details)
    confirmed = _allergy_reason(client=client, details=details, allergy_reason=allergy_reason)
    now = timezone.now()
    with transaction.atomic():
        line = MedicineLine.objects.create(
            id=line_id or uuid.uuid4(),
            client=client,
            team_id=client.team_id,
            transcribed_by=user,
            allergy_confirmed_reason=confirmed,
            created_at=now,
            changed_at=now,
            **dataclasses.asdict(details),
        )
        _schedule_from(line, now)
        versioning.change_record(entity=MEDICINE_LINE, obj=line, actor=user)
    return line


def line_check(*, user: User, line: MedicineLine, version: int) -> MedicineLine:
    """A second person confirms the line matches its source: never whoever wrote it."""
    access.require_member_of(user, line.team_id)

    def guard(current: MedicineLine) -> None:
        if current.transcribed_by_id == user.pk:
            raise NotAllowed(_("Someone other than who wrote this line must check it."))
        if current.status != LineStatus.ACTIVE:
            raise DomainError(_("This medicine has been stopped."))
        if current.checked_by_id is not None:
            raise DomainError(_("This line has already been checked."))

    with versioning.versioned_write(
        MedicineLine.objects.all(),
        pk=line.pk,
        version=version,
        entity=MEDICINE_LINE,
        actor=user,
        guard=guard,
    ) as current:
        current.checked_by = user
        current.checked_at = timezone.now()
        # The check is of the version in force now: an earlier unchecked one stays unchecked.
        latest = LineSchedule.objects.filter(line=current).order_by("-in_force_from").first()
        if latest is not None:
            LineScheduleCheck.objects.create(
                schedule=latest, checked_by=user, checked_at=current.checked_at
            )
    return current


def line_change(
    *,
    user: User,
    line: MedicineLine,
    version: int,
    details: LineDetails,
    change_note: str,
    allergy_reason: str = "",
) -> MedicineLine:
    """A new version of the line (the feed keeps the earlier ones): it is "changed" for the
    visit card from now, and, being a new transcription, awaits a second person's check again
    (NG67: a transcription is checked), so it is not due until then."""
    access.require_member_of(user, line.team_id)
    note = _reason(change_note, field="change_note", missing=_("Say what changed and why."))
    details = clean(details)
    confirmed = _allergy_reason(client=line.client, details=details, allergy_reason=allergy_reason)

    def guard(current: MedicineLine) -> None:
        if current.status != LineStatus.ACTIVE:
            raise DomainError(_("This medicine has been stopped: add it again instead."))

    with versioning.versioned_write(
        MedicineLine.objects.all(),
        pk=line.pk,
        version=version,
        entity=MEDICINE_LINE,
        actor=user,
        guard=guard,
    ) as current:
        for name, value in dataclasses.asdict(details).items():
            setattr(current, name, value)
        current.change_note = note
        current.allergy_confirmed_reason = confirmed or current.allergy_confirmed_reason
        current.transcribed_by = user
        current.checked_by, current.checked_at = None, None
        current.changed_at = timezone.now()
        _schedule_from(current, current.changed_at)
    return current


def line_stop(*, user: User, line: MedicineLine, version: int, reason: str) -> MedicineLine:
    """Stop a line now, with the reason: no dose of it is due after this moment; its records
    stay on the chart."""
    access.require_member_of(user, line.team_id)
    why = _reason(reason, field="stopped_reason", missing=_("Say why it was stopped."))

    def guard(current: MedicineLine) -> None:
        if current.status != LineStatus.ACTIVE:
            raise DomainError(_("This medicine has already been stopped."))

    with versioning.versioned_write(
        MedicineLine.objects.all(),
        pk=line.pk,
        version=version,
        entity=MEDICINE_LINE,
        actor=user,
        guard=guard,
    ) as current:
        now = timezone.now()
        current.status = LineStatus.STOPPED
        current.stopped_reason = why
        current.stopped_at = now
        current.changed_at = now
        current.change_note = why
    return current
