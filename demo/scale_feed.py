"""The scale world's writes, gathered in memory and saved in bulk, with the feed they leave.

`changes.record` takes the team row's lock and inserts one row per write: right for people,
far too slow for a thousand teams. Here each write's feed entry is made at its moment
(`changes.pending`, serialised as `record` would have then), and a team's entries are appended
together after its rows are inserted, by the feed's one bulk path (`changes.record_many`),
which numbers them in commit order under the team's lock.
"""

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

from careteams import changes
from careteams.models import Membership, Team, User
from careteams.registry import EntityName
from clients.models import CareProblem, Client, Intervention, Note, NoteProblem, OutcomeRating
from scheduling.models import RotaWeek, Shift, Visit, VisitAssignment, VisitPattern

# Parents before children: the order the rows are inserted in.
MODELS: tuple[type[models.Model], ...] = (
    User,
    Team,
    Membership,
    Client,
    CareProblem,
    Intervention,
    OutcomeRating,
    VisitPattern,
    Shift,
    RotaWeek,
    Visit,
    VisitAssignment,
    Note,
    NoteProblem,
)
# Fields Django would stamp with the wall clock on insert; the world's history sets them itself.
STAMPED: tuple[tuple[type[models.Model], str], ...] = (
    (Team, "created_at"),
    (Membership, "started_at"),
    (Client, "created_at"),
    (Client, "updated_at"),
    (VisitAssignment, "assigned_at"),
    (Note, "received_at"),
)
BATCH_ROWS = 2000


@dataclass
class TeamFeed:
    """One team's feed while it is built: what each write would have recorded, and when."""

    team: Team
    entries: list[changes.Pending] = field(default_factory=list)

    def record(
        self,
        *,
        entity: EntityName,
        obj: models.Model,
        actor: User | None,
        at: dt.datetime,
        client_id: uuid.UUID | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        """What `changes.record` would write for `obj` as it is now (serialised now, so a later
        version of the same object does not rewrite an earlier entry)."""
        self.entries.append(
            changes.pending(
                entity=entity, obj=obj, actor=actor, at=at, client_id=client_id, data=data
            )
        )


@dataclass
class Batch:
    """The rows of a few teams, saved together in one transaction."""

    rows: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: {model: [] for model in MODELS}
    )
    feeds: list[TeamFeed] = field(default_factory=list)

    def add(self, *objs: models.Model) -> None:
        for obj in objs:
            self.rows[type(obj)].append(obj)

    def save(self) -> int:
        """Insert everything, parents first, then each team's feed; returns the number of
        changes. Must run inside the batch's transaction."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model, objs in self.rows.items():
                    _copy(cursor, model, objs)
        else:
            with own_stamps():
                for model, objs in self.rows.items():
                    model._default_manager.bulk_create(objs, batch_size=BATCH_ROWS)
        return sum(changes.record_many(team=feed.team, entries=feed.entries) for feed in self.feeds)


def _copy(cursor: Any, model: type[models.Model], objs: list[models.Model]) -> None:
    """PostgreSQL's COPY of model instances: each column's Python value as psycopg adapts it
    (JSON as its text), the auto-numbered keys left to their sequences."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]
    rows = (
        [
            json.dumps(getattr(obj, name), cls=DjangoJSONEncoder)
            if name in json_fields
            else getattr(obj, name)
            for name in names
        ]
        for obj in objs
    )
    _copy_rows(cursor, model._meta.db_table, [str(f.column) for f in fields], rows)


def _copy_rows(cursor: Any, table: str, columns: Iterable[str], rows: Iterable[Any]) -> None:
    quoted = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def own_stamps() -> Iterator[None]:
    """While the batch is inserted, the stamped fields keep the moments the builder gave them
    (Django would overwrite them with the wall clock). One process runs the command, and the
    flags are put back however the insert ends."""
    fields = [model._meta.get_field(name) for model, name in STAMPED]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[union-attr]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add  # type: ignore[union-attr]
