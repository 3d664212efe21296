"""Meetings, their agendas, decisions by consent (append-only) and the actions they give."""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access, changes
from careteams.errors import DomainError, NotFound
from careteams.models import Membership, Team, User
from careteams.versioning import versioned_save, versioned_write
from teamwork.models import (
    ACTION_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ActionItem,
    AgendaItem,
    Decision,
    ItemStatus,
    Meeting,
    Outcome,
)


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise DomainError(_("This cannot be empty."), field=field)
    if len(value) > limit:
        raise DomainError(
            _("Keep this to %(n)s characters or fewer.") % {"n": f"{limit:,}"}, field=field
        )
    return value


def meeting_create(*, team: Team, title: str, held_on: dt.date, actor: User) -> Meeting:
    title = _text(title, field="title", limit=TITLE_MAX)
    access.require_member_of(actor, team.pk)
    with transaction.atomic():
        meeting = Meeting.objects.create(team=team, title=title, held_on=held_on, created_by=actor)
        changes.record(team=team, entity="meeting", obj=meeting, actor=actor)
    return meeting


def agenda_item_add(*, meeting: Meeting, title: str, proposal: str, actor: User) -> AgendaItem:
    """Anyone in the team adds to the agenda; the proposal may come later, at the meeting."""
    title = _text(title, field="title", limit=TITLE_MAX)
    proposal = _text(proposal, field="proposal", limit=TEXT_MAX, required=False)
    access.require_member_of(actor, meeting.team_id)
    with transaction.atomic():
        item = AgendaItem.objects.create(
            team_id=meeting.team_id, meeting=meeting, title=title, proposal=proposal, added_by=actor
        )
        changes.record(team=meeting.team, entity="agenda_item", obj=item, actor=actor)
    return item


def _present(team: Team, present: list[uuid.UUID]) -> list[str]:
    ids = {str(p) for p in present}
    if not ids:
        raise DomainError(_("Say who was present."), field="present")
    known = {
        str(pk)
        for pk in Membership.objects.active()
        .filter(team=team, pk__in=ids)
        .values_list("pk", flat=True)
    }
    if ids - known:
        raise DomainError(_("Everyone present must be a member of the team."), field="present")
    return sorted(ids)


def _decision_checks(outcome: str, objections: str) -> None:
    if outcome not in Outcome.values:
        raise DomainError(_("Agreed, agreed as changed, or parked."), field="outcome")
    if outcome == Outcome.AGREED and objections:
        # Consent: a proposal with an objection standing is not agreed; the objection is met by
        # changing it (then it is recorded as changed), or the item is parked.
        raise DomainError(
            _("An objection stands: record the proposal as changed to meet it, or park it."),
            field="objections",
        )


def decision_record(
    *,
    item: AgendaItem,
    text: str,
    outcome: str,
    present: list[uuid.UUID],
    objections: str,
    actor: User,
) -> Decision:
    """The meeting's decision on an agenda item's proposal, by consent."""
    text = _text(text, field="text", limit=TEXT_MAX)
    objections = _text(objections, field="objections", limit=TEXT_MAX, required=False)
    _decision_checks(outcome, objections)
    access.require_member_of(actor, item.team_id)
    with transaction.atomic():
        current = AgendaItem.objects.select_for_update().select_related("team").get(pk=item.pk)
        if current.status != ItemStatus.OPEN:
            raise DomainError(_("This item has been decided: change the decision instead."))
        decision = Decision.objects.create(
            team=current.team,
            meeting_id=current.meeting_id,
            item=current,
            title=current.title,
            text=text,
            outcome=outcome,
            present=_present(current.team, present),
            objections=objections,
            decided_by=actor,
        )
        changes.record(team=current.team, entity="decision", obj=decision, actor=actor)
        current.status = ItemStatus.PARKED if outcome == Outcome.PARKED else ItemStatus.DECIDED
        versioned_save(current, entity="agenda_item", actor=actor, update_fields=["status"])
    return decision


def decision_supersede(
    *,
    decision: Decision,
    text: str,
    outcome: str,
    present: list[uuid.UUID],
    objections: str,
    actor: User,
) -> Decision:
    """A change of decision: a new decision that supersedes the old one, which stays as it was.
    Only the latest of a line may be superseded (one successor each)."""
    text = _text(text, field="text", limit=TEXT_MAX)
    objections = _text(objections, field="objections", limit=TEXT_MAX, required=False)
    _decision_checks(outcome, objections)
    access.require_member_of(actor, decision.team_id)
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=decision.team_id)
        if Decision.objects.filter(supersedes=decision).exists():
            raise DomainError(_("This decision was already changed: change the latest one."))
        new = Decision.objects.create(
            team=team,
            meeting_id=decision.meeting_id,
            item_id=decision.item_id,
            title=decision.title,
            text=text,
            outcome=outcome,
            present=_present(team, present),
            objections=objections,
            supersedes=decision,
            decided_by=actor,
        )
        changes.record(team=team, entity="decision", obj=new, actor=actor)
    return new


def action_add(
    *, decision: Decision, text: str, owner: Membership, due_on: dt.date, actor: User
) -> ActionItem:
    text = _text(text, field="text", limit=ACTION_MAX)
    access.require_member_of(actor, decision.team_id)
    if owner.team_id != decision.team_id or owner.ended_at is not None:
        raise NotFound(_("That person is not a member of this team."))
    with transaction.atomic():
        action = ActionItem.objects.create(
            team_id=decision.team_id,
            decision=decision,
            text=text,
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        changes.record(team=decision.team, entity="action_item", obj=action, actor=actor)
    return action


def action_take(*, action: ActionItem, version: int, actor: User) -> ActionItem:
    """The actor takes an open action nobody owns yet (one a record raised for the team): it
    goes on their My day. One someone owns already is theirs until done."""

    def guard(current: ActionItem) -> None:
        access.require_member_of(actor, current.team_id)
        if not current.is_open:
            raise DomainError(_("This action is closed."))
        if current.owner is not None:
            raise DomainError(
                _("%(name)s has taken this action already.")
                % {"name": current.owner.user.get_full_name()}
            )

    with versioned_write(
        ActionItem.objects.select_related("team", "owner__user"),
        pk=action.pk,
        version=version,
        entity="action_item",
        actor=actor,
        guard=guard,
        update_fields=["owner"],
    ) as current:
        member = access.membership_of(actor, current.team)
        if member is None:  # an administrator signed in: the action is a member's to take
            raise NotFound(_("Only a member of the team takes its actions."))
        current.owner = member
    return current


def action_done(*, action: ActionItem, version: int, actor: User) -> ActionItem:
    with versioned_write(
        ActionItem.objects.select_related("team"),
        pk=action.pk,
        version=version,
        entity="action_item",
        actor=actor,
        guard=lambda current: access.require_member_of(actor, current.team_id),
        update_fields=["done_at", "done_by"],
    ) as current:
        if current.done_at is not None:
            raise DomainError(_("This action is already done."))
        if current.withdrawn_at is not None:
            raise DomainError(_("This action was withdrawn: there is nothing left to do."))
        current.done_at = timezone.now()
        current.done_by = actor
    return current
