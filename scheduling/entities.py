"""The rota and visits in the entity registry (careteams.registry)."""

from collections.abc import Mapping
from typing import Any

from careteams import registry
from careteams.models import User
from scheduling import access as scheduling_access
from scheduling.models import (
    Absence,
    PlanRun,
    RotaNotice,
    RotaWeek,
    Shift,
    SwapOffer,
    Visit,
    VisitAssignment,
    VisitPattern,
    VisitStatus,
)
from scheduling.services import patterns, shifts, swaps, visits, weeks
from scheduling.visit_models import MissedVisit, VisitAttendance, VisitTaskOutcome

SHIFT_FIELDS = ("member", "start", "end", "kind", "break_minutes", "note")
ABSENCE_FIELDS = ("member", "kind", "start", "end", "note")
VISIT_FIELDS = (
    "planned_start",
    "planned_end",
    "window_start",
    "window_end",
    "required_skills",
    "carers_needed",
    "tasks",
    "required_role",
)
PATTERN_FIELDS = (
    "weekdays",
    "window_start",
    "window_end",
    "duration_minutes",
    "required_skills",
    "carers_needed",
    "tasks",
    "active",
    "valid_from",
    "valid_until",
    "interval_weeks",
    "usual_carers",
    "required_role",
)


def _values(obj: Shift | Absence, names: tuple[str, ...]) -> dict[str, Any]:
    """The record's own values of the fields its services take, by the services' names."""
    return {name: getattr(obj, name) for name in names}


def _shift_create(shift: Shift, actor: User) -> Shift:
    return shifts.shift_create(team=shift.team, **_values(shift, SHIFT_FIELDS), actor=actor)


def _shift_update(shift: Shift, version: int, actor: User) -> Shift:
    return shifts.shift_update(
        shift=shift, version=version, **_values(shift, SHIFT_FIELDS), actor=actor
    )


def _shift_delete(shift: Shift, version: int, actor: User) -> None:
    shifts.shift_delete(shift=shift, version=version, actor=actor)


def _absence_create(absence: Absence, actor: User) -> Absence:
    return shifts.absence_create(team=absence.team, **_values(absence, ABSENCE_FIELDS), actor=actor)


def _absence_update(absence: Absence, version: int, actor: User) -> Absence:
    return shifts.absence_update(
        absence=absence, version=version, **_values(absence, ABSENCE_FIELDS), actor=actor
    )


def _absence_delete(absence: Absence, version: int, actor: User) -> None:
    shifts.absence_delete(absence=absence, version=version, actor=actor)


def _visit_details(visit: Visit) -> visits.VisitDetails:
    return visits.VisitDetails(
        start=visit.planned_start,
        end=visit.planned_end,
        window_start=visit.window_start,
        window_end=visit.window_end,
        required_skills=list(visit.required_skills or []),
        carers_needed=visit.carers_needed,
        tasks=list(visit.tasks or []),
        required_role=visit.required_role or "",
    )


def _visit_create(visit: Visit, actor: User) -> Visit:
    return visits.visit_create(
        team=visit.team, client=visit.client, details=_visit_details(visit), actor=actor
    )


def _visit_update(visit: Visit, version: int, actor: User) -> Visit:
    return visits.visit_update(
        visit=visit, version=version, details=_visit_details(visit), actor=actor
    )


def _visit_cancel(visit: Visit, version: int, actor: User) -> None:
    """A visit is never deleted: it is cancelled, and its carers are told."""
    visits.visit_cancel(visit=visit, version=version, actor=actor)


def _assign(assignment: VisitAssignment, actor: User) -> VisitAssignment:
    visit = Visit.objects.get(pk=assignment.visit_id)
    return visits.visit_assign(
        visit=visit, version=visit.version, member=assignment.member, actor=actor
    )


def _unassign(assignment: VisitAssignment, version: int, actor: User) -> None:
    """An assignment is written under its visit's version, which the unassigning checks."""
    visit = Visit.objects.get(pk=assignment.visit_id)
    visits.visit_unassign(visit=visit, version=visit.version, member=assignment.member, actor=actor)


def _pattern_details(pattern: VisitPattern) -> patterns.PatternDetails:
    return patterns.PatternDetails(
        weekdays=list(pattern.weekdays),
        window_start=pattern.window_start,
        window_end=pattern.window_end,
        duration_minutes=pattern.duration_minutes,
        required_skills=list(pattern.required_skills or []),
        carers_needed=pattern.carers_needed,
        tasks=list(pattern.tasks or []),
        valid_from=pattern.valid_from,
        valid_until=pattern.valid_until,
        active=pattern.active,
        interval_weeks=pattern.interval_weeks,
        usual_carers=pattern.usual_carers,
        required_role=pattern.required_role or "",
    )


def _pattern_create(pattern: VisitPattern, actor: User) -> VisitPattern:
    return patterns.visit_pattern_create(
        team=pattern.team, client=pattern.client, details=_pattern_details(pattern), actor=actor
    )


def _pattern_update(pattern: VisitPattern, version: int, actor: User) -> VisitPattern:
    return patterns.visit_pattern_update(
        pattern=pattern, version=version, details=_pattern_details(pattern), actor=actor
    )


def _week_publish(week: RotaWeek, actor: User) -> RotaWeek:
    """A rota week is made by publishing it (every week is a draft until then)."""
    return weeks.rota_week_publish(team=week.team, monday=week.week_start, version=0, actor=actor)


def _swap_offer(offer: SwapOffer, actor: User) -> SwapOffer:
    return swaps.swap_offer_create(
        team=offer.team,
        offered_by=offer.offered_by,
        shift=offer.shift,
        visit=offer.visit,
        actor=actor,
    )


def _swap_withdraw(offer: SwapOffer, version: int, actor: User) -> None:
    swaps.swap_offer_withdraw(offer=offer, version=version, member=offer.offered_by, actor=actor)


def _cancelled(data: Mapping[str, Any]) -> bool:
    return data.get("status") == VisitStatus.CANCELLED


def _team(obj: Any) -> Any:
    return obj.team


for entity in (
    registry.Entity(
        name="shift",
        model=Shift,
        team_of=_team,
        coach=registry.ALL_FIELDS,
        create=_shift_create,
        update=_shift_update,
        delete=_shift_delete,
        inputs=("team", *SHIFT_FIELDS),
        changeable=SHIFT_FIELDS,
        mutations=("shift.create", "shift.update", "shift.delete"),
    ),
    registry.Entity(
        name="absence",
        model=Absence,
        team_of=_team,
        coach=registry.ALL_FIELDS,
        create=_absence_create,
        update=_absence_update,
        delete=_absence_delete,
        inputs=("team", *ABSENCE_FIELDS),
        changeable=ABSENCE_FIELDS,
    ),
    registry.Entity(
        name="visit",
        model=Visit,
        team_of=_team,
        client_of=lambda obj: obj.client_id,
        # Coaches see the shape of the work, never who the client is.
        coach=frozenset(scheduling_access.COACH_VISIT_FIELDS) | {"version"},
        family=registry.FamilyView(
            fields=(
                "id",
                "client_id",
                "planned_start",
                "planned_end",
                "window_start",
                "window_end",
                "status",
                "version",
            ),
            gone=_cancelled,
        ),
        create=_visit_create,
        update=_visit_update,
        delete=_visit_cancel,
        inputs=("team", "client", *VISIT_FIELDS),
        changeable=VISIT_FIELDS,
        ends_instead="Cancel the chosen visits",
        mutations=(
            "visit.check_in",
            "visit.withdraw",
            "visit.check_out",
            "visit.assign",
            "visit.unassign",
        ),
    ),
    registry.Entity(
        name="visit_assignment",
        model=VisitAssignment,
        team_of=lambda obj: obj.visit.team,
        client_of=lambda obj: obj.visit.client_id,
        coach=frozenset({"id", "visit_id", "member_id", "version"}),
        create=_assign,
        delete=_unassign,
        inputs=("visit", "member"),
    ),
    registry.Entity(
        name="visit_pattern",
        plan_input=False,
        model=VisitPattern,
        team_of=_team,
        client_of=lambda obj: obj.client_id,
        create=_pattern_create,
        update=_pattern_update,
        inputs=("team", "client", *PATTERN_FIELDS),
        changeable=PATTERN_FIELDS,
    ),
    registry.Entity(
        name="rota_week",
        plan_input=False,
        model=RotaWeek,
        team_of=_team,
        coach=registry.ALL_FIELDS,
        create=_week_publish,
        inputs=("team", "week_start"),
    ),
    registry.Entity(
        name="swap_offer",
        plan_input=False,
        model=SwapOffer,
        team_of=_team,
        create=_swap_offer,
        delete=_swap_withdraw,
        inputs=("team", "offered_by", "shift", "visit"),
        ends_instead="Withdraw the chosen offers",
    ),
    # Notices are written by the rota's services (notify_if_published) and marked seen by
    # their member: nobody creates or changes one by hand.
    registry.Entity(name="rota_notice", model=RotaNotice, team_of=_team, plan_input=False),
    # What happens at a visit (issue 13) is written by the carers' own services (check in,
    # withdraw, check out, a task's outcome, a missed visit's reason), never by hand elsewhere.
    # Family never hold these: they follow the visit's status (on the way, arrived, done), not
    # who checked in when or what was done; coaches see attendance times, never tasks.
    registry.Entity(
        name="visit_attendance",
        plan_input=False,
        model=VisitAttendance,
        team_of=lambda obj: obj.visit.team,
        client_of=lambda obj: obj.visit.client_id,
        coach=frozenset(
            {
                "id",
                "visit_id",
                "member_id",
                "role",
                "checked_in_at",
                "checked_out_at",
                "withdrawn_at",
                "version",
            }
        ),
    ),
    registry.Entity(
        name="visit_task_outcome",
        plan_input=False,
        model=VisitTaskOutcome,
        team_of=lambda obj: obj.visit.team,
        client_of=lambda obj: obj.visit.client_id,
        mutations=("visit.task_outcome",),
    ),
    registry.Entity(
        name="missed_visit",
        plan_input=False,
        model=MissedVisit,
        team_of=lambda obj: obj.visit.team,
        client_of=lambda obj: obj.visit.client_id,
        coach=frozenset({"id", "visit_id", "recorded_at", "version"}),
        mutations=("visit.missed",),
    ),
    # Written by the planning services only. The feed carries its state and progress (open
    # boards refresh from it); the proposals name clients and stay on the server.
    registry.Entity(
        name="plan_run",
        plan_input=False,
        model=PlanRun,
        team_of=_team,
        server_only=frozenset({"proposals", "unassignable"}),
    ),
):
    registry.register(entity)
