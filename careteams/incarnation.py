"""The change feed's incarnation: which copy of the feed a device's cursor belongs to.

A seq only means something within one incarnation. It is made when the database is set up
(the migration creating `FeedIncarnation`) and changed after any restore of a backup, by
`manage.py feed_new_incarnation` (docs/operations.md), so devices and sockets holding cursors
of the lost timeline are told to resync instead of silently skipping changes.

A restore without that step is still caught: each cursor carries a check of the change it
stands after (below), which no change of a new timeline matches.
"""

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Subquery

from careteams.models import Change, FeedIncarnation, Team


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


def plan_position(*, team_id: uuid.UUID) -> tuple[int, int, str]:
    """The team's committed head, its plan position (`Team.plan_seq`) and the incarnation, in
    one query."""
    incarnation = FeedIncarnation.objects.filter(pk=1).values("incarnation")
    head, plan, current = (
        Team.objects.filter(id=team_id)
        .values_list("last_change_seq", "plan_seq", Subquery(incarnation))
        .get()
    )
    return head, plan, str(current) if current is not None else incarnation_get()


# A cursor is `<seq>.<check>`: the check names the very change at that seq, so a cursor of a
# timeline the restore lost is told apart even when the incarnation was not renewed (restored
# without `feed_new_incarnation`: the same numbers, then new changes under them). A bare seq
# (apps from before checks, a page's first cursor) says nothing of which change it saw.
CHECK_LENGTH = 12
CURSOR_PATTERN = r"^(0|[1-9][0-9]{0,17})(\.[0-9a-f]{12})?$"
_CURSOR = re.compile(CURSOR_PATTERN)
# The Change fields a check is made of: what is the same for no two rows of two timelines.
CHECKED = ("id", "seq", "entity", "entity_id", "version", "created_at")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Cursor:
    seq: int
    check: str | None = None  # None: a bare seq, which cannot be checked


def cursor_parse(text: str) -> Cursor | None:
    """The cursor a device sent, or None when it is not one."""
    found = _CURSOR.fullmatch(text)
    if found is None:
        return None
    return Cursor(int(found[1]), found[2][1:] if found[2] else None)


def change_check(change: Mapping[str, Any]) -> str:
    """A short hash of one change row's identity (the CHECKED fields). Its time, to the
    microsecond, differs even where a change made after a restore repeats the lost one's id,
    record and version (the same mutation pushed again)."""
    micros = (change["created_at"] - _EPOCH) // dt.timedelta(microseconds=1)
    identity = ":".join(str(change[name]) for name in CHECKED[:-1]) + f":{micros}"
    return hashlib.sha256(identity.encode()).hexdigest()[:CHECK_LENGTH]


def cursor_text(change: Mapping[str, Any]) -> str:
    """The cursor that stands just after `change` (a row with the CHECKED fields)."""
    return f"{change['seq']}.{change_check(change)}"


def cursor_at(*, team_id: uuid.UUID, seq: int) -> str:
    """The cursor at `seq` of the team's feed: "0" before its first change."""
    if seq == 0:
        return "0"
    return cursor_text(Change.objects.filter(team_id=team_id, seq=seq).values(*CHECKED).get())


def cursor_holds(*, team_id: uuid.UUID, cursor: Cursor) -> bool:
    """Whether the change a cursor (at or before the head) was handed out at is still the one
    at its seq. 0 always holds; a bare seq never does: nothing in it can tell."""
    if cursor.seq == 0:
        return True
    if cursor.check is None:
        return False
    change = Change.objects.filter(team_id=team_id, seq=cursor.seq).values(*CHECKED).first()
    return change is not None and change_check(change) == cursor.check
