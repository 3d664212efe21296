"""Publishing a week, and members acknowledging changes to a published week."""

import datetime as dt
import uuid
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import changes, dates, timeutil
from careteams.errors import DomainError, NotAllowed
from careteams.models import Membership, Team, User
from careteams.versioning import versioned_save, versioned_write
from scheduling.models import (
    RotaNotice,
    RotaStatus,
    RotaWeek,
    Shift,
    VisitAssignment,
    VisitStatus,
)
from scheduling.rules.words import Said, as_data, gettext_noop, ngettext, said, when
from scheduling.services.common import lock_team, require_writer


def rota_week_publish(*, team: Team, monday: dt.date, version: int, actor: User) -> RotaWeek:
    """Draft to published. `version` is the rota week's version the page showed, 0 when the week
    had no record yet (every week is a draft until someone publishes it)."""
    require_writer(actor=actor, team=team)
    dates.require_in_range(monday, field="week")
    if monday.isoweekday() != 1:
        raise DomainError(_("A week starts on a Monday."), field="week")
    with transaction.atomic():
        # Serialise publishers of this team, so two first publications cannot both create it.
        lock_team(team)
        week = RotaWeek.objects.filter(team=team, week_start=monday).first()
        if week is None:
            if version != 0:
                raise DomainError(_("This week's rota record has gone: reload the week."))
            week = RotaWeek(team=team, week_start=monday)
            _published(week, actor)
            week.save()
            changes.record(team=team, entity="rota_week", obj=week, actor=actor)
        else:
            with versioned_write(
                RotaWeek.objects.select_related("team"),
                pk=week.pk,
                version=version,
                entity="rota_week",
                actor=actor,
            ) as week:
                if week.status == RotaStatus.PUBLISHED:
                    raise DomainError(_("This week is already published."))
                _published(week, actor)
        _notify_published(team=team, monday=monday, actor=actor)
    return week


def _published(week: RotaWeek, actor: User) -> None:
    week.status = RotaStatus.PUBLISHED
    week.published_at = timezone.now()
    week.published_by = actor


def _notify_published(*, team: Team, monday: dt.date, actor: User) -> list[RotaNotice]:
    """One notice per member with work in the week, whatever their number of shifts and visits:
    a publish is one piece of news. The publisher knows, so is not told."""
    start, end = timeutil.week_bounds(team.zone, monday)
    shifts: Counter[uuid.UUID] = Counter(
        Shift.objects.filter(team=team, start__gte=start, start__lt=end).values_list(
            "member_id", flat=True
        )
    )
    visits: Counter[uuid.UUID] = Counter(
        VisitAssignment.objects.filter(
            visit__team=team, visit__planned_start__gte=start, visit__planned_start__lt=end
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .values_list("member_id", flat=True)
    )
    members = Membership.objects.filter(
        team=team, ended_at__isnull=True, pk__in=set(shifts) | set(visits)
    ).exclude(user=actor)
    notices = []
    for member in members:
        text = said(
            gettext_noop("The rota for the week of %(week)s is published: %(work)s for you."),
            week=when(monday, "%-d %B", "j F"),
            work=_work(shifts[member.pk], visits[member.pk]),
        )
        notice = RotaNotice.objects.create(
            team=team,
            week_start=monday,
            member=member,
            text=text,
            sentence=as_data(text),
            created_by=actor,
        )
        changes.record(team=team, entity="rota_notice", obj=notice, actor=actor)
        notices.append(notice)
    return notices


def _work(shifts: int, visits: int) -> Said:
    """A member's shifts and visits in the week, each counted in the words for its number."""
    counted = []
    if shifts:
        counted.append(said(ngettext("%(n)s shift", "%(n)s shifts", shifts)))
    if visits:
        counted.append(said(ngettext("%(n)s visit", "%(n)s visits", visits)))
    if len(counted) == 2:
        return said(gettext_noop("%(shifts)s and %(visits)s"), shifts=counted[0], visits=counted[1])
    return counted[0]


def rota_week_open(*, team: Team, monday: dt.date, actor: User) -> RotaWeek:
    """The week's record, as a draft: planning has begun. Publishing is rota_week_publish."""
    if monday.isoweekday() != 1:
        raise DomainError(_("A week starts on a Monday."), field="week")
    with transaction.atomic():
        week, created = RotaWeek.objects.get_or_create(team=team, week_start=monday)
        if created:
            changes.record(team=team, entity="rota_week", obj=week, actor=actor)
    return week


def rota_notice_mark_seen(*, notice: RotaNotice, member: Membership, actor: User) -> RotaNotice:
    require_writer(actor=actor, team=notice.team)
    if notice.member_id != member.pk:
        raise NotAllowed(_("This change is for someone else."))
    with transaction.atomic():
        notice = RotaNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.seen_at is None:
            notice.seen_at = timezone.now()
            versioned_save(notice, entity="rota_notice", actor=actor)
    return notice


def rota_notices_mark_all_seen(*, member: Membership, actor: User) -> int:
    """Every change notice the member has not seen yet, marked seen at once (each in the feed,
    so their other tablets drop them too). Returns how many were marked."""
    require_writer(actor=actor, team=member.team)
    if member.user_id != actor.pk:
        raise NotAllowed(_("These changes are for someone else."))
    with transaction.atomic():
        notices = list(
            RotaNotice.objects.select_for_update(of=("self",))
            .select_related("team")
            .filter(member=member, seen_at__isnull=True)
            .order_by("created_at")
        )
        now = timezone.now()
        for notice in notices:
            notice.seen_at = now
            versioned_save(notice, entity="rota_notice", actor=actor)
    return len(notices)
