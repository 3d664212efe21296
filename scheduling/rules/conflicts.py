"""Errors: a visit that cannot go ahead as planned."""

# The planner's order of roles, so the board flags exactly what the planner never proposes.
from scheduling.rules.plan import (
    Level,
    Plan,
    Problem,
    _by_member,
    _covered,
    _name,
    _visit_label,
    _visits_by_carer,
    overlaps,
)
from scheduling.rules.roles import ROLE_RANK, ROLE_WORDS
from scheduling.rules.words import gettext_noop, label, said

# Errors ------------------------------------------------------------------------------------


def overlapping_visits(plan: Plan) -> list[Problem]:
    """A carer cannot be in two homes at once."""
    problems = []
    for carer, visits in _visits_by_carer(plan.visits).items():
        for i, first in enumerate(visits):
            for second in visits[i + 1 :]:
                if second.start >= first.end:
                    break
                problems.append(
                    Problem(
                        Level.ERROR,
                        "overlapping_visits",
                        said(
                            gettext_noop(
                                "%(who)s is on two visits at once: %(first)s and %(second)s."
                            ),
                            who=_name(plan, carer),
                            first=_visit_label(plan, first),
                            second=_visit_label(plan, second),
                        ),
                        (carer,),
                        (first.id, second.id),
                        second.start,
                    )
                )
    return problems


def unavailable_carers(plan: Plan) -> list[Problem]:
    """A visit's carer must be at work then: not absent, and on a shift covering the visit."""
    shifts = _by_member(plan.shifts)
    absences = _by_member(plan.absences)
    problems = []
    for visit in plan.visits:
        for carer in visit.carer_ids:
            absent = next(
                (
                    a
                    for a in absences.get(carer, [])
                    if overlaps(a.start, a.end, visit.start, visit.end)
                ),
                None,
            )
            if absent is not None:
                # The kind's label as the catalogue knows it (a model choice), said in the
                # reader's language where the problem is shown.
                kind = label(plan.absence_labels.get(absent.kind, absent.kind))
                message = said(
                    gettext_noop("%(who)s is assigned to %(visit)s but is away (%(kind)s)."),
                    who=_name(plan, carer),
                    visit=_visit_label(plan, visit),
                    kind=kind,
                )
                problems.append(
                    Problem(
                        Level.ERROR,
                        "assigned_while_absent",
                        message,
                        (carer,),
                        (visit.id,),
                        visit.start,
                    )
                )
                continue
            intervals = [(s.start, s.end) for s in shifts.get(carer, [])]
            if not _covered(intervals, visit.start, visit.end):
                message = said(
                    gettext_noop("%(who)s is assigned to %(visit)s with no shift covering it."),
                    who=_name(plan, carer),
                    visit=_visit_label(plan, visit),
                )
                problems.append(
                    Problem(
                        Level.ERROR,
                        "assigned_without_shift",
                        message,
                        (carer,),
                        (visit.id,),
                        visit.start,
                    )
                )
    return problems


def missing_skills(plan: Plan) -> list[Problem]:
    problems = []
    for visit in plan.visits:
        for carer in visit.carer_ids:
            member = plan.members.get(carer)
            lacking = sorted(visit.required_skills - (member.skills if member else frozenset()))
            if lacking:
                named = ", ".join(plan.skill_labels.get(code, code).lower() for code in lacking)
                message = said(
                    gettext_noop("%(who)s does not have a skill %(visit)s needs: %(skills)s."),
                    who=_name(plan, carer),
                    visit=_visit_label(plan, visit),
                    skills=named,
                )
                problems.append(
                    Problem(
                        Level.ERROR, "missing_skill", message, (carer,), (visit.id,), visit.start
                    )
                )
    return problems


def wrong_roles(plan: Plan) -> list[Problem]:
    """A visit needing a role (a registered nurse for an injection) made by someone whose role
    is below it: a nurse may make a care worker's visit, never the reverse."""
    problems = []
    for visit in plan.visits:
        if not visit.required_role:
            continue
        needed = ROLE_RANK.get(visit.required_role, len(ROLE_RANK))
        for carer in visit.carer_ids:
            member = plan.members.get(carer)
            if member is not None and ROLE_RANK.get(member.role, -1) >= needed:
                continue
            role = ROLE_WORDS.get(visit.required_role, visit.required_role)
            message = said(
                gettext_noop("%(visit)s needs a %(role)s: %(who)s is not one."),
                visit=_visit_label(plan, visit),
                role=role,
                who=_name(plan, carer),
            )
            problems.append(
                Problem(Level.ERROR, "wrong_role", message, (carer,), (visit.id,), visit.start)
            )
    return problems


def short_double_ups(plan: Plan) -> list[Problem]:
    """A double-up visit (a hoist, two-person care) must not go ahead with one carer."""
    return [
        Problem(
            Level.ERROR,
            "double_up_short",
            said(
                gettext_noop("%(visit)s needs two carers and has only %(who)s."),
                visit=_visit_label(plan, visit),
                who=_name(plan, visit.carer_ids[0]),
            ),
            visit.carer_ids,
            (visit.id,),
            visit.start,
        )
        for visit in plan.visits
        if visit.carers_needed >= 2 and len(visit.carer_ids) == 1
    ]
