"""Checking in and out, per carer, guarded (issue 13).

Each carer checks in for themselves (a VisitAttendance each): a double-up visit has two, and a
second carer arriving at a single visit is recorded as attending too when they say so. A
check-in on another day than the visit's (in the team's time zone) is refused; one far outside
the visit's window needs confirming with a reason (ConfirmationNeeded, code
"confirmation_required"); a mistaken one is withdrawn within a few minutes, and the withdrawal
is kept. The visit's own check-in and check-out times and status are derived from its live
attendances, so older devices, the week board and sync read them as before.
"""

import datetime as dt
import math
from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from careteams import limits
from careteams.errors import ConfirmationNeeded, DomainError, NotAllowed
from careteams.models import Membership, User
from careteams.versioning import change_record, versioned_save
from scheduling import hooks
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.services.common import (
    require_length,
    require_member,
    require_writer,
    visit_changing,
)
from scheduling.visit_models import AttendanceRole, VisitAttendance

CLOSED = (VisitStatus.CANCELLED, VisitStatus.MISSED)


def _device_time(at: dt.datetime | None, now: dt.datetime, visit: Visit) -> dt.datetime:
    """When the device says it happened (offline check-ins sync later): never in the future,
    never long before the visit was planned to start (a wrong clock, or the wrong visit)."""
    if at is None:
        return now
    if at > now + limits.CLOCK_SKEW_ALLOWED:
        raise DomainError(_("A check in or out cannot be in the future."), field="at")
    if at < visit.planned_start - limits.BEFORE_VISIT_ALLOWED:
        raise DomainError(
            _(
                "A check in or out cannot be more than %(hours)d hours before the visit's "
                "planned start."
            )
            % {"hours": limits.BEFORE_VISIT_ALLOWED // dt.timedelta(hours=1)},
            field="at",
        )
    return at


@dataclass(frozen=True)
class DeviceLocation:
    """Where the device was at check-in, when the carer chose to share it."""

    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None


def _checked_location(where: DeviceLocation) -> DeviceLocation:
    """Both or neither, on the earth, rounded to about a metre; an accuracy only with a place."""
    lat, lon, accuracy = where.latitude, where.longitude, where.accuracy_m
    if lat is None and lon is None:
        if accuracy is not None:
            raise DomainError(
                _("An accuracy is sent with a latitude and longitude."), field="accuracy_m"
            )
        return DeviceLocation()
    if lat is None or lon is None:
        raise DomainError(
            _("Send both the latitude and the longitude, or neither."),
            field="latitude" if lat is None else "longitude",
        )
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise DomainError(_("A latitude is from -90 to 90."), field="latitude")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise DomainError(_("A longitude is from -180 to 180."), field="longitude")
    if accuracy is not None and not (
        math.isfinite(accuracy) and 0 <= accuracy <= limits.DEVICE_ACCURACY_MAX_M
    ):
        raise DomainError(
            _("An accuracy is from 0 to %(most)s metres.") % {"most": limits.DEVICE_ACCURACY_MAX_M},
            field="accuracy_m",
        )
    return DeviceLocation(
        round(lat, 5), round(lon, 5), None if accuracy is None else round(accuracy, 1)
    )


def _require_self(member: Membership, actor: User) -> None:
    if member.user_id != actor.pk:
        raise NotAllowed(_("Each carer checks in and out for themselves."))


def _live(visit: Visit, member: Membership) -> VisitAttendance | None:
    live = (
        VisitAttendance.objects.select_for_update()
        .filter(visit=visit, member=member, withdrawn_at__isnull=True)
        .first()
    )
    if live is not None:
        live.visit = visit  # the locked visit: its feed entry needs its team and client
    return live


def _guard_time(visit: Visit, at: dt.datetime, *, confirm: bool, reason: str) -> None:
    zone = visit.team.zone
    day = visit.planned_start.astimezone(zone).date()
    if at.astimezone(zone).date() != day:
        raise DomainError(
            _(
                "This visit is on %(day)s: a check-in is taken on that day only "
                "(this one is %(at)s)."
            )
            % {
                "day": formats.date_format(day, "l j F"),
                "at": formats.date_format(at.astimezone(zone), "D j M H:i"),
            },
            field="at",
        )
    earliest = (visit.window_start or visit.planned_start) - limits.CHECK_IN_OUTSIDE_WINDOW
    latest = (visit.window_end or visit.planned_start) + limits.CHECK_IN_OUTSIDE_WINDOW
    if earliest <= at <= latest:
        return
    if not confirm:
        gap = limits.CHECK_IN_OUTSIDE_WINDOW // dt.timedelta(minutes=1)
        before = _(
            "This is more than %(gap)d minutes before the visit's time window: is this the right "
            "visit? To check in anyway, confirm and say why."
        )
        after = _(
            "This is more than %(gap)d minutes after the visit's time window: is this the right "
            "visit? To check in anyway, confirm and say why."
        )
        raise ConfirmationNeeded(
            (before if at < earliest else after) % {"gap": gap}, field="confirm"
        )
    if not reason.strip():
        raise DomainError(_("Say why you are checking in at this time."), field="reason")


def _attending(visit: Visit, version: int, actor: User) -> AbstractContextManager[Visit]:
    """The visit, for a check-in, a check-out or a withdrawal: these change only its arrival
    and leaving times and its status among planned, in progress and done (`_derive`), none of
    which the week's rules read (they leave out cancelled visits only). So the team's plan
    position stays where it was, and the week's kept rule results with it: a morning of
    check-ins would otherwise have its week's rules run again after every one."""
    return visit_changing(visit, version, actor, plan_input=False)


def _derive(visit: Visit) -> None:
    """The visit's own times and status from its live attendances (saved, and in the feed, by
    the write that locked it)."""
    live = list(
        VisitAttendance.objects.filter(visit=visit, withdrawn_at__isnull=True).order_by(
            "checked_in_at", "check_in_received_at"
        )
    )
    if not live:
        visit.checked_in_at = visit.check_in_received_at = None
        visit.checked_out_at = visit.check_out_received_at = None
        visit.status = VisitStatus.PLANNED
    else:
        visit.checked_in_at = live[0].checked_in_at
        visit.check_in_received_at = live[0].check_in_received_at
        outs = [a for a in live if a.checked_out_at is not None]
        if len(outs) == len(live):
            last = max(outs, key=lambda a: (a.checked_out_at, a.check_out_received_at))
            visit.checked_out_at = last.checked_out_at
            visit.check_out_received_at = last.check_out_received_at
            visit.status = VisitStatus.DONE
        else:
            visit.checked_out_at = visit.check_out_received_at = None
            visit.status = VisitStatus.IN_PROGRESS


def visit_check_in(
    *,
    visit: Visit,
    version: int,
    member: Membership,
    actor: User,
    at: dt.datetime | None = None,
    confirm: bool = False,
    reason: str = "",
    extra: bool = False,
    where: DeviceLocation | None = None,
) -> Visit:
    """A carer arrives. From a page, the device time and the server time are the same; a
    device that was offline sends `at`, the time it recorded. A carer not on the visit may
    check in as an extra attendee only when they say so (`extra`). `where` is the device's
    location, only when the carer chose to share it."""
    require_writer(actor=actor, team=visit.team)
    require_member(team=visit.team, member=member)
    _require_self(member, actor)
    require_length(reason.strip(), limits.REASON_MAX, field="reason")
    place = _checked_location(where or DeviceLocation())
    with _attending(visit, version, actor) as visit:
        if visit.status in CLOSED:
            raise DomainError(
                _("This visit is %(status)s: it cannot be checked in.")
                % {"status": visit.get_status_display().lower()}
            )
        assigned = VisitAssignment.objects.filter(visit=visit, member=member).exists()
        if not assigned and not extra:
            raise NotAllowed(
                _(
                    "Only a carer on this visit can check in; a carer who came to help checks in "
                    "as also attending."
                )
            )
        if _live(visit, member) is not None:
            raise DomainError(_("You are already checked in to this visit."))
        now = timezone.now()
        moment = _device_time(at, now, visit)
        _guard_time(visit, moment, confirm=confirm, reason=reason)
        attendance = VisitAttendance.objects.create(
            team_id=visit.team_id,
            visit=visit,
            member=member,
            role=AttendanceRole.ASSIGNED if assigned else AttendanceRole.EXTRA,
            checked_in_at=moment,
            check_in_received_at=now,
            confirmed_reason=reason.strip() if confirm else "",
            device_latitude=place.latitude,
            device_longitude=place.longitude,
            device_accuracy_m=place.accuracy_m,
        )
        change_record(entity="visit_attendance", obj=attendance, actor=actor)
        _derive(visit)
    return visit


def visit_check_in_withdraw(
    *, visit: Visit, version: int, member: Membership, actor: User, reason: str
) -> Visit:
    """Undo a mistaken check-in, within limits.WITHDRAW_WITHIN of its arrival at the server.
    Nothing is erased: the attendance keeps its check-in, marked withdrawn, with the reason."""
    require_writer(actor=actor, team=visit.team)
    _require_self(member, actor)
    if not reason.strip():
        raise DomainError(_("Say why the check-in was a mistake."), field="reason")
    require_length(reason.strip(), limits.REASON_MAX, field="reason")
    with _attending(visit, version, actor) as visit:
        attendance = _live(visit, member)
        if attendance is None:
            raise DomainError(_("You are not checked in to this visit."))
        if attendance.checked_out_at is not None:
            raise DomainError(_("You have checked out: a finished visit is not withdrawn."))
        now = timezone.now()
        if now - attendance.check_in_received_at > limits.WITHDRAW_WITHIN:
            minutes = limits.WITHDRAW_WITHIN // dt.timedelta(minutes=1)
            raise DomainError(
                _(
                    "A check-in can be withdrawn within %(minutes)d minutes only: check out "
                    "instead, and say what happened in the visit note."
                )
                % {"minutes": minutes}
            )
        attendance.withdrawn_at = now
        attendance.withdrawn_reason = reason.strip()
        versioned_save(attendance, entity="visit_attendance", actor=actor)
        _derive(visit)
    return visit


def visit_check_out(
    *,
    visit: Visit,
    version: int,
    member: Membership,
    actor: User,
    at: dt.datetime | None = None,
    offline: bool = False,
) -> Visit:
    """A carer leaves; the visit is done when every carer checked in has checked out. What was
    done and whether the visit has its note: scheduling.selectors.visit_card. The apps that
    registered a check-out guard (scheduling.hooks) may refuse, unless the check-out comes
    from a tablet's queue (`offline`): the carer has gone already."""
    require_writer(actor=actor, team=visit.team)
    _require_self(member, actor)
    with _attending(visit, version, actor) as visit:
        attendance = _live(visit, member)
        if attendance is None:
            if not VisitAssignment.objects.filter(visit=visit, member=member).exists():
                raise NotAllowed(_("Only a carer on this visit can check out."))
            raise DomainError(_("Check in before checking out."))
        if attendance.checked_out_at is not None:
            raise DomainError(_("You have already checked out of this visit."))
        now = timezone.now()
        moment = _device_time(at, now, visit)
        if moment < attendance.checked_in_at:
            raise DomainError(_("The check out must be after the check in."), field="at")
        # Apps above the rota may refuse (medicines: a dose due in the visit with no outcome).
        hooks.check_out_allowed(
            hooks.CheckOutAttempt(
                visit=visit, member=member, actor=actor, at=moment, offline=offline
            )
        )
        attendance.checked_out_at = moment
        attendance.check_out_received_at = now
        versioned_save(attendance, entity="visit_attendance", actor=actor)
        _derive(visit)
    return visit
