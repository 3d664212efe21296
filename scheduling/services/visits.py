"""Writes for visits: one-off visits, changes by hand, cancelling, carers, check in and out."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careteams import changes, limits, timeutil
from careteams.errors import DomainError, RuleBroken
from careteams.models import Membership, Team, User
from careteams.skills import unknown_skills
from clients.models import Client
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.rules.words import gettext_noop, said
from scheduling.selectors.hints import move_breaks

# Checking in and out moved to scheduling/services/attendance.py (per carer, guarded); the
# names stay importable from here for the pages, the API and the demo.
from scheduling.services.attendance import (
    DeviceLocation as DeviceLocation,
)
from scheduling.services.attendance import (
    visit_check_in as visit_check_in,
)
from scheduling.services.attendance import (
    visit_check_in_withdraw as visit_check_in_withdraw,
)
from scheduling.services.attendance import (
    visit_check_out as visit_check_out,
)
from scheduling.services.common import (
    member_label,
    notify_if_published,
    require_length,
    require_member,
    require_order,
    require_role,
    require_writer,
    visit_changing,
    visit_label,
)

MAX_VISIT_HOURS = 12


@dataclass(frozen=True)
class VisitDetails:
    """What a person may set on a visit by hand."""

    start: dt.datetime
    end: dt.datetime
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    required_skills: Sequence[str]
    carers_needed: int
    tasks: Sequence[str]
    required_role: str = ""  # "" anyone, or the least careteams.models.Role the visit needs


def _validate(team: Team, details: VisitDetails) -> None:
    require_order(start=details.start, end=details.end)
    if timeutil.hours_between(details.start, details.end) > MAX_VISIT_HOURS:
        raise DomainError(
            _("A visit can last at most %(hours)d hours.") % {"hours": MAX_VISIT_HOURS},
            field="end",
        )
    if details.window_start and details.window_end and details.window_end < details.window_start:
        raise DomainError(
            _("The latest start must not be before the earliest."), field="window_end"
        )
    if details.carers_needed not in (1, 2):
        raise DomainError(_("A visit needs one or two carers."), field="carers_needed")
    if bad := unknown_skills(list(details.required_skills)):
        raise DomainError(
            _("Unknown skills: %(skills)s.") % {"skills": ", ".join(bad)}, field="required_skills"
        )
    require_role(details.required_role)
    for task in details.tasks:
        require_length(task, limits.TASK_MAX, field="tasks")


def _carers(visit: Visit) -> list[Membership]:
    return [
        a.member for a in VisitAssignment.objects.filter(visit=visit).select_related("member__user")
    ]


def visit_create(*, team: Team, client: Client, details: VisitDetails, actor: User) -> Visit:
    """A one-off visit, outside any pattern."""
    require_writer(actor=actor, team=team)
    if client.team_id != team.id:
        raise DomainError(_("Choose a client of this team."), field="client")
    _validate(team, details)
    with transaction.atomic():
        visit = Visit.objects.create(
            team=team,
            client=client,
            planned_start=details.start,
            planned_end=details.end,
            window_start=details.window_start,
            window_end=details.window_end,
            required_skills=list(details.required_skills),
            required_role=details.required_role,
            carers_needed=details.carers_needed,
            tasks=list(details.tasks),
            edited_by_hand=True,
        )
        changes.record(team=team, entity="visit", obj=visit, actor=actor, client_id=client.id)
    return visit


def visit_update(*, visit: Visit, version: int, details: VisitDetails, actor: User) -> Visit:
    """A change by hand: the week generator keeps it from then on."""
    require_writer(actor=actor, team=visit.team)
    _validate(visit.team, details)
    with visit_changing(visit, version, actor) as visit:
        if visit.status == VisitStatus.CANCELLED:
            raise DomainError(_("This visit is cancelled: add a new visit instead."))
        before = visit_label(visit)
        visit.planned_start, visit.planned_end = details.start, details.end
        visit.window_start, visit.window_end = details.window_start, details.window_end
        visit.required_skills = list(details.required_skills)
        visit.required_role = details.required_role
        visit.carers_needed = details.carers_needed
        visit.tasks = list(details.tasks)
        visit.edited_by_hand = True
        if before != visit_label(visit):
            notify_if_published(
                team=visit.team,
                moment=visit.planned_start,
                members=_carers(visit),
                text=said(
                    gettext_noop("Your visit %(before)s moved to %(after)s."),
                    before=before,
                    after=visit_label(visit),
                ),
                actor=actor,
            )
    return visit


def visit_cancel(*, visit: Visit, version: int, actor: User) -> Visit:
    require_writer(actor=actor, team=visit.team)
    with visit_changing(visit, version, actor) as visit:
        if visit.status != VisitStatus.PLANNED:
            raise DomainError(
                _("Only a planned visit can be cancelled; this one is %(status)s.")
                % {"status": visit.get_status_display().lower()}
            )
        visit.status = VisitStatus.CANCELLED
        visit.edited_by_hand = True
        notify_if_published(
            team=visit.team,
            moment=visit.planned_start,
            members=_carers(visit),
            text=said(
                gettext_noop("Your visit %(visit)s was cancelled."), visit=visit_label(visit)
            ),
            actor=actor,
        )
    return visit


def _require_planned(visit: Visit) -> None:
    if visit.status != VisitStatus.PLANNED:
        raise DomainError(
            _("This visit is %(status)s: carers can no longer change.")
            % {"status": visit.get_status_display().lower()}
        )


def _require_reason(
    visit: Visit, member: Membership, from_member: Membership | None, actor: User, reason: str
) -> str:
    """The reason, required (and cut to its length) when the move breaks a hard rule: the same
    rules and the same computation as the hints shown before it (scheduling/selectors/hints.py)."""
    reason = reason.strip()[: limits.REASON_MAX]
    if reason:
        return reason
    broken = move_breaks(
        user=actor, team=visit.team, visit=visit, member=member, from_member=from_member
    )
    if broken:
        raise RuleBroken(
            _("Giving %(name)s this visit breaks a rule: %(rules)s Say why to make it anyway.")
            % {"name": member_label(member), "rules": " ".join(p.message for p in broken)},
            problems=[p.message for p in broken],
        )
    return ""


def _put_on(visit: Visit, member: Membership, actor: User, reason: str = "") -> VisitAssignment:
    """Inside the visit's versioned write: a place on it for `member`."""
    require_member(team=visit.team, member=member)
    current = _carers(visit)
    if any(m.pk == member.pk for m in current):
        raise DomainError(
            _("%(name)s is already on this visit.") % {"name": member_label(member)},
            field="member",
        )
    if len(current) >= visit.carers_needed:
        raise DomainError(
            ngettext(
                "This visit needs %(count)d carer and has them: take someone off first.",
                "This visit needs %(count)d carers and has them: take someone off first.",
                visit.carers_needed,
            )
            % {"count": visit.carers_needed},
            field="member",
        )
    assignment = VisitAssignment.objects.create(
        team_id=visit.team_id, visit=visit, member=member, assigned_by=actor, reason=reason
    )
    changes.record(
        team=visit.team,
        entity="visit_assignment",
        obj=assignment,
        actor=actor,
        client_id=visit.client_id,
    )
    notify_if_published(
        team=visit.team,
        moment=visit.planned_start,
        members=[member],
        text=said(gettext_noop("You are now on the visit %(visit)s."), visit=visit_label(visit)),
        actor=actor,
    )
    return assignment


def _take_off(visit: Visit, member: Membership, actor: User, *, field: str = "member") -> None:
    """Inside the visit's versioned write: `member`'s place on it given up."""
    assignment = VisitAssignment.objects.filter(visit=visit, member=member).first()
    if assignment is None:
        raise DomainError(
            _("%(name)s is not on this visit.") % {"name": member_label(member)}, field=field
        )
    changes.record(
        team=visit.team,
        entity="visit_assignment",
        obj=assignment,
        op="delete",
        actor=actor,
        client_id=visit.client_id,
    )
    assignment.delete()
    notify_if_published(
        team=visit.team,
        moment=visit.planned_start,
        members=[member],
        text=said(
            gettext_noop("You are no longer on the visit %(visit)s."), visit=visit_label(visit)
        ),
        actor=actor,
    )


def visit_assign(
    *, visit: Visit, version: int, member: Membership, actor: User, reason: str | None = None
) -> VisitAssignment:
    """Put a carer on a visit. A person choosing the carer (the board's list and grid) passes
    `reason` (blank when they gave none): a choice that breaks a hard rule is then refused
    without one, and the reason is kept with the place. Callers that choose no carer by hand
    (the planner's accepted proposals, which keep the hard rules; bulk and sync) pass None: the
    problems show on the week and the team decides."""
    require_writer(actor=actor, team=visit.team)
    with visit_changing(visit, version, actor) as visit:
        _require_planned(visit)
        if reason is not None:
            # Inside the write: a stale or finished visit is refused as such first.
            reason = _require_reason(visit, member, None, actor, reason)
        return _put_on(visit, member, actor, reason or "")


def visit_move(
    *,
    visit: Visit,
    version: int,
    from_member: Membership,
    member: Membership,
    actor: User,
    reason: str | None = None,
) -> VisitAssignment:
    """Give `from_member`'s place on a visit to `member` (the rota grid's move from one row to
    another): both in one write at one version, so another tablet never sees the visit with
    the place empty in between. The same checks as taking off and assigning, the reason too."""
    require_writer(actor=actor, team=visit.team)
    if from_member.pk == member.pk:
        raise DomainError(
            _("%(name)s is already on this visit.") % {"name": member_label(member)},
            field="member",
        )
    with visit_changing(visit, version, actor) as visit:
        _require_planned(visit)
        if reason is not None:
            reason = _require_reason(visit, member, from_member, actor, reason)
        _take_off(visit, from_member, actor, field="from")
        return _put_on(visit, member, actor, reason or "")


def visit_assign_at(
    *,
    visit: Visit,
    version: int,
    start: dt.datetime,
    members: Sequence[Membership],
    actor: User,
) -> Visit:
    """A suggestion that moves the visit within its window (the planner's): the new start, the
    same length, and its carers, in one write at one version, so no tablet sees the visit moved
    without them. Kept from then on by the week generator, like a change by hand."""
    require_writer(actor=actor, team=visit.team)
    with visit_changing(visit, version, actor) as visit:
        _require_planned(visit)
        first, last = visit.window_start, visit.window_end
        if first is None or last is None or not first <= start <= last:
            raise DomainError(_("The new time is outside the times the client may be visited."))
        length = visit.planned_end - visit.planned_start
        visit.planned_start, visit.planned_end = start, start + length
        visit.edited_by_hand = True
        for member in members:
            _put_on(visit, member, actor)
    return visit


@dataclass(frozen=True)
class AssignResult:
    """What became of one visit of a bulk assignment."""

    visit_id: uuid.UUID
    label: str
    ok: bool
    detail: str = ""


def visits_assign_many(
    *, team: Team, picked: Sequence[tuple[uuid.UUID, int]], member: Membership, actor: User
) -> list[AssignResult]:
    """Give many visits to one member: `visit_assign` once per visit, each in its own
    transaction, so one visit that changed meanwhile (its version) or is full does not stop
    the others. The result says, per visit, what happened."""
    require_writer(actor=actor, team=team)
    found = {
        v.pk: v
        for v in Visit.objects.filter(team=team, pk__in=[p[0] for p in picked]).select_related(
            "client", "team"
        )
    }
    results = []
    for visit_id, version in picked:
        visit = found.get(visit_id)
        if visit is None:
            results.append(AssignResult(visit_id, "A visit", False, "it is no longer on the rota."))
            continue
        label = visit_label(visit)
        try:
            visit_assign(visit=visit, version=version, member=member, actor=actor)
        except DomainError as error:
            results.append(AssignResult(visit_id, label, False, error.detail))
        else:
            results.append(AssignResult(visit_id, label, True))
    return results


def visit_unassign(*, visit: Visit, version: int, member: Membership, actor: User) -> None:
    require_writer(actor=actor, team=visit.team)
    with visit_changing(visit, version, actor) as visit:
        _require_planned(visit)
        _take_off(visit, member, actor)
