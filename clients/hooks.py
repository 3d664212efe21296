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
from typing import Any, Protocol

from django.db.models import QuerySet
from django.db.models.expressions import BaseExpression

from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients.models import Client, Intervention


class VisitLink(Protocol):
    """What a note reads of the visit it was written at."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def client_id(self) -> uuid.UUID: ...

    @property
    def planned_start(self) -> dt.datetime: ...


@dataclass(frozen=True)
class PlainVisit:
    """A coming visit as the family and the client see it (the page and the PDF)."""

    start: dt.datetime
    end: dt.datetime
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    carers: list[str]
    arrival: str  # the one wording of the page and the PDF (scheduling.rules.windows)


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
    # The record page: the client's next visits (with their carers) the user may see, from
    # `now` (the rota's own rows, read by the template), at most `limit`.
    upcoming: Callable[[AnyUser, Client, dt.datetime, int], list[Any]]
    # The record page: what was done on which visit, the outcomes that stand, at most `limit`.
    task_outcomes: Callable[[Client, int], list[Any]]
    # The check-ins to the client's visits that shared the device's location (not withdrawn).
    located_check_ins: Callable[[Client], QuerySet[Any]]
    # The caseload: (client id, planned start, planned end) of the team's visits the user may
    # see, not cancelled, starting in [start, end): one query.
    planned_spans: Callable[
        [AnyUser, Team, dt.datetime, dt.datetime],
        Iterable[tuple[uuid.UUID, dt.datetime, dt.datetime]],
    ]
    # The family view: the client's coming visits, for the client and their family.
    family_upcoming: Callable[[AnyUser, Client, int], list[PlainVisit]]
    # The family page's "Today" for this client (NotFound for anyone else), in the team's zone.
    family_today: Callable[[AnyUser, uuid.UUID, str], Any]
    # An intervention's visits in plain words ("morning visits on Mon").
    schedule_words: Callable[[Intervention], str]


_reads: list[VisitReads] = []


def register_visits(reads: VisitReads) -> None:
    _reads[:] = [reads]


def visits() -> VisitReads:
    if not _reads:
        raise RuntimeError("No app registered the visits (scheduling's ready() does).")
    return _reads[0]
