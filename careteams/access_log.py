"""The record of reads: who read (or tried to read) which client's record, when, through which
door. Written in the request that reads, so a read that happened is never missing from it."""

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.utils import timezone

from careteams import access
from careteams.access import AnyUser
from careteams.models import AccessEvent, Door, User

# The newest reads shown on a record; the full list is in the admin.
SHOWN = 50


@dataclass(frozen=True)
class Read:
    """One allowed read, as a row of the log will hold it."""

    user_id: uuid.UUID | None
    client_id: uuid.UUID
    team_id: uuid.UUID | None
    what: str
    door: str


# Set while the reads of several pages rendered in one answer are gathered (reads_together).
_gathered: ContextVar[list[Read] | None] = ContextVar("reads_gathered", default=None)


def access_event_record(
    *,
    user: AnyUser,
    client_id: uuid.UUID,
    team_id: uuid.UUID | None,
    what: str,
    door: str = Door.PAGE,
    allowed: bool = True,
) -> AccessEvent:
    reader = user if isinstance(user, User) and user.is_authenticated else None
    event = AccessEvent(
        user=reader, client_id=client_id, team_id=team_id, what=what, door=door, allowed=allowed
    )
    gathered = _gathered.get()
    if gathered is not None and allowed:
        gathered.append(Read(event.user_id, client_id, team_id, what, door))
        return event  # written with the others when the answer is made (reads_together)
    event.save(force_insert=True)
    return event


@contextmanager
def reads_together() -> Iterator[list[Read]]:
    """The reads recorded inside, written at the end in one insert, whatever happened: one
    answer made of many pages (the tablet's bundle, tablet/bundle.py) logs the same rows as
    the pages one by one would, without a statement per page."""
    gathered: list[Read] = []
    token = _gathered.set(gathered)
    try:
        yield gathered
    finally:
        _gathered.reset(token)
        reads_write(gathered)


def reads_write(reads: Sequence[Read]) -> None:
    """Rows of reads in one insert (bulk_create is one statement for any list this size)."""
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user_id=r.user_id, client_id=r.client_id, team_id=r.team_id, what=r.what, door=r.door
        )
        for r in reads
    )


# One statement whatever the number of clients: the ids travel as one array (PostgreSQL) or one
# JSON list (SQLite), a third of the time of bulk_create's row of parameters per event.
_READS_INSERT = {
    "postgresql": "SELECT %s, c, %s, %s, %s, true, %s FROM unnest(%s::uuid[]) AS c",
    "sqlite": "SELECT %s, value, %s, %s, %s, 1, %s FROM json_each(%s)",
}


def reads_record(
    *,
    user: AnyUser,
    team_id: uuid.UUID,
    client_ids: Iterable[uuid.UUID | None],
    what: str,
    door: str = Door.API,
) -> None:
    """One read of each client in an answer that carries many (a list, a sync page): one row
    per client, however many of its records the answer holds, in one insert."""
    reader = user if isinstance(user, User) and user.is_authenticated else None
    ids = sorted({c for c in client_ids if c is not None})
    if not ids:
        return
    connection = connections[router.db_for_write(AccessEvent)]
    select = _READS_INSERT.get(connection.vendor)
    if select is None:
        AccessEvent.objects.bulk_create(
            AccessEvent(user=reader, client_id=c, team_id=team_id, what=what, door=door)
            for c in ids
        )
        return
    # The ids as this database stores them (a UUID is 32 hex digits on SQLite).
    reader_id = AccessEvent._meta.get_field("user").get_db_prep_value(
        reader.pk if reader else None, connection
    )
    team = AccessEvent._meta.get_field("team").get_db_prep_value(team_id, connection)
    values: Any = ids if connection.vendor == "postgresql" else json.dumps([c.hex for c in ids])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AccessEvent._meta.db_table} "
            f"(user_id, client_id, team_id, what, door, allowed, at) {select}",
            [reader_id, team, what, door, now, values],
        )


def refused_read_record(*, user: AnyUser, client_id: uuid.UUID | str, what: str, door: str) -> None:
    """A request for a client the user may not see. Recorded only when that client exists, so
    the log is about real records; the answer stays a 404 either way."""
    from clients.models import Client  # clients depends on careteams, not the other way round

    try:
        client_uuid = uuid.UUID(str(client_id))
    except ValueError:
        return
    visible = access.clients_visible_to(user) | access.clients_in_family_view(user)
    if visible.filter(id=client_uuid).exists():
        return  # a missing note or problem of a record they may read: not a refused read
    team_id = Client.objects.filter(id=client_uuid).values_list("team_id", flat=True).first()
    if team_id is not None:
        access_event_record(
            user=user, client_id=client_uuid, team_id=team_id, what=what, door=door, allowed=False
        )


@dataclass(frozen=True)
class ReadEntry:
    at: Any
    who: str
    first_name: str
    role: str
    what: str
    door: str
    door_label: str
    allowed: bool


def _role(event: AccessEvent, member_ids: set[uuid.UUID], client_user_id: uuid.UUID | None) -> str:
    if event.user_id is None:
        return "someone not signed in"
    if event.user_id == client_user_id:
        return "you"
    if event.user_id in member_ids:
        return "the care team"
    return "family"


def access_events_for_client(*, user: AnyUser, client: Any) -> list[ReadEntry]:
    """The newest reads of one client's record, as the user may see them (team, client, family)."""
    events = (
        access.access_events_visible_to(user)
        .filter(client_id=client.id)
        .select_related("user")
        .order_by("-at", "-id")[:SHOWN]
    )
    member_ids = set(client.team.memberships.values_list("user_id", flat=True))
    doors = dict(Door.choices)
    entries = []
    for event in events:
        name = event.user.get_full_name() or event.user.email if event.user else "Not signed in"
        entries.append(
            ReadEntry(
                at=event.at,
                who=name,
                first_name=event.user.first_name if event.user else "",
                role=_role(event, member_ids, client.user_id),
                what=event.what,
                door=event.door,
                door_label=doors.get(event.door, event.door),
                allowed=event.allowed,
            )
        )
    return entries
