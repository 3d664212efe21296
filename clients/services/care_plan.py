"""Writes for the Omaha care plan: problems, interventions, outcome ratings, resolving."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from careteams import limits, timeutil
from careteams.errors import DomainError
from careteams.models import User
from careteams.versioning import change_record, versioned_write
from clients import omaha
from clients.models import CareProblem, Client, Intervention, OutcomeRating, ProblemStatus
from clients.omaha_signs import signs_for
from clients.services.common import require_length, require_writer

SCALES = ("knowledge", "behaviour", "status")
# The parts of a day an intervention may be limited to (scheduling/rules/tasks.py's PartOfDay).
PART_CHOICES = ("morning", "afternoon", "evening")
EVERY_DAYS_MAX = 28


def _today(client: Client) -> dt.date:
    return timeutil.local_today(client.team.zone)


def problem_add(
    *,
    client: Client,
    problem_code: str,
    scope: str,
    severity: str,
    signs_symptoms: list[str],
    identified_on: dt.date,
    actor: User,
) -> CareProblem:
    require_writer(actor=actor, team_id=client.team_id)
    if problem_code not in omaha.PROBLEMS:
        raise DomainError(
            _("%(code)s is not one of the 42 Omaha problems.") % {"code": repr(problem_code[:10])},
            field="problem_code",
        )
    if scope not in omaha.Scope.values:
        raise DomainError(_("Choose individual, family or community."), field="scope")
    if severity not in omaha.Severity.values:
        raise DomainError(_("Choose health promotion, potential or actual."), field="severity")
    known = signs_for(problem_code)
    if any(code not in known for code in signs_symptoms):
        raise DomainError(
            _("Choose signs and symptoms of %(problem)s from the list.")
            % {"problem": omaha.PROBLEMS[problem_code].name},
            field="signs_symptoms",
        )
    if severity == omaha.Severity.ACTUAL and not signs_symptoms:
        raise DomainError(
            _("An actual problem needs at least one sign or symptom."), field="signs_symptoms"
        )
    if severity != omaha.Severity.ACTUAL and signs_symptoms:
        raise DomainError(
            _("Signs and symptoms are recorded for actual problems only."), field="signs_symptoms"
        )
    if identified_on > _today(client):
        raise DomainError(_("The date identified cannot be in the future."), field="identified_on")
    with transaction.atomic():
        Client.objects.select_for_update().only("id").get(pk=client.pk)
        if CareProblem.objects.filter(
            client=client, problem_code=problem_code, status=ProblemStatus.ACTIVE
        ).exists():
            raise DomainError(
                _("%(problem)s is already an active problem on this plan.")
                % {"problem": omaha.PROBLEMS[problem_code].name},
                field="problem_code",
            )
        problem = CareProblem.objects.create(
            team_id=client.team_id,
            client=client,
            problem_code=problem_code,
            scope=scope,
            severity=severity,
            signs_symptoms=sorted(set(signs_symptoms)),
            identified_on=identified_on,
        )
        change_record(entity="care_problem", obj=problem, actor=actor)
    return problem


def problem_resolve(
    *, problem: CareProblem, version: int, resolved_on: dt.date, actor: User
) -> CareProblem:
    client = problem.client
    require_writer(actor=actor, team_id=client.team_id)
    if resolved_on > _today(client):
        raise DomainError(_("The date resolved cannot be in the future."), field="resolved_on")
    with versioned_write(
        CareProblem.objects.select_related("client__team"),
        pk=problem.pk,
        version=version,
        entity="care_problem",
        actor=actor,
    ) as current:
        if current.status == ProblemStatus.RESOLVED:
            raise DomainError(_("This problem is already resolved."))
        if resolved_on < current.identified_on:
            raise DomainError(
                _("A problem cannot be resolved before it was identified."), field="resolved_on"
            )
        current.status = ProblemStatus.RESOLVED
        current.resolved_on = resolved_on
    return current


def intervention_add(
    *,
    problem: CareProblem,
    category: str,
    target: str,
    care_description: str,
    frequency: str,
    actor: User,
) -> Intervention:
    require_writer(actor=actor, team_id=problem.client.team_id)
    if category not in omaha.Category.values:
        raise DomainError(_("Choose one of the four intervention categories."), field="category")
    if target not in omaha.TARGETS:
        raise DomainError(
            _("%(target)s is not an Omaha target.") % {"target": repr(target[:10])}, field="target"
        )
    if not care_description.strip():
        raise DomainError(_("Say what the team does, specifically."), field="care_description")
    require_length(care_description.strip(), limits.CARE_DESCRIPTION_MAX, field="care_description")
    require_length(frequency.strip(), limits.FREQUENCY_MAX, field="frequency")
    if problem.status != ProblemStatus.ACTIVE:
        raise DomainError(_("This problem is resolved: add interventions to active problems."))
    with transaction.atomic():
        intervention = Intervention.objects.create(
            team_id=problem.team_id,
            problem=problem,
            category=category,
            target=target,
            care_description=care_description.strip(),
            frequency=frequency.strip(),
        )
        change_record(entity="intervention", obj=intervention, actor=actor)
    return intervention


def rating_add(
    *,
    problem: CareProblem,
    knowledge: int,
    behaviour: int,
    status: int,
    rated_on: dt.date,
    actor: User,
) -> OutcomeRating:
    """One rating of Knowledge, Behaviour and Status, each 1 to 5, added to the series."""
    require_writer(actor=actor, team_id=problem.client.team_id)
    refused = {
        "knowledge": _("Rate knowledge from 1 to 5."),
        "behaviour": _("Rate behaviour from 1 to 5."),
        "status": _("Rate status from 1 to 5."),
    }
    for scale, value in zip(SCALES, (knowledge, behaviour, status), strict=True):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(refused[scale], field=scale)
    client = problem.client
    if rated_on > _today(client):
        raise DomainError(_("A rating cannot be dated in the future."), field="rated_on")
    if rated_on < problem.identified_on:
        raise DomainError(
            _("A rating cannot be dated before the problem was identified."), field="rated_on"
        )
    with transaction.atomic():
        rating = OutcomeRating.objects.create(
            team_id=problem.team_id,
            problem=problem,
            knowledge=knowledge,
            behaviour=behaviour,
            status=status,
            rated_on=rated_on,
            rated_by=actor,
        )
        change_record(entity="outcome_rating", obj=rating, actor=actor)
    return rating


def intervention_schedule_set(
    *,
    intervention: Intervention,
    version: int,
    parts: list[str],
    weekdays: list[int],
    every_days: int = 1,
    every_days_from: dt.date | None = None,
    actor: User,
) -> Intervention:
    """Which visits the intervention is a task of (scheduling/rules/tasks.py): parts of the
    day and weekdays (none: any), every N days from a date. All empty: every visit."""
    client = intervention.problem.client
    require_writer(actor=actor, team_id=client.team_id)
    if any(part not in PART_CHOICES for part in parts):
        raise DomainError(limits.not_a_choice(PART_CHOICES), field="parts")
    if any(not isinstance(day, int) or not 1 <= day <= 7 for day in weekdays):
        raise DomainError(_("Choose weekdays from Monday (1) to Sunday (7)."), field="weekdays")
    if not 1 <= every_days <= EVERY_DAYS_MAX:
        raise DomainError(
            _("Choose every 1 to %(most)d days.") % {"most": EVERY_DAYS_MAX}, field="every_days"
        )
    if every_days > 1 and every_days_from is None:
        raise DomainError(_("Say from which day to count the days."), field="every_days_from")
    with versioned_write(
        Intervention.objects.select_related("problem__client__team"),
        pk=intervention.pk,
        version=version,
        entity="intervention",
        actor=actor,
    ) as current:
        current.visit_parts = [p for p in PART_CHOICES if p in parts]
        current.visit_weekdays = sorted(set(weekdays))
        current.every_days = every_days
        current.every_days_from = every_days_from if every_days > 1 else None
    return current
