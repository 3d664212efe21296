"""Writes for shifts and absences, and copying last week's shifts."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import override

from careteams import changes, dates, limits, timeutil
from careteams.errors import DomainError
from careteams.models import Membership, Team, User
from careteams.versioning import versioned_delete, versioned_write
from scheduling.models import Absence, AbsenceKind, Shift, ShiftKind, SwapOffer
from scheduling.rules.words import Said, gettext_noop, said
from scheduling.services.common import (
    MAX_SHIFT_HOURS,
    lock_team,
    member_label,
    notify_if_published,
    require_choice,
    require_length,
    require_member,
    require_order,
    require_writer,
    span,
    violates,
)

# The PostgreSQL exclusion constraint (migration scheduling 0004): no two shifts of one member
# overlap, whoever writes.
NO_OVERLAP = "shift_member_no_overlap"

NEW_SHIFT = gettext_noop("New shift for you: %(shift)s.")


def _shifts() -> QuerySet[Shift]:
    return Shift.objects.select_related("team", "member__user")


def _absences() -> QuerySet[Absence]:
    return Absence.objects.select_related("team")


def _kind_label(kind: str) -> Said:
    """An absence's kind in English for the notice's text (whoever's language the writer
    reads), said again as the catalogue translates its label."""
    with override("en"):
        return said(str(AbsenceKind(kind).label))


def _validate_shift(
    *,
    team: Team,
    member: Membership,
    start: dt.datetime,
    end: dt.datetime,
    kind: str,
    break_minutes: int,
    note: str,
) -> None:
    """What can be checked without the database; the overlap is checked under the team lock."""
    require_member(team=team, member=member)
    require_order(start=start, end=end)
    require_choice(kind, ShiftKind.values, field="kind")
    require_length(note, limits.ROTA_NOTE_MAX, field="note")
    length = timeutil.hours_between(start, end)
    if length > MAX_SHIFT_HOURS:
        raise DomainError(
            _("A shift can last at most %(n)s hours.") % {"n": MAX_SHIFT_HOURS}, field="end"
        )
    if not 0 <= break_minutes <= limits.BREAK_MINUTES_MAX:
        raise DomainError(
            _("A break lasts from 0 to %(n)s minutes.") % {"n": limits.BREAK_MINUTES_MAX},
            field="break_minutes",
        )
    if break_minutes >= length * 60:
        raise DomainError(_("The break must be shorter than the shift."), field="break_minutes")


def _clash(
    *,
    team: Team,
    member: Membership,
    start: dt.datetime,
    end: dt.datetime,
    ignore: Shift | None = None,
) -> DomainError | None:
    others = Shift.objects.filter(member=member, start__lt=end, end__gt=start)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    clash = others.first()
    if clash is None:
        return None
    return DomainError(
        _("%(name)s already has a shift then (%(span)s).")
        % {"name": member_label(member), "span": span(team, clash.start, clash.end)},
        field="start",
    )


def _overlap_refused(
    error: IntegrityError,
    *,
    team: Team,
    member: Membership,
    start: dt.datetime,
    end: dt.datetime,
    ignore: Shift | None = None,
) -> DomainError:
    """The database's exclusion constraint said what the overlap check says: the same answer.
    Anything else the database refused is not ours to explain."""
    if not violates(error, NO_OVERLAP):
        raise error
    return _clash(team=team, member=member, start=start, end=end, ignore=ignore) or DomainError(
        _("%(name)s already has a shift then.") % {"name": member_label(member)}, field="start"
    )


def shift_create(
    *,
    team: Team,
    member: Membership,
    start: dt.datetime,
    end: dt.datetime,
    kind: str,
    break_minutes: int = 0,
    note: str = "",
    actor: User,
) -> Shift:
    require_writer(actor=actor, team=team)
    _validate_shift(
        team=team,
        member=member,
        start=start,
        end=end,
        kind=kind,
        break_minutes=break_minutes,
        note=note,
    )
    try:
        with transaction.atomic():
            lock_team(team)
            if clash := _clash(team=team, member=member, start=start, end=end):
                raise clash
            shift = Shift.objects.create(
                team=team,
                member=member,
                start=start,
                end=end,
                kind=kind,
                break_minutes=break_minutes,
                note=note,
            )
            changes.record(team=team, entity="shift", obj=shift, actor=actor)
            notify_if_published(
                team=team,
                moment=start,
                members=[member],
                text=said(NEW_SHIFT, shift=span(team, start, end)),
                actor=actor,
            )
    except IntegrityError as error:
        raise _overlap_refused(error, team=team, member=member, start=start, end=end) from error
    return shift


def shift_update(
    *,
    shift: Shift,
    version: int,
    member: Membership,
    start: dt.datetime,
    end: dt.datetime,
    kind: str,
    break_minutes: int,
    note: str,
    actor: User,
) -> Shift:
    team = shift.team
    require_writer(actor=actor, team=team)
    _validate_shift(
        team=team,
        member=member,
        start=start,
        end=end,
        kind=kind,
        break_minutes=break_minutes,
        note=note,
    )
    try:
        return _shift_update(
            shift=shift,
            version=version,
            member=member,
            start=start,
            end=end,
            kind=kind,
            break_minutes=break_minutes,
            note=note,
            actor=actor,
        )
    except IntegrityError as error:
        raise _overlap_refused(
            error, team=team, member=member, start=start, end=end, ignore=shift
        ) from error


def _shift_update(
    *,
    shift: Shift,
    version: int,
    member: Membership,
    start: dt.datetime,
    end: dt.datetime,
    kind: str,
    break_minutes: int,
    note: str,
    actor: User,
) -> Shift:
    team = shift.team
    with transaction.atomic():
        lock_team(team)
        with versioned_write(
            _shifts(), pk=shift.pk, version=version, entity="shift", actor=actor
        ) as shift:
            if clash := _clash(team=team, member=member, start=start, end=end, ignore=shift):
                raise clash
            before = span(team, shift.start, shift.end)
            old_member = shift.member
            shift.member, shift.start, shift.end = member, start, end
            shift.kind, shift.break_minutes, shift.note = kind, break_minutes, note
        if old_member.pk != member.pk:
            notify_if_published(
                team=team,
                moment=start,
                members=[old_member],
                text=said(
                    gettext_noop("Your shift %(shift)s now goes to %(name)s."),
                    shift=before,
                    name=member_label(member),
                ),
                actor=actor,
            )
            notify_if_published(
                team=team,
                moment=start,
                members=[member],
                text=said(NEW_SHIFT, shift=span(team, start, end)),
                actor=actor,
            )
        else:
            notify_if_published(
                team=team,
                moment=start,
                members=[member],
                text=said(
                    gettext_noop("Your shift %(before)s changed to %(after)s."),
                    before=before,
                    after=span(team, start, end),
                ),
                actor=actor,
            )
    return shift


def shift_delete(*, shift: Shift, version: int, actor: User) -> None:
    team = shift.team
    require_writer(actor=actor, team=team)
    with versioned_delete(
        _shifts(), pk=shift.pk, version=version, entity="shift", actor=actor
    ) as shift:
        # Offers of this shift go with it (the database cascades); devices hear of each one.
        for offer in SwapOffer.objects.filter(shift=shift):
            changes.record(team=team, entity="swap_offer", obj=offer, op="delete", actor=actor)
        notify_if_published(
            team=team,
            moment=shift.start,
            members=[shift.member],
            text=said(
                gettext_noop("Your shift %(shift)s was removed."),
                shift=span(team, shift.start, shift.end),
            ),
            actor=actor,
        )


def shifts_copy_week(*, team: Team, monday: dt.date, actor: User) -> int:
    """Copy last week's shifts into the week of `monday`, at the same local times (so a shift
    keeps its 07:00 start across a clock change). Shifts that would clash with one already
    planned, or whose member has left, are skipped. Returns how many were copied."""
    dates.require_in_range(monday, field="week")
    last_start, last_end = timeutil.week_bounds(team.zone, monday - dt.timedelta(days=7))
    copied = 0
    require_writer(actor=actor, team=team)
    with transaction.atomic():
        lock_team(team)
        source = (
            Shift.objects.filter(team=team, start__gte=last_start, start__lt=last_end)
            .select_related("member__user")
            .order_by("start")
        )
        for old in source:
            if old.member.ended_at is not None:
                continue
            new_start = _same_local_time_a_week_later(old.start, team)
            new_end = _same_local_time_a_week_later(old.end, team)
            if Shift.objects.filter(
                member=old.member, start__lt=new_end, end__gt=new_start
            ).exists():
                continue
            shift = Shift.objects.create(
                team=team,
                member=old.member,
                start=new_start,
                end=new_end,
                kind=old.kind,
                break_minutes=old.break_minutes,
                note=old.note,
            )
            changes.record(team=team, entity="shift", obj=shift, actor=actor)
            notify_if_published(
                team=team,
                moment=new_start,
                members=[old.member],
                text=said(NEW_SHIFT, shift=span(team, new_start, new_end)),
                actor=actor,
            )
            copied += 1
    return copied


def _same_local_time_a_week_later(moment: dt.datetime, team: Team) -> dt.datetime:
    local = moment.astimezone(team.zone)
    return dt.datetime.combine(
        local.date() + dt.timedelta(days=7), local.time().replace(tzinfo=None), tzinfo=team.zone
    )


# Absences ----------------------------------------------------------------------------------


def _validate_absence(
    *, team: Team, member: Membership, kind: str, start: dt.datetime, end: dt.datetime, note: str
) -> None:
    require_member(team=team, member=member)
    require_choice(kind, AbsenceKind.values, field="kind")
    require_order(start=start, end=end)
    require_length(note, limits.ROTA_NOTE_MAX, field="note")


def absence_create(
    *,
    team: Team,
    member: Membership,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    note: str = "",
    actor: User,
) -> Absence:
    require_writer(actor=actor, team=team)
    _validate_absence(team=team, member=member, kind=kind, start=start, end=end, note=note)
    with transaction.atomic():
        absence = Absence.objects.create(
            team=team, member=member, kind=kind, start=start, end=end, note=note
        )
        changes.record(team=team, entity="absence", obj=absence, actor=actor)
        notify_if_published(
            team=team,
            moment=start,
            members=[member],
            text=said(
                gettext_noop("%(kind)s recorded for you from %(span)s."),
                kind=_kind_label(kind),
                span=span(team, start, end),
            ),
            actor=actor,
        )
    return absence


def absence_update(
    *,
    absence: Absence,
    version: int,
    member: Membership,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    note: str,
    actor: User,
) -> Absence:
    team = absence.team
    require_writer(actor=actor, team=team)
    _validate_absence(team=team, member=member, kind=kind, start=start, end=end, note=note)
    with versioned_write(
        _absences(), pk=absence.pk, version=version, entity="absence", actor=actor
    ) as absence:
        absence.member, absence.kind, absence.start, absence.end = member, kind, start, end
        absence.note = note
    return absence


def absence_delete(*, absence: Absence, version: int, actor: User) -> None:
    team = absence.team
    require_writer(actor=actor, team=team)
    with versioned_delete(
        _absences(), pk=absence.pk, version=version, entity="absence", actor=actor
    ):
        pass
