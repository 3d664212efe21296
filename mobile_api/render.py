"""Records as the API's plain data. Reads what selectors already loaded: no queries here."""

from typing import Any

from careteams.models import Membership, Team
from clients.models import CareProblem, Client, Note
from scheduling.models import Absence, Shift, Visit


def team_out(team: Team) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "timezone": team.timezone,
        "cursor": team.last_change_seq,
    }


def membership_out(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.id,
        "team": team_out(membership.team),
        "role": membership.role,
        "skills": list(membership.skills or []),
        "team_roles": list(membership.team_roles or []),
        "contracted_hours": float(membership.contracted_hours),
    }


def shift_out(shift: Shift) -> dict[str, Any]:
    return {
        "id": shift.id,
        "member_id": shift.member_id,
        "start": shift.start,
        "end": shift.end,
        "kind": shift.kind,
        "break_minutes": shift.break_minutes,
        "note": shift.note,
        "version": shift.version,
    }


def absence_out(absence: Absence) -> dict[str, Any]:
    return {
        "id": absence.id,
        "member_id": absence.member_id,
        "kind": absence.kind,
        "start": absence.start,
        "end": absence.end,
        "note": absence.note,
        "version": absence.version,
    }


def visit_out(visit: Visit) -> dict[str, Any]:
    """Needs the visit's client loaded and its assignments prefetched."""
    return {
        "id": visit.id,
        "client": {"id": visit.client_id, "name": visit.client.full_name},
        "planned_start": visit.planned_start,
        "planned_end": visit.planned_end,
        "window_start": visit.window_start,
        "window_end": visit.window_end,
        "required_skills": list(visit.required_skills or []),
        "required_role": visit.required_role,
        "carers_needed": visit.carers_needed,
        "tasks": [str(task) for task in visit.tasks or []],
        "status": visit.status,
        "checked_in_at": visit.checked_in_at,
        "checked_out_at": visit.checked_out_at,
        "carer_ids": [a.member_id for a in visit.assignments.all()],
        "version": visit.version,
    }


CLIENT_SUMMARY = (
    "id",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "postcode",
    "status",
    "primary_nurse_id",
    "second_nurse_id",
    "risk_flags",
    "version",
)
CLIENT_FULL = (
    *CLIENT_SUMMARY,
    "team_id",
    "address_line_1",
    "address_line_2",
    "town",
    "phone",
    "access_notes",
    "gp_practice_name",
    "gp_practice_phone",
    "communication_needs",
    "language",
    "language_other",
    "language_needed",
    "latitude",
    "longitude",
)


def client_out(client: Client, *, full: bool = True) -> dict[str, Any]:
    return {name: getattr(client, name) for name in (CLIENT_FULL if full else CLIENT_SUMMARY)}


def care_problem_out(problem: CareProblem) -> dict[str, Any]:
    """Needs interventions and ratings prefetched (clients.selectors.records.care_plan_problems)."""
    return {
        "id": problem.id,
        "problem_code": problem.problem_code,
        "name": problem.problem.name,
        "scope": problem.scope,
        "severity": problem.severity,
        "signs_symptoms": list(problem.signs_symptoms or []),
        "status": problem.status,
        "identified_on": problem.identified_on,
        "resolved_on": problem.resolved_on,
        "interventions": [
            {
                "id": i.id,
                "category": i.category,
                "target": i.target,
                "care_description": i.care_description,
                "frequency": i.frequency,
                "active": i.active,
                "visit_parts": list(i.visit_parts or []),
                "visit_weekdays": list(i.visit_weekdays or []),
                "every_days": i.every_days,
                "every_days_from": i.every_days_from,
                "version": i.version,
            }
            for i in problem.interventions.all()
        ],
        "ratings": [
            {
                "id": r.id,
                "knowledge": r.knowledge,
                "behaviour": r.behaviour,
                "status": r.status,
                "rated_on": r.rated_on,
                "rated_by_id": r.rated_by_id,
                "version": r.version,
            }
            for r in sorted(problem.ratings.all(), key=lambda r: (r.rated_on, r.id.hex))
        ],
        "version": problem.version,
    }


def note_out(note: Note) -> dict[str, Any]:
    """Needs the author loaded, problems prefetched and `is_amended` annotated."""
    return {
        "id": note.id,
        "client_id": note.client_id,
        "author_id": note.author_id,
        "author_name": note.author.get_full_name() or note.author.email,
        "visit_id": note.visit_id,
        "body": note.body,
        "shareable": note.shareable,
        "amends_id": note.amends_id,
        "amended": bool(getattr(note, "is_amended", False)),
        "problem_ids": [p.id for p in note.problems.all()],
        "recorded_at": note.recorded_at,
        "received_at": note.received_at,
        "version": note.version,
    }
