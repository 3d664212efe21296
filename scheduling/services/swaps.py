"""Offering a shift or a visit to the team, and taking one: the rules decide at the taking."""

import dataclasses
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import changes, timeutil
from careteams.errors import DomainError, NotAllowed, RuleBroken
from careteams.models import Membership, Team, User
from careteams.versioning import locked_at_version, versioned_save, versioned_write
from scheduling import rules, selectors
from scheduling.models import (
    Shift,
    SwapOffer,
    SwapStatus,
    Visit,
    VisitAssignment,
    VisitStatus,
)
from scheduling.rules.words import gettext_noop, said
from scheduling.services.common import (
    lock_team,
    member_label,
    notify_if_published,
    require_member,
    require_writer,
    span,
    visit_label,
)
from scheduling.words import say


def swap_offer_create(
    *,
    team: Team,
    offered_by: Membership,
    shift: Shift | None = None,
    visit: Visit | None = None,
    actor: User,
) -> SwapOffer:
    require_writer(actor=actor, team=team)
    require_member(team=team, member=offered_by)
    if (shift is None) == (visit is None):
        raise DomainError(_("Offer either a shift or a visit."))
    now = timezone.now()
    with transaction.atomic():
        if shift is not None:
            if shift.team_id != team.id or shift.member_id != offered_by.pk:
                raise DomainError(_("You can only offer a shift of your own."))
            if shift.start <= now:
                raise DomainError(_("This shift has already started."))
            taken = SwapOffer.objects.filter(shift=shift, status=SwapStatus.OPEN)
        else:
            assert visit is not None
            if visit.team_id != team.id or not visit.assignments.filter(member=offered_by).exists():
                raise DomainError(_("You can only offer a visit you are on."))
            if visit.status != VisitStatus.PLANNED or visit.planned_start <= now:
                raise DomainError(_("Only a visit still to come can be offered."))
            taken = SwapOffer.objects.filter(visit=visit, offered_by=offered_by, status="open")
        if taken.exists():
            raise DomainError(_("This is already on offer to the team."))
        offer = SwapOffer.objects.create(team=team, offered_by=offered_by, shift=shift, visit=visit)
        changes.record(team=team, entity="swap_offer", obj=offer, actor=actor)
    return offer


def swap_offer_withdraw(*, offer: SwapOffer, version: int, member: Membership, actor: User) -> None:
    require_writer(actor=actor, team=offer.team)
    with versioned_write(
        SwapOffer.objects.select_related("team"),
        pk=offer.pk,
        version=version,
        entity="swap_offer",
        actor=actor,
    ) as offer:
        if offer.offered_by_id != member.pk:
            raise NotAllowed(_("Only the person who made an offer can take it back."))
        if offer.status != SwapStatus.OPEN:
            raise DomainError(_("This offer is no longer open."))
        offer.status, offer.resolved_at = SwapStatus.WITHDRAWN, timezone.now()


def _moved_visits(shift: Shift, member_id: uuid.UUID) -> list[Visit]:
    """The visits that go with a shift: the offerer's planned visits inside it."""
    return list(
        Visit.objects.filter(
            assignments__member_id=member_id,
            status=VisitStatus.PLANNED,
            planned_start__gte=shift.start,
            planned_end__lte=shift.end,
        ).select_related("client", "team")
    )


def _after(
    plan: rules.Plan,
    *,
    giver: uuid.UUID,
    taker: uuid.UUID,
    shift_id: uuid.UUID | None,
    visit_ids: set[uuid.UUID],
) -> rules.Plan:
    """The week as it would be once the taker has the shift and its visits (or the visit)."""
    shifts = [
        dataclasses.replace(s, member_id=taker) if s.id == shift_id else s for s in plan.shifts
    ]
    visits = [
        dataclasses.replace(v, carer_ids=tuple(taker if c == giver else c for c in v.carer_ids))
        if v.id in visit_ids
        else v
        for v in plan.visits
    ]
    return dataclasses.replace(plan, shifts=shifts, visits=visits)


def _move_assignment(*, visit: Visit, giver: Membership, taker: Membership, actor: User) -> None:
    old = VisitAssignment.objects.get(visit=visit, member=giver)
    changes.record(
        team=visit.team,
        entity="visit_assignment",
        obj=old,
        op="delete",
        actor=actor,
        client_id=visit.client_id,
    )
    old.delete()
    new = VisitAssignment.objects.create(
        team_id=visit.team_id, visit=visit, member=taker, assigned_by=actor
    )
    changes.record(
        team=visit.team, entity="visit_assignment", obj=new, actor=actor, client_id=visit.client_id
    )
    versioned_save(visit, entity="visit", actor=actor)


def swap_offer_take(*, offer: SwapOffer, version: int, taker: Membership, actor: User) -> SwapOffer:
    """Take an offer, unless that would break an error rule for the taker (two visits at once,
    absent, no shift, a missing skill): then nothing changes and the reasons are given."""
    team = offer.team
    require_writer(actor=actor, team=team)
    require_member(team=team, member=taker)
    with transaction.atomic():
        # Under the team lock, so the taker's shifts cannot change between the check and the move.
        lock_team(team)
        offer = locked_at_version(
            SwapOffer.objects.select_related("team", "offered_by__user", "shift", "visit__client"),
            pk=offer.pk,
            version=version,
            entity="swap_offer",
        )
        if offer.status != SwapStatus.OPEN:
            raise DomainError(_("Someone has already taken this, or it was taken back."))
        giver = offer.offered_by
        if giver.pk == taker.pk:
            raise DomainError(_("This is your own offer: take it back instead."))
        shift, visit = offer.shift, offer.visit
        if shift is not None:
            clash = Shift.objects.filter(member=taker, start__lt=shift.end, end__gt=shift.start)
            if clash.exists():
                raise RuleBroken(
                    problems=[
                        _("%(name)s already has a shift then.") % {"name": member_label(taker)}
                    ]
                )
            visits = _moved_visits(shift, giver.pk)
            if VisitAssignment.objects.filter(visit__in=visits, member=taker).exists():
                raise DomainError(
                    _("%(name)s is already on a double-up visit of this shift.")
                    % {"name": member_label(taker)}
                )
            moment = shift.start
        else:
            assert visit is not None
            if visit.assignments.filter(member=taker).exists():
                raise DomainError(
                    _("%(name)s is already on this visit.") % {"name": member_label(taker)}
                )
            visits = [visit]
            moment = visit.planned_start

        monday = timeutil.monday_of(moment.astimezone(team.zone).date())
        rows = selectors.week_rows(user=actor, team=team, monday=monday)
        plan = selectors.plan_of(rows)
        after = _after(
            plan,
            giver=giver.pk,
            taker=taker.pk,
            shift_id=shift.pk if shift else None,
            visit_ids={v.pk for v in visits},
        )
        broken = rules.new_errors_for(rules.check(plan), rules.check(after), taker.pk)
        if broken:
            told = [say(p.message) for p in broken]
            raise RuleBroken(
                _("You cannot take this: %(rules)s") % {"rules": " ".join(told)}, problems=told
            )

        if shift is not None:
            shift.member = taker
            versioned_save(shift, entity="shift", actor=actor)
            taken = said(
                gettext_noop("%(name)s took your shift %(shift)s."),
                name=member_label(taker),
                shift=span(team, shift.start, shift.end),
            )
        else:
            assert visit is not None
            taken = said(
                gettext_noop("%(name)s took your visit %(visit)s."),
                name=member_label(taker),
                visit=visit_label(visit),
            )
        for moved in visits:
            _move_assignment(visit=moved, giver=giver, taker=taker, actor=actor)

        offer.status, offer.taken_by, offer.resolved_at = SwapStatus.TAKEN, taker, timezone.now()
        versioned_save(offer, entity="swap_offer", actor=actor)
        notify_if_published(
            team=team,
            moment=moment,
            members=[giver],
            text=taken,
            actor=actor,
        )
    return offer
