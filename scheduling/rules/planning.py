"""Planning warnings: unassigned visits, hours against contract, continuity of care."""

import datetime as dt
import uuid
from collections import defaultdict

from scheduling.rules.plan import (
    CONTRACT_SLACK_MIN_HOURS,
    CONTRACT_SLACK_SHARE,
    LANGUAGE_NAMES,
    LANGUAGE_SKILLS,
    WORKING_WEEKDAYS,
    Level,
    Member,
    Plan,
    Problem,
    _fmt_hours,
    _name,
    _visit_label,
    hours,
    overlaps,
)

# Planning ----------------------------------------------------------------------------------
from scheduling.rules.words import gettext_noop, said
from scheduling.rules.working_time import planned_hours


def unassigned_visits(plan: Plan) -> list[Problem]:
    return [
        Problem(
            Level.PLANNING,
            "unassigned",
            said(gettext_noop("%(visit)s has no carer."), visit=_visit_label(plan, visit)),
            (),
            (visit.id,),
            visit.start,
        )
        for visit in plan.visits
        if not visit.carer_ids
    ]


def absence_credit(plan: Plan, member: Member) -> float:
    """Contracted hours an absence accounts for: up to a fifth of the week per weekday away."""
    per_day = member.contracted_hours / WORKING_WEEKDAYS
    mine = [a for a in plan.absences if a.member_id == member.id]
    credit = 0.0
    day = plan.week_start.astimezone(plan.zone).date()
    for _ in range(7):
        start = dt.datetime.combine(day, dt.time.min, tzinfo=plan.zone)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=plan.zone)
        if day.isoweekday() <= WORKING_WEEKDAYS:
            away = sum(
                hours(max(a.start, start), min(a.end, end))
                for a in mine
                if overlaps(a.start, a.end, start, end)
            )
            credit += min(per_day, away)
        day += dt.timedelta(days=1)
    return credit


def expected_hours(plan: Plan, member: Member) -> float:
    return max(0.0, member.contracted_hours - absence_credit(plan, member))


def off_contract(plan: Plan) -> list[Problem]:
    """Members planned well under or over their contract (leave and training count as worked)."""
    totals = planned_hours(plan)
    problems = []
    for member in plan.members.values():
        if member.contracted_hours <= 0:
            continue  # bank and zero-hours staff have no contract to be under or over
        expected = expected_hours(plan, member)
        planned = totals.get(member.id, 0.0)
        slack = max(CONTRACT_SLACK_MIN_HOURS, CONTRACT_SLACK_SHARE * member.contracted_hours)
        if abs(planned - expected) > slack:
            direction = "under" if planned < expected else "over"
            words = (
                gettext_noop(
                    "%(name)s is planned for %(planned)s hours, well under the %(expected)s "
                    "expected this week."
                )
                if direction == "under"
                else gettext_noop(
                    "%(name)s is planned for %(planned)s hours, well over the %(expected)s "
                    "expected this week."
                )
            )
            problems.append(
                Problem(
                    Level.PLANNING,
                    f"contract_{direction}",
                    said(
                        words,
                        name=member.name,
                        planned=_fmt_hours(planned),
                        expected=_fmt_hours(expected),
                    ),
                    (member.id,),
                )
            )
    return problems


def carers_per_client(plan: Plan) -> dict[uuid.UUID, set[uuid.UUID]]:
    seen: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for visit in plan.visits:
        seen[visit.client_id].update(visit.carer_ids)
    return dict(seen)


def poor_continuity(plan: Plan) -> list[Problem]:
    """Continuity of care: a client should meet few different carers in a week."""
    names = {visit.client_id: visit.client_name for visit in plan.visits}
    visits_of: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for visit in plan.visits:
        visits_of[visit.client_id].append(visit.id)
    problems = []
    for client_id, carers in carers_per_client(plan).items():
        if len(carers) > plan.continuity_limit:
            who = ", ".join(sorted(_name(plan, c) for c in carers))
            problems.append(
                Problem(
                    Level.PLANNING,
                    "continuity",
                    said(
                        gettext_noop(
                            "%(client)s is seen by %(count)s different carers this week "
                            "(the team's limit is %(limit)s): %(who)s."
                        ),
                        client=names[client_id],
                        count=len(carers),
                        limit=plan.continuity_limit,
                        who=who,
                    ),
                    tuple(sorted(carers)),
                    tuple(visits_of[client_id]),
                )
            )
    return problems


def language_unmet(plan: Plan) -> list[Problem]:
    """A client who prefers (or needs) a language the planner knows, with a carer who does not
    speak it: a warning, never an error (the visit still has to happen)."""
    problems = []
    for visit in plan.visits:
        skill = LANGUAGE_SKILLS.get(visit.language)
        if skill is None:
            continue
        others = [
            c for c in visit.carer_ids if c in plan.members and skill not in plan.members[c].skills
        ]
        if not others:
            continue
        who = ", ".join(sorted(_name(plan, c) for c in others))
        language = LANGUAGE_NAMES[visit.language]
        words = (
            gettext_noop(
                "%(visit)s needs care in %(language)s, and %(who)s does not speak it: "
                "find a %(language)s speaker if you can."
            )
            if visit.language_needed
            else gettext_noop("%(visit)s prefers %(language)s, and %(who)s does not speak it.")
        )
        message = said(words, visit=_visit_label(plan, visit), language=language, who=who)
        problems.append(
            Problem(Level.PLANNING, "language", message, tuple(others), (visit.id,), visit.start)
        )
    return problems
