"""Writing notes. Append-only: a correction is a new note that amends the earlier one.

Each note carries an id made by the page (or device) that wrote it, so a retried POST finds the
note it already made instead of making a second.
"""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careteams import limits
from careteams.errors import DomainError, FormerMember, NotFound
from careteams.models import Membership, User
from careteams.versioning import change_record
from clients.hooks import VisitLink
from clients.models import CareProblem, Client, Note, NoteProblem
from clients.services.common import require_length, require_writer

NOT_THIS_CLIENT = gettext_lazy("Choose a note of this client to amend.")
NOT_YOUR_NOTE_ID = gettext_lazy("This note could not be saved: reload the page and write it again.")


def _existing(note_id: uuid.UUID, *, client: Client, author: User) -> Note | None:
    """The note a retry already made; someone else's id is refused, never returned. Refused as
    not found, beside the id, in the words for any id that names no note of the writer's: that
    the id is another team's (or person's) note is never confirmed."""
    found = Note.objects.filter(pk=note_id).first()
    if found is None:
        return None
    if found.client_id != client.id or found.author_id != author.pk:
        raise NotFound(str(NOT_YOUR_NOTE_ID), field="note_id")
    return found


def _plausible(written_at: dt.datetime, *, now: dt.datetime, visit: VisitLink | None) -> None:
    """A device's clock may be a little fast, and a note may arrive days late; beyond that the
    time is a wrong clock, and the record would mislead."""
    if written_at > now + limits.CLOCK_SKEW_ALLOWED:
        raise DomainError(_("A note cannot be written in the future."), field="written_at")
    if written_at < now - limits.NOTE_AGE_ALLOWED:
        raise DomainError(
            _("A note cannot be dated more than %(days)d days ago.")
            % {"days": limits.NOTE_AGE_ALLOWED.days},
            field="written_at",
        )
    if visit is not None and written_at < visit.planned_start - limits.BEFORE_VISIT_ALLOWED:
        raise DomainError(
            _("A note about a visit cannot be dated more than %(hours)d hours before it starts.")
            % {"hours": limits.BEFORE_VISIT_ALLOWED // dt.timedelta(hours=1)},
            field="written_at",
        )


def note_write(
    *,
    client: Client,
    author: User,
    body: str,
    note_id: uuid.UUID,
    written_at: dt.datetime | None = None,
    shareable: bool = False,
    problems: Iterable[CareProblem] = (),
    visit: VisitLink | None = None,
    amends: Note | None = None,
) -> Note:
    """Append a note (returning the same note when `note_id` was already written)."""
    require_writer(actor=author, team_id=client.team_id)
    return _append(
        client=client,
        author=author,
        body=body,
        note_id=note_id,
        written_at=written_at,
        shareable=shareable,
        problems=problems,
        visit=visit,
        amends=amends,
    )


def note_write_late(
    *,
    membership: Membership,
    client: Client,
    body: str,
    note_id: uuid.UUID,
    written_at: dt.datetime,
    shareable: bool = False,
    problems: Iterable[CareProblem] = (),
    visit: VisitLink | None = None,
    amends: Note | None = None,
) -> Note:
    """A note its author wrote on a tablet while a member of the team, arriving after their
    membership ended (docs/sync.md, "A leaver's tablet"): written into the record under its
    author and the time it was written, like any note that arrives late, so that nothing
    written is lost. Only a note written between the start and the end of that membership."""
    if membership.ended_at is None or membership.team_id != client.team_id:
        raise NotFound()
    if not membership.started_at <= written_at <= membership.ended_at:
        raise FormerMember(
            _("This was written when its author was not a member of the team."), field="written_at"
        )
    return _append(
        client=client,
        author=membership.user,
        body=body,
        note_id=note_id,
        written_at=written_at,
        shareable=shareable,
        problems=problems,
        visit=visit,
        amends=amends,
    )


def _append(
    *,
    client: Client,
    author: User,
    body: str,
    note_id: uuid.UUID,
    written_at: dt.datetime | None,
    shareable: bool,
    problems: Iterable[CareProblem],
    visit: VisitLink | None,
    amends: Note | None,
) -> Note:
    if (again := _existing(note_id, client=client, author=author)) is not None:
        return again
    if not body.strip():
        raise DomainError(_("Write the note before saving it."), field="body")
    require_length(body.strip(), limits.NOTE_BODY_MAX, field="body")
    now = timezone.now()
    written_at = written_at or now
    _plausible(written_at, now=now, visit=visit)
    problems = list(problems)
    if any(problem.client_id != client.id for problem in problems):
        raise DomainError(_("Choose problems of this client's care plan."), field="problems")
    if visit is not None and visit.client_id != client.id:
        raise DomainError(_("Choose a visit to this client."), field="visit")
    if amends is not None and amends.client_id != client.id:
        raise DomainError(str(NOT_THIS_CLIENT), field="amends")
    try:
        with transaction.atomic():
            note = Note.objects.create(
                id=note_id,
                team_id=client.team_id,
                client=client,
                author=author,
                visit_id=visit.id if visit else None,
                body=body.strip(),
                shareable=shareable,
                amends=amends,
                recorded_at=written_at,
            )
            NoteProblem.objects.bulk_create(
                NoteProblem(team_id=note.team_id, note=note, problem=problem)
                for problem in problems
            )
            change_record(entity="note", obj=note, actor=author)
    except IntegrityError:
        # The same id arrived twice at once: the other request wrote it.
        if (again := _existing(note_id, client=client, author=author)) is not None:
            return again
        raise
    return note
