"""What changed about a client since this carer was last there (issue 26): the care plan, how
to get in, the risks. Read from the client's change feed (every write to the plan and the
record is in it, with its time) against the carer's last attendance at a visit to the client;
the key-safe code, which never goes into the feed, from the time it last changed."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careteams.models import Change, Membership
from clients.models import Client, RiskFlag
from scheduling.models import Visit
from scheduling.visit_models import VisitAttendance

PLAN_ENTITIES = ("care_problem", "intervention")
RISK_LABELS = dict(RiskFlag.choices)


@dataclass(frozen=True)
class SinceLastVisit:
    last_visit_at: dt.datetime
    changes: list[str]  # sentences, newest kind of change first: plan, access, risks


def _risk_names(flags: Iterable[str]) -> list[str]:
    return [str(RISK_LABELS.get(flag, flag)) for flag in flags]


def _record_changes(client: Client, before: dict[str, Any], since: dt.datetime) -> list[str]:
    found = []
    if before.get("access_notes", "") != client.access_notes:
        found.append(_("How to get in changed: read the access notes again."))
    if client.key_safe_changed_at is not None and client.key_safe_changed_at > since:
        found.append(_("The key-safe code changed."))
    was, now = set(before.get("risk_flags") or []), set(client.risk_flags or [])
    if added := [flag for flag in client.risk_flags if flag not in was]:
        found.append(_("New risk: %(risks)s.") % {"risks": ", ".join(_risk_names(added))})
    if removed := sorted(was - now):
        found.append(
            _("No longer flagged: %(risks)s.") % {"risks": ", ".join(_risk_names(removed))}
        )
    return found


def my_last_visit_at(
    *, member: Membership, visit: Visit, client_id: uuid.UUID
) -> dt.datetime | None:
    """When this carer was last at this client before this visit (they left, or arrived if they
    never checked out), or None for their first visit here: what they have seen since. Apps
    above the rota mark their own changes against it (medicines: a changed medicine line)."""
    last = (
        VisitAttendance.objects.filter(
            member=member, visit__client_id=client_id, withdrawn_at__isnull=True
        )
        .exclude(visit=visit)
        .filter(checked_in_at__lt=visit.planned_start)
        .order_by("-checked_in_at")
        .first()
    )
    if last is None:
        return None
    return last.checked_out_at or last.checked_in_at


def since_my_last_visit(
    *, member: Membership, visit: Visit, client: Client
) -> SinceLastVisit | None:
    """None when this is the carer's first visit here, or nothing changed since their last."""
    since = my_last_visit_at(member=member, visit=visit, client_id=client.id)
    if since is None:
        return None
    feed = Change.objects.filter(team_id=client.team_id, client_id=client.id)
    plan = feed.filter(entity__in=PLAN_ENTITIES, created_at__gt=since).count()
    changes = []
    if plan:
        changes.append(
            ngettext(
                "The care plan changed (%(count)d change): read the tasks again.",
                "The care plan changed (%(count)d changes): read the tasks again.",
                plan,
            )
            % {"count": plan}
        )
    before = (
        feed.filter(entity="client", entity_id=client.id, created_at__lte=since)
        .order_by("-seq")
        .values_list("data", flat=True)
        .first()
    )
    if before is not None:
        changes += _record_changes(client, before, since)
    elif client.key_safe_changed_at is not None and client.key_safe_changed_at > since:
        changes.append(_("The key-safe code changed."))
    return SinceLastVisit(last_visit_at=since, changes=changes) if changes else None
