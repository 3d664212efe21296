"""What every rota write shares: checks on who is involved, and telling people about changes to
a week that has already been published."""

import datetime as dt
from collections.abc import Iterable
from contextlib import AbstractContextManager

from django.db import IntegrityError

from careteams import access, changes, dates, limits, timeutil
from careteams.errors import DomainError
from careteams.models import Membership, Role, Team, User
from careteams.versioning import versioned_write
from scheduling import rules
from scheduling.models import RotaNotice, RotaStatus, RotaWeek, Visit
from scheduling.rules.words import Said, When, as_data, said

MAX_SHIFT_HOURS = 24


def require_member(*, team: Team, member: Membership, field: str = "member") -> None:
    """The member must belong to this team now: a forged id of another team's member is refused
    with the same message as a stale choice, so it tells nothing about the other team."""
    if member.team_id != team.id or member.ended_at is not None:
        raise DomainError("Choose a current member of this team.", field=field)


def require_writer(*, actor: User, team: Team) -> None:
    """The actor must be a member of the team written to, whoever called the service."""
    access.require_member_of(actor, team.pk)


def lock_team(team: Team) -> None:
    """Serialise this team's writers before checking what the write depends on (overlaps,
    offers): the check and the write then see the same rota. changes.record takes the same lock
    later, so taking it first costs nothing more."""
    Team.objects.select_for_update().filter(pk=team.pk).first()


def require_choice(value: str, choices: list[str], *, field: str) -> None:
    if value not in choices:
        raise DomainError(limits.not_a_choice(choices), field=field)


def require_role(role: str, *, field: str = "required_role") -> None:
    """A visit's or pattern's required role: blank (anyone) or one of the team's roles."""
    if role and role not in Role.values:
        raise DomainError("Choose a role from the list, or anyone.", field=field)


def require_length(text: str, limit: int, *, field: str) -> None:
    if len(text) > limit:
        raise DomainError(limits.too_long(limit), field=field)


def violates(error: IntegrityError, constraint: str) -> bool:
    """Whether the database refused the write because of this named constraint."""
    return constraint in str(error)


def require_order(*, start: dt.datetime, end: dt.datetime, field: str = "end") -> None:
    """A start and an end in the range of dates every door takes (careteams/dates.py), in order:
    shifts, absences and visits whoever writes them (a page, the API, the admin)."""
    dates.require_in_range(start, field="start")
    dates.require_in_range(end, field=field)
    if end <= start:
        raise DomainError("The end must be after the start.", field=field)


def member_label(member: Membership) -> str:
    return member.user.get_full_name() or member.user.email


def when(team: Team, moment: dt.datetime) -> When:
    return rules.when(moment, team.zone)


def span(team: Team, start: dt.datetime, end: dt.datetime) -> Said:
    return rules.span(start, end, team.zone)


def visit_label(visit: Visit) -> Said:
    """A visit inside a notice: its client and its times."""
    return said(
        "%(client)s %(span)s",
        client=visit.client.full_name,
        span=span(visit.team, visit.planned_start, visit.planned_end),
    )


def published_week(team: Team, moment: dt.datetime) -> RotaWeek | None:
    monday = timeutil.monday_of(timeutil.local_today(team.zone, now=moment))
    return RotaWeek.objects.filter(
        team=team, week_start=monday, status=RotaStatus.PUBLISHED
    ).first()


def notify_if_published(
    *,
    team: Team,
    moment: dt.datetime,
    members: Iterable[Membership | None],
    text: Said,
    actor: User,
) -> list[RotaNotice]:
    """A change to a published week is shown to each member it affects (but not to whoever made
    it: they know), in English and as its sentence, said again in each reader's language. Call
    inside the write's transaction."""
    week = published_week(team, moment)
    if week is None:
        return []
    notices = []
    seen: set[object] = set()
    for member in members:
        if member is None or member.pk in seen or member.user_id == actor.pk:
            continue
        seen.add(member.pk)
        notice = RotaNotice.objects.create(
            team=team,
            week_start=week.week_start,
            member=member,
            text=text,
            sentence=as_data(text),
            created_by=actor,
        )
        changes.record(team=team, entity="rota_notice", obj=notice, actor=actor)
        notices.append(notice)
    return notices


def visit_changing(
    visit: Visit, version: int, actor: User, *, plan_input: bool | None = None
) -> AbstractContextManager[Visit]:
    """The visit, locked and checked at `version`, for a service to change: saved and recorded
    at the end of the block (`careteams.versioning.versioned_write`). `plan_input=False`: the
    service changes nothing the week's rules read (`changes.record`)."""
    return versioned_write(
        Visit.objects.select_related("client", "team"),
        pk=visit.pk,
        version=version,
        entity="visit",
        actor=actor,
        plan_input=plan_input,
    )
