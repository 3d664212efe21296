"""Reads the API needs beyond the pages': cursor-paged notes, the person's own overview, and the
week board flattened for a device. Everything starts from careteams.access or app selectors."""

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from careteams import dates
from careteams.errors import DomainError
from careteams.models import CoachLink, Membership, Team, User
from clients import access as clients_access
from clients.models import Client, Note
from mobile_api import render
from scheduling.models import Visit
from scheduling.rules.lateness import due_at, visit_timing
from scheduling.selectors import MyDay, WeekBoard

MAX_PAGE = 100


def _encode(note: Note) -> str:
    raw = f"{note.recorded_at.isoformat()}|{note.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, _, ident = raw.partition("|")
        moment = dt.datetime.fromisoformat(when)
        if moment.tzinfo is None:
            raise ValueError("naive")
        if not dates.in_range(moment):  # moved to UTC, the years 1 and 9999 overflow
            raise ValueError("out of range")
        return moment, uuid.UUID(ident)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise DomainError(
            gettext("This cursor is not one the server gave out."), field="cursor"
        ) from exc


def notes_page(
    *, user: User, client: Client, cursor: str | None, limit: int
) -> tuple[list[Note], str | None]:
    """Newest first, `limit` at a time (two queries a page: notes, then their problems)."""
    limit = max(1, min(limit, MAX_PAGE))
    notes = (
        clients_access.notes_visible_to(user)
        .filter(client=client)
        .select_related("author")
        .prefetch_related("problems")
        .annotate(is_amended=Exists(Note.objects.filter(amends=OuterRef("pk"))))
        .order_by("-recorded_at", "-id")
    )
    if cursor:
        moment, ident = _decode(cursor)
        notes = notes.filter(Q(recorded_at__lt=moment) | Q(recorded_at=moment, id__lt=ident))
    page: list[Note] = list(notes[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, (_encode(page[-1]) if more and page else None)


def me(*, user: User) -> dict[str, Any]:
    memberships = (
        Membership.objects.active().filter(user=user).select_related("team").order_by("team__name")
    )
    coached = (
        CoachLink.objects.filter(coach=user, ended_at__isnull=True)
        .select_related("team")
        .order_by("team__name")
    )
    family = (
        clients_access.clients_in_family_view(user).select_related("team").order_by("given_name")
    )
    return {
        "user": user,
        "memberships": [render.membership_out(m) for m in memberships],
        "coached_teams": [render.team_out(link.team) for link in coached],
        "family_clients": [family_client_out(c) for c in family],
    }


def family_client_out(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.preferred_name or client.given_name,
        "team_id": client.team_id,
        "team_name": client.team.name,
    }


def week_out(board: WeekBoard, *, day_only: bool = False) -> dict[str, Any]:
    """The week as a device reads it; with `day_only`, the shifts, absences, visits and
    problems of the board's day only (a big team's week is 400 visits)."""
    # With a day, that day's cells only (a shift is in the cell of the day it starts).
    at = board.days.index(board.day)
    cells = [
        cell for row in board.rows for cell in (row.cells[at : at + 1] if day_only else row.cells)
    ]
    shifts = [s for cell in cells for s in cell.shifts]
    absences = {a.id: a for cell in cells for a in cell.absences}
    shown = [board.shown] if day_only else board.visit_days
    visits = [vr.visit for day in shown for vr in day.visits]
    problems = board.day_problems if day_only else board.problems
    return {
        "team": render.team_out(board.team),
        "monday": board.monday,
        "published": board.published,
        "day": board.day.date if day_only else None,
        "days": [
            {
                "date": vd.day.date,
                "holiday": vd.day.holiday,
                "visit_count": vd.count,
                "needing_carer": vd.unassigned,
            }
            for vd in board.visit_days
        ],
        "members": [
            {
                "id": row.member.id,
                "user_id": row.member.user_id,
                "name": row.name,
                "role": row.member.role,
                "skills": list(row.member.skills or []),
                "planned_hours": round(row.planned_hours, 2),
                "expected_hours": round(row.expected_hours, 2),
                "problem_count": row.problem_count,
            }
            for row in board.rows
        ],
        "shifts": [render.shift_out(s) for s in sorted(shifts, key=lambda s: (s.start, s.id))],
        "absences": [render.absence_out(a) for a in absences.values()],
        "visits": [render.visit_out(v) for v in visits],
        "problems": [
            {
                "level": str(p.level),
                "code": p.code,
                "message": p.message,
                "member_ids": list(p.member_ids),
                "visit_ids": list(p.visit_ids),
                "at": p.at,
            }
            for p in problems
        ],
        "cursor": board.cursor,
    }


def _timed_visit_out(visit: Visit, team: Team, now: dt.datetime) -> dict[str, Any]:
    """The visit as everywhere, plus its timing as the visit cards compute it (no query)."""
    grace = team.late_grace_minutes
    return {
        **render.visit_out(visit),
        "timing": str(
            visit_timing(
                planned_start=visit.planned_start,
                window_end=visit.window_end,
                grace_minutes=grace,
                zone=team.zone,
                now=now,
                checked_in_at=visit.checked_in_at,
            )
        ),
        "due_at": due_at(
            planned_start=visit.planned_start, window_end=visit.window_end, grace_minutes=grace
        ),
    }


def my_day_out(day: MyDay) -> dict[str, Any]:
    now = timezone.now()
    return {
        "team": render.team_out(day.team),
        "member_id": day.member.id,
        "day": day.day,
        "shifts": [render.shift_out(s) for s in day.shifts],
        "visits": [_timed_visit_out(v, day.team, now) for v in day.visits],
        "cursor": day.cursor,
    }


def membership_ended(*, user: User, team_id: uuid.UUID) -> Membership | None:
    """The user's last membership of the team, when it has ended and they are no member now:
    their tablet may still send the notes they wrote before (mobile_api/late.py)."""
    if Membership.objects.active().filter(user=user, team_id=team_id).exists():
        return None
    return (
        Membership.objects.filter(user=user, team_id=team_id, ended_at__isnull=False)
        .select_related("team", "user")
        .order_by("-ended_at")
        .first()
    )
