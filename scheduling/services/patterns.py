"""Visit patterns, and turning them into a week's visits."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from careteams import changes, dates, limits, timeutil
from careteams.errors import DomainError
from careteams.models import Membership, Team, User
from careteams.skills import unknown_skills
from careteams.versioning import versioned_save, versioned_write
from clients.models import Client, ClientStatus, Note
from scheduling.models import Visit, VisitPattern, VisitStatus
from scheduling.services.common import require_length, require_role, require_writer
from scheduling.services.usual_carers import assign_usual_carers


@dataclass(frozen=True)
class PatternDetails:
    weekdays: Sequence[int]
    window_start: dt.time
    window_end: dt.time
    duration_minutes: int
    required_skills: Sequence[str]
    carers_needed: int
    tasks: Sequence[str]
    valid_from: dt.date
    valid_until: dt.date | None
    active: bool = True
    interval_weeks: int = 1
    usual_carers: Sequence[uuid.UUID | str] = ()  # member ids, in order of preference
    required_role: str = ""  # "" anyone, or the least careteams.models.Role its visits need


def _validate(details: PatternDetails) -> None:
    if not details.weekdays or any(d not in range(1, 8) for d in details.weekdays):
        raise DomainError(_("Choose at least one day of the week."), field="weekdays")
    if details.window_end < details.window_start:
        raise DomainError(
            _("The latest start must not be before the earliest."), field="window_end"
        )
    if not 5 <= details.duration_minutes <= 720:
        raise DomainError(_("A visit lasts from 5 minutes to 12 hours."), field="duration_minutes")
    if details.carers_needed not in (1, 2):
        raise DomainError(_("A visit needs one or two carers."), field="carers_needed")
    if bad := unknown_skills(list(details.required_skills)):
        raise DomainError(
            _("Unknown skills: %(skills)s.") % {"skills": ", ".join(bad)}, field="required_skills"
        )
    require_role(details.required_role)
    dates.require_in_range(details.valid_from, field="valid_from")
    dates.require_in_range(details.valid_until, field="valid_until")
    if details.valid_until is not None and details.valid_until < details.valid_from:
        raise DomainError(_("The last day must not be before the first."), field="valid_until")
    for task in details.tasks:
        require_length(task, limits.TASK_MAX, field="tasks")
    if not 1 <= details.interval_weeks <= limits.PATTERN_INTERVAL_WEEKS_MAX:
        raise DomainError(
            _("A pattern repeats every 1 to %(n)s weeks.")
            % {"n": limits.PATTERN_INTERVAL_WEEKS_MAX},
            field="interval_weeks",
        )


def _usual_carers(team: Team, ids: object) -> list[str]:
    """The usual carers as stored: current members of the team, each once, in order."""
    refused = DomainError(_("Choose usual carers from the team's members."), field="usual_carers")
    if not isinstance(ids, list | tuple):
        raise refused
    try:
        wanted = list(dict.fromkeys(uuid.UUID(str(member_id)) for member_id in ids))
    except ValueError as exc:
        raise refused from exc
    found = set(
        Membership.objects.active().filter(team=team, pk__in=wanted).values_list("pk", flat=True)
    )
    if len(found) != len(wanted):
        raise refused
    return [str(member_id) for member_id in wanted]


def _apply(pattern: VisitPattern, details: PatternDetails) -> None:
    pattern.weekdays = sorted(set(details.weekdays))
    pattern.window_start, pattern.window_end = details.window_start, details.window_end
    pattern.duration_minutes = details.duration_minutes
    pattern.required_skills = list(details.required_skills)
    pattern.required_role = details.required_role
    pattern.carers_needed = details.carers_needed
    pattern.tasks = list(details.tasks)
    pattern.valid_from, pattern.valid_until = details.valid_from, details.valid_until
    pattern.active = details.active
    pattern.interval_weeks = details.interval_weeks


def visit_pattern_create(
    *, team: Team, client: Client, details: PatternDetails, actor: User
) -> VisitPattern:
    require_writer(actor=actor, team=team)
    if client.team_id != team.id:
        raise DomainError(_("Choose a client of this team."), field="client")
    _validate(details)
    pattern = VisitPattern(team=team, client=client)
    _apply(pattern, details)
    pattern.usual_carers = _usual_carers(team, details.usual_carers)
    with transaction.atomic():
        pattern.save()
        changes.record(
            team=team, entity="visit_pattern", obj=pattern, actor=actor, client_id=client.id
        )
    return pattern


def visit_pattern_update(
    *, pattern: VisitPattern, version: int, details: PatternDetails, actor: User
) -> VisitPattern:
    require_writer(actor=actor, team=pattern.team)
    _validate(details)
    with versioned_write(
        VisitPattern.objects.select_related("team"),
        pk=pattern.pk,
        version=version,
        entity="visit_pattern",
        actor=actor,
    ) as pattern:
        _apply(pattern, details)
        pattern.usual_carers = _usual_carers(pattern.team, details.usual_carers)
    return pattern


# Generating a week -------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    created: int
    updated: int
    removed: int
    kept: int  # changed by hand (or already under way) and left as they are
    assigned: int = 0  # places on new visits given to the pattern's usual carers
    warnings: tuple[str, ...] = ()  # new visits a usual carer could not take, and why


@dataclass(frozen=True)
class _Wanted:
    pattern: VisitPattern
    start: dt.datetime
    end: dt.datetime
    window_start: dt.datetime
    window_end: dt.datetime


def _wanted(team: Team, pattern: VisitPattern, day: dt.date) -> _Wanted:
    zone = team.zone
    start = dt.datetime.combine(day, pattern.window_start, tzinfo=zone)
    # Adding in UTC keeps a 30-minute visit 30 minutes long over a clock change.
    end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=pattern.duration_minutes)).astimezone(
        zone
    )
    latest = dt.datetime.combine(day, pattern.window_end, tzinfo=zone)
    return _Wanted(pattern, start, end, start, latest)


def _differs(visit: Visit, wanted: _Wanted) -> bool:
    pattern = wanted.pattern
    return (
        visit.planned_start != wanted.start
        or visit.planned_end != wanted.end
        or visit.window_start != wanted.window_start
        or visit.window_end != wanted.window_end
        or list(visit.required_skills) != list(pattern.required_skills)
        or visit.required_role != pattern.required_role
        or visit.carers_needed != pattern.carers_needed
        or list(visit.tasks) != list(pattern.tasks)
    )


def _wanted_week(team: Team, monday: dt.date) -> dict[tuple[object, dt.date], _Wanted]:
    """The visits the active patterns of active clients ask for in the week, by pattern and
    day."""
    sunday = monday + dt.timedelta(days=6)
    patterns = (
        VisitPattern.objects.filter(
            team=team,
            active=True,
            client__status=ClientStatus.ACTIVE,
            valid_from__lte=sunday,
        )
        .exclude(valid_until__lt=monday)
        .select_related("client")
    )
    wanted: dict[tuple[object, dt.date], _Wanted] = {}
    for pattern in patterns:
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            in_range = pattern.valid_from <= day and (
                pattern.valid_until is None or day <= pattern.valid_until
            )
            if in_range and pattern.in_week(monday) and day.isoweekday() in pattern.weekdays:
                wanted[(pattern.pk, day)] = _wanted(team, pattern, day)
    return wanted


def _generated_week(
    team: Team, week_start: dt.datetime, week_end: dt.datetime
) -> dict[tuple[object, dt.date], list[Visit]]:
    """The week's visits made from patterns, by pattern and day."""
    existing: dict[tuple[object, dt.date], list[Visit]] = defaultdict(list)
    generated = (
        Visit.objects.filter(
            team=team,
            pattern__isnull=False,
            planned_start__gte=week_start,
            planned_start__lt=week_end,
        )
        .select_related("pattern")
        .prefetch_related("assignments")
    )
    for visit in generated:
        day = visit.planned_start.astimezone(team.zone).date()
        existing[(visit.pattern_id, day)].append(visit)
    return existing


def week_generate(*, team: Team, monday: dt.date, actor: User) -> Generated:
    """Make the week's visits from the active patterns of active clients.

    Generating again adds nothing twice (one visit per pattern and day), brings untouched
    visits up to date with a changed pattern, removes untouched, unassigned visits a pattern no
    longer asks for, and keeps every visit someone changed by hand.
    """
    dates.require_in_range(monday, field="week")
    week_start, week_end = timeutil.week_bounds(team.zone, monday)
    created = updated = removed = kept = 0
    require_writer(actor=actor, team=team)
    with transaction.atomic():
        # One generator at a time per team: the second waits and then finds the visits made.
        Team.objects.select_for_update().filter(pk=team.pk).first()
        wanted = _wanted_week(team, monday)
        made: list[Visit] = []
        existing = _generated_week(team, week_start, week_end)

        for key, want in wanted.items():
            visits = existing.get(key, [])
            if not visits:
                visit = Visit.objects.create(
                    team=team,
                    client_id=want.pattern.client_id,
                    pattern=want.pattern,
                    planned_start=want.start,
                    planned_end=want.end,
                    window_start=want.window_start,
                    window_end=want.window_end,
                    required_skills=list(want.pattern.required_skills),
                    required_role=want.pattern.required_role,
                    carers_needed=want.pattern.carers_needed,
                    tasks=list(want.pattern.tasks),
                )
                changes.record(
                    team=team, entity="visit", obj=visit, actor=actor, client_id=visit.client_id
                )
                created += 1
                made.append(visit)
                continue
            for visit in visits:
                if visit.edited_by_hand or visit.status != VisitStatus.PLANNED:
                    kept += 1
                elif _differs(visit, want):
                    visit.planned_start, visit.planned_end = want.start, want.end
                    visit.window_start, visit.window_end = want.window_start, want.window_end
                    visit.required_skills = list(want.pattern.required_skills)
                    visit.required_role = want.pattern.required_role
                    visit.carers_needed = want.pattern.carers_needed
                    visit.tasks = list(want.pattern.tasks)
                    versioned_save(visit, entity="visit", actor=actor)
                    updated += 1

        for key, visits in existing.items():
            if key in wanted:
                continue
            for visit in visits:
                untouched = not visit.edited_by_hand and visit.status == VisitStatus.PLANNED
                # A visit with carers or notes is someone's work: keep it for the team to decide.
                noted = Note.objects.filter(visit_id=visit.id).exists()
                if untouched and not visit.assignments.all() and not noted:
                    changes.record(
                        team=team,
                        entity="visit",
                        obj=visit,
                        op="delete",
                        actor=actor,
                        client_id=visit.client_id,
                    )
                    visit.delete()
                    removed += 1
                else:
                    kept += 1
        assigned, warnings = assign_usual_carers(team, made, week_start, week_end, actor)
    return Generated(
        created=created,
        updated=updated,
        removed=removed,
        kept=kept,
        assigned=assigned,
        warnings=tuple(warnings),
    )
