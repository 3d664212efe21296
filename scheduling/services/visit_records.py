"""What was done at a visit, and why a visit did not happen (issue 13). Append-only: a changed
task outcome is a new outcome that supersedes the last; a missed visit's reason is corrected by
a new reason. Each write carries an id made by its device or page, so a retry adds nothing."""

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careteams import changes, limits
from careteams.errors import DomainError
from careteams.models import User
from careteams.versioning import locked_at_version, versioned_save
from scheduling.models import Visit, VisitStatus
from scheduling.rules.lateness import Timing, visit_timing
from scheduling.selectors.visit_card import visit_tasks
from scheduling.services.common import require_choice, require_length, require_writer
from scheduling.visit_models import (
    MissedReason,
    MissedVisit,
    NotDoneReason,
    TaskOutcome,
    VisitTaskOutcome,
)

RETRY_REFUSED = gettext_lazy("This could not be saved: reload and record it again.")


def _device_time(at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if at is None:
        return now
    if at > now + limits.CLOCK_SKEW_ALLOWED:
        raise DomainError(_("This cannot be recorded in the future."), field="at")
    if at < now - limits.NOTE_AGE_ALLOWED:
        raise DomainError(
            _("This cannot be dated more than %(days)d days ago.")
            % {"days": limits.NOTE_AGE_ALLOWED.days},
            field="at",
        )
    return at


def _visits() -> QuerySet[Visit]:
    return Visit.objects.select_related("client", "team")


def _lock(visit: Visit) -> Visit:
    return _visits().select_for_update(of=("self",)).get(pk=visit.pk)


def _outcome_again(outcome_id: uuid.UUID, visit: Visit, actor: User) -> VisitTaskOutcome | None:
    found = VisitTaskOutcome.objects.filter(pk=outcome_id).first()
    if found is not None and (found.visit_id != visit.id or found.recorded_by_id != actor.pk):
        raise DomainError(str(RETRY_REFUSED))
    return found


def visit_task_outcome_record(
    *,
    visit: Visit,
    task_key: str,
    outcome: str,
    actor: User,
    reason: str = "",
    note: str = "",
    at: dt.datetime | None = None,
    outcome_id: uuid.UUID | None = None,
) -> VisitTaskOutcome:
    """Mark one task of the visit done, or not done with a reason (refused, not needed, could
    not: then with a note). A second outcome for the same task supersedes the first."""
    require_writer(actor=actor, team=visit.team)
    outcome_id = outcome_id or uuid.uuid4()
    if (again := _outcome_again(outcome_id, visit, actor)) is not None:
        return again
    require_choice(outcome, TaskOutcome.values, field="outcome")
    note = note.strip()
    require_length(note, limits.TASK_NOTE_MAX, field="note")
    if outcome == TaskOutcome.DONE:
        if reason:
            raise DomainError(_("A task done has no reason for not doing it."), field="reason")
    else:
        require_choice(reason, NotDoneReason.values, field="reason")
        if reason == NotDoneReason.COULD_NOT and not note:
            raise DomainError(_("Say why the task could not be done."), field="note")
    now = timezone.now()
    moment = _device_time(at, now)
    try:
        with transaction.atomic():
            visit = _lock(visit)
            if visit.status == VisitStatus.CANCELLED:
                raise DomainError(_("This visit is cancelled: its tasks are not recorded."))
            task = next((t for t in visit_tasks(visit) if t.key == task_key), None)
            if task is None:
                raise DomainError(_("Choose a task of this visit."), field="task_key")
            previous = (
                VisitTaskOutcome.objects.filter(
                    visit=visit, task_key=task_key, superseded_by__isnull=True
                )
                .order_by("-received_at")
                .first()
            )
            recorded = VisitTaskOutcome.objects.create(
                id=outcome_id,
                team_id=visit.team_id,
                visit=visit,
                task_key=task_key,
                task_label=task.label[: limits.CARE_DESCRIPTION_MAX],
                intervention_id=task.intervention_id,
                outcome=outcome,
                reason=reason if outcome == TaskOutcome.NOT_DONE else "",
                note=note,
                supersedes=previous,
                recorded_by=actor,
                recorded_at=moment,
            )
            changes.record(
                team=visit.team,
                entity="visit_task_outcome",
                obj=recorded,
                actor=actor,
                client_id=visit.client_id,
            )
    except IntegrityError:
        # The same id arrived twice at once: the other request wrote it.
        if (again := _outcome_again(outcome_id, visit, actor)) is not None:
            return again
        raise
    return recorded


def visit_missed_record(
    *,
    visit: Visit,
    version: int,
    reason: str,
    actor: User,
    note: str = "",
    at: dt.datetime | None = None,
    record_id: uuid.UUID | None = None,
) -> MissedVisit:
    """Why a visit nobody checked in to did not happen. Marks the visit missed (it is then no
    longer checked in to); a later reason for the same visit corrects the earlier one."""
    require_writer(actor=actor, team=visit.team)
    record_id = record_id or uuid.uuid4()
    if (again := MissedVisit.objects.filter(pk=record_id).first()) is not None:
        if again.visit_id != visit.id or again.recorded_by_id != actor.pk:
            raise DomainError(str(RETRY_REFUSED))
        return again
    require_choice(reason, MissedReason.values, field="reason")
    note = note.strip()
    require_length(note, limits.REASON_MAX, field="note")
    if reason == MissedReason.OTHER and not note:
        raise DomainError(_("Say what happened."), field="note")
    now = timezone.now()
    moment = _device_time(at, now)
    with transaction.atomic():
        visit = locked_at_version(_visits(), pk=visit.pk, version=version, entity="visit")
        if visit.status not in (VisitStatus.PLANNED, VisitStatus.MISSED):
            raise DomainError(
                _("This visit is %(status)s: it was not missed.")
                % {"status": visit.get_status_display().lower()}
            )
        timing = visit_timing(
            planned_start=visit.planned_start,
            window_end=visit.window_end,
            grace_minutes=visit.team.late_grace_minutes,
            zone=visit.team.zone,
            now=now,
            checked_in_at=visit.checked_in_at,
        )
        if visit.status == VisitStatus.PLANNED and timing == Timing.ON_TIME:
            raise DomainError(
                _("This visit is not late yet: a reason is recorded once it is late or missed.")
            )
        missed = MissedVisit.objects.create(
            id=record_id,
            team_id=visit.team_id,
            visit=visit,
            reason=reason,
            note=note,
            recorded_by=actor,
            recorded_at=moment,
        )
        changes.record(
            team=visit.team,
            entity="missed_visit",
            obj=missed,
            actor=actor,
            client_id=visit.client_id,
        )
        if visit.status != VisitStatus.MISSED:
            visit.status = VisitStatus.MISSED
            versioned_save(visit, entity="visit", actor=actor)
    return missed
