"""Visit cards as the API's plain data. Reads what the selector already loaded: no queries."""

from typing import Any

from careteams.models import Membership
from clients.models import Note
from scheduling.selectors.visit_card import MyDayCards, TaskState, VisitCard
from scheduling.visit_models import VisitTaskOutcome


def _name(member: Membership) -> str:
    return member.user.get_full_name() or member.user.email


def _outcome(outcome: VisitTaskOutcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {
        "id": outcome.id,
        "outcome": outcome.outcome,
        "reason": outcome.reason,
        "note": outcome.note,
        "by_id": outcome.recorded_by_id,
        "by_name": outcome.recorded_by.get_full_name() or outcome.recorded_by.email,
        "recorded_at": outcome.recorded_at,
        "received_at": outcome.received_at,
    }


def _task(state: TaskState) -> dict[str, Any]:
    return {
        "key": state.key,
        "label": state.label,
        "intervention_id": state.task.intervention_id,
        "outcome": _outcome(state.outcome),
    }


def _note(note: Note | None) -> dict[str, Any] | None:
    if note is None:
        return None
    return {
        "id": note.id,
        "body": note.body,
        "author_name": note.author.get_full_name() or note.author.email,
        "visit_id": note.visit_id,
        "recorded_at": note.recorded_at,
    }


def card_out(card: VisitCard) -> dict[str, Any]:
    visit, client = card.visit, card.client
    return {
        "id": visit.id,
        "planned_start": visit.planned_start,
        "planned_end": visit.planned_end,
        "window_start": visit.window_start,
        "window_end": visit.window_end,
        "status": visit.status,
        "carers_needed": visit.carers_needed,
        "timing": str(card.timing),
        "due_at": card.due_at,
        "client": {
            "id": client.id,
            "name": client.full_name,
            "preferred_name": client.preferred_name,
            "date_of_birth": client.date_of_birth,
            "address": card.address,
            "postcode": client.postcode,
            "map_link": card.map_link,
            "phone": client.phone,
            "access_notes": client.access_notes,
            "key_safe_code": card.key_safe_code,
            "risk_flags": list(client.risk_flags or []),
            "gp_practice_name": client.gp_practice_name,
            "gp_practice_phone": client.gp_practice_phone,
            "communication_needs": client.communication_needs,
            "language": client.language,
            "language_label": client.language_label,
            "language_needed": client.language_needed,
            "emergency_contacts": [
                {
                    "id": c.id,
                    "name": c.name,
                    "relationship": c.relationship,
                    "phone": c.phone,
                    "may_be_told": c.may_be_told,
                    "order": c.order,
                    "version": c.version,
                }
                for c in card.emergency_contacts
            ],
        },
        "carers": [{"member_id": a.member_id, "name": _name(a.member)} for a in card.carers],
        "attendances": [
            {
                "id": a.id,
                "member_id": a.member_id,
                "name": _name(a.member),
                "role": a.role,
                "checked_in_at": a.checked_in_at,
                "checked_out_at": a.checked_out_at,
                "confirmed_reason": a.confirmed_reason,
                "withdrawn_at": a.withdrawn_at,
                "withdrawn_reason": a.withdrawn_reason,
                "version": a.version,
            }
            for a in card.attendances
        ],
        "tasks": [_task(t) for t in card.tasks],
        "tasks_open": card.tasks_open,
        "has_visit_note": card.has_visit_note,
        "last_note": _note(card.last_note),
        "missed": None
        if card.missed is None
        else {
            "id": card.missed.id,
            "reason": card.missed.reason,
            "note": card.missed.note,
            "recorded_at": card.missed.recorded_at,
        },
        "version": visit.version,
    }


def my_day_out(day: MyDayCards) -> dict[str, Any]:
    return {
        "team_id": day.team.id,
        "member_id": day.member.id,
        "day": day.day,
        "team_contact": {
            "phone": day.team.phone,
            "phone_hours": day.team.phone_hours,
            "late_grace_minutes": day.team.late_grace_minutes,
        },
        "visits": [card_out(c) for c in day.cards],
        "cursor": day.cursor,
    }
