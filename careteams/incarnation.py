"""The change feed's incarnation: which copy of the feed a device's cursor belongs to.

A seq only means something within one incarnation. It is made when the database is set up
(the migration creating `FeedIncarnation`) and changed after any restore of a backup, by
`manage.py feed_new_incarnation` (docs/operations.md), so devices and sockets holding cursors
of the lost timeline are told to resync instead of silently skipping changes.
"""

import uuid

from django.db.models import Subquery

from careteams.models import FeedIncarnation, Team


def incarnation_get() -> str:
    """The current incarnation (made here if the row is missing, e.g. a test flushed it)."""
    row, _ = FeedIncarnation.objects.get_or_create(pk=1)
    return str(row.incarnation)


def incarnation_renew() -> str:
    """Start a new incarnation: every cursor handed out before is now of another one."""
    row, _ = FeedIncarnation.objects.update_or_create(pk=1, defaults={"incarnation": uuid.uuid4()})
    return str(row.incarnation)


def feed_position(*, team_id: uuid.UUID) -> tuple[int, str]:
    """The team's committed head (as `feed.last_seq`) and the incarnation, in one query."""
    incarnation = FeedIncarnation.objects.filter(pk=1).values("incarnation")
    head, current = (
        Team.objects.filter(id=team_id).values_list("last_change_seq", Subquery(incarnation)).get()
    )
    return head, str(current) if current is not None else incarnation_get()
