"""Writes of the tablet app: holding what a former member's tablet sent for the team to review,
and the team's review of it. Each goes through changes.record, like every write others hear of."""

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access, changes, limits
from careteams.errors import DomainError, FormerMember, NotFound
from careteams.models import Membership, User
from careteams.versioning import versioned_write
from tablet.models import HeldItem, HeldOutcome


def held_item_hold(
    *,
    membership: Membership,
    mutation_id: uuid.UUID,
    kind: str,
    payload: dict[str, Any],
    recorded_at: dt.datetime,
) -> HeldItem:
    """Keep an item a carer's tablet recorded while they were a member of the team and sent
    after their membership ended, as sent, for the team to review (docs/sync.md, "A leaver's
    tablet"). The same item sent again is the one already held. Only what was recorded between
    the start and the end of that membership: anything later is refused (FormerMember)."""
    if membership.ended_at is None:
        raise NotFound()
    if not membership.started_at <= recorded_at <= membership.ended_at:
        raise FormerMember(
            _("This was recorded when its author was not a member of the team."),
            field="recorded_at",
        )
    held = HeldItem.objects.filter(author_id=membership.user_id, mutation_id=mutation_id).first()
    if held is not None:
        return held
    try:
        with transaction.atomic():
            held = HeldItem.objects.create(
                team_id=membership.team_id,
                author_id=membership.user_id,
                mutation_id=mutation_id,
                kind=kind[:40],
                payload=payload,
                recorded_at=recorded_at,
                left_at=membership.ended_at,
            )
            changes.record(
                team=membership.team, entity="held_item", obj=held, actor=membership.user
            )
    except IntegrityError:
        # The same item arrived at once in another request, which held it.
        return HeldItem.objects.get(author_id=membership.user_id, mutation_id=mutation_id)
    return held


def held_item_review(
    *, item: HeldItem, version: int, outcome: str, comment: str, actor: User
) -> HeldItem:
    """A member of the team has dealt with a held item: entered what it says into the record
    by hand, or found it not needed (then saying why). Once: the review stays as written."""
    access.require_member_of(actor, item.team_id)
    if outcome not in HeldOutcome.values:
        raise DomainError(_("Choose what became of this item."), field="outcome")
    comment = comment.strip()
    if len(comment) > limits.REASON_MAX:
        raise DomainError(
            _("Keep the comment to %(most)d characters or fewer.") % {"most": limits.REASON_MAX},
            field="comment",
        )
    if outcome == HeldOutcome.NOT_NEEDED and not comment:
        raise DomainError(_("Say why this is not needed."), field="comment")
    with versioned_write(
        HeldItem.objects.select_related("team"),
        pk=item.pk,
        version=version,
        entity="held_item",
        actor=actor,
        update_fields=["outcome", "comment", "reviewed_by", "reviewed_at"],
    ) as current:
        if current.reviewed_at is not None:
            raise DomainError(_("Someone has already reviewed this item."))
        current.outcome = outcome
        current.comment = comment
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
    return current
