"""What the client pages and rules ask of the visits, without importing scheduling.

Visits are for clients, so scheduling imports clients and never the reverse (pyproject.toml's
contracts). Where a client page or rule needs what only the rota knows (a note's visit, the
visits on the record, who is on a visit today), scheduling registers the answers here from its
app's `ready()` (scheduling/client_visits.py), and clients ask through `visits()`.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db.models.expressions import BaseExpression

from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients.models import Client


class VisitLink(Protocol):
    """What a note reads of the visit it was written at."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def client_id(self) -> uuid.UUID: ...

    @property
    def planned_start(self) -> dt.datetime: ...


@dataclass(frozen=True)
class VisitReads:
    # A visit of this client the user may see (a team member), or NotFound.
    get: Callable[[AnyUser, Client, uuid.UUID | str], VisitLink]
    # An expression over a note's `visit_id`: its visit's planned start, in the note's query.
    note_visit_start: Callable[[], BaseExpression]
    # Of these clients of the team, those the member is on a (not cancelled) visit to in
    # [start, end): one query.
    member_visiting: Callable[
        [Membership, Team, frozenset[uuid.UUID], dt.datetime, dt.datetime], Iterable[uuid.UUID]
    ]


_reads: list[VisitReads] = []


def register_visits(reads: VisitReads) -> None:
    _reads[:] = [reads]


def visits() -> VisitReads:
    if not _reads:
        raise RuntimeError("No app registered the visits (scheduling's ready() does).")
    return _reads[0]
