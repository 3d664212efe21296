"""The record of reads: who read (or tried to read) which client's record, when, through which
door. Written in the request that reads, so a read that happened is never missing from it.

Within a request (`ReadLogMiddleware`), a read is noted rather than written: every client whose
record the request loads (each `Client` the ORM builds, whether on its own, through a visit's
`select_related` or in a list), and every client a view names with `access_event_record` or
`reads_record` (a sync page's clients, a label such as "care plan"). When the answer shows
something (a 2xx with a body, or a form shown again), they are written together: one row per
client, in one statement, whatever the number of clients. A view cannot forget its read: it
loads the clients it shows. A view that shows a client without loading it (ids from the feed, a
`values()` read) names them itself; tests/careteams/test_read_log_every_door.py opens every
route and fails for a client shown without its row.
"""

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import Model
from django.db.models.signals import post_init
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from careteams import access, hooks, registry
from careteams.access import AnyUser
from careteams.models import AccessEvent, Door, User

# The newest reads shown on a record; the full list is in the admin.
SHOWN = 50
# What the log says when a page or answer showed a client's key-safe code (beside the read of
# the record or card it was on): who held the code to the door, and when.
KEY_SAFE_READ = "key-safe code"


@dataclass
class _Reads:
    """What one request has read: client id -> (what, door), the first naming winning. A door of
    None is the request's own (page, PDF or API); a label of None, the route's name. `written`
    holds those already in the log (a page that lists the reads writes its own first)."""

    request: HttpRequest
    clients: dict[uuid.UUID, tuple[str | None, str | None]] = field(default_factory=dict)
    written: set[uuid.UUID] = field(default_factory=set)
    # Reads that stand on their own row beside the client's (the key-safe code shown): client
    # id -> door.
    key_safe: dict[uuid.UUID, str | None] = field(default_factory=dict)
    # While several pages are made for one answer (the tablet's bundle), a record page's read
    # list does not write the reads so far: they are written once, with the answer.
    deferred: bool = False

    def note(self, client_id: uuid.UUID, what: str | None, door: str | None) -> None:
        if what == KEY_SAFE_READ:
            self.key_safe.setdefault(client_id, door)
            return
        if client_id in self.written:
            return
        if client_id not in self.clients or self.clients[client_id] == (None, None):
            self.clients[client_id] = (what, door)

    def write(self, response: HttpResponse | None) -> None:
        # An API call's person is its token's (request.auth); a page's, the session's.
        auth = getattr(self.request, "auth", None)
        user = auth if isinstance(auth, User) else getattr(self.request, "user", None)
        door = _door(self.request, response)
        if self.clients:
            _insert(user=user, door=door, reads=self.clients, what=_label(self.request))
            self.written |= set(self.clients)
            self.clients = {}
        if self.key_safe:
            reads = {c: (KEY_SAFE_READ, d) for c, d in self.key_safe.items()}
            _insert(user=user, door=door, reads=reads)
            self.key_safe = {}


# The reads of the request being answered; None outside one (sockets, commands, tests calling
# a selector), where a read is written at once. One object set per request and filled in place,
# so that code running in a copied context (asgiref's thread hops) fills the same one.
_request_reads: ContextVar[_Reads | None] = ContextVar("request_reads", default=None)


def _client_loaded(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    reads = _request_reads.get()
    if reads is not None and instance.pk is not None:
        reads.note(instance.pk, None, None)


def watch_client_reads(model: type[Model]) -> None:
    """Every row of `model` (the clients) the ORM builds in a request is a read of that
    client's record: called once by the app that holds clients, from its `ready()`."""
    post_init.connect(_client_loaded, sender=model, dispatch_uid="read-log-client-loaded")


def _clients() -> type[Model]:
    """The clients' model, as the registry knows it (the core imports no feature app)."""
    return registry.get("client").model


@contextmanager
def reads_deferred() -> Iterator[None]:
    """Many pages made for one answer (tablet/bundle.py): their reads are written with it, in
    one insert, however many record pages would have written theirs first."""
    reads = _request_reads.get()
    if reads is None:
        yield
        return
    reads.deferred = True
    try:
        yield
    finally:
        reads.deferred = False


def _reader(user: AnyUser) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def access_event_record(
    *,
    user: AnyUser,
    client_id: uuid.UUID,
    team_id: uuid.UUID | None,
    what: str,
    door: str = Door.PAGE,
    allowed: bool = True,
) -> None:
    """One read (or refused read) of one client's record. Inside a request an allowed read
    joins the request's reads (written with them, once); a refusal is written at once."""
    reads = _request_reads.get()
    if reads is not None and allowed:
        reads.note(client_id, what, door)
        return
    AccessEvent.objects.create(
        user=_reader(user),
        client_id=client_id,
        team_id=team_id,
        what=what,
        door=door,
        allowed=allowed,
    )


def reads_record(
    *,
    user: AnyUser,
    client_ids: Iterable[uuid.UUID | None],
    what: str,
    door: str | None = None,
) -> None:
    """One read of each client in an answer that carries many (a list, a sync page): one row
    per client, however many of its records the answer holds, in one insert. Without a door,
    the request's own (outside a request, a page's)."""
    ids = sorted({c for c in client_ids if c is not None})
    reads = _request_reads.get()
    if reads is not None:
        for client_id in ids:
            reads.note(client_id, what, door)
        return
    if ids:
        _insert(user=user, door=door or Door.PAGE, reads={c: (what, door) for c in ids})


# One statement whatever the number of clients: the reads travel as arrays (PostgreSQL) or one
# JSON list (SQLite), a third of the time of bulk_create's row of parameters per event. Each
# row's team is its client's, read in the same statement.
_READS_INSERT = {
    "postgresql": (
        "SELECT %s, c.id, c.team_id, r.what, r.door, true, %s "
        "FROM unnest(%s::uuid[], %s::text[], %s::text[]) AS r(id, what, door) "
        "JOIN {clients} c ON c.id = r.id"
    ),
    "sqlite": (
        "SELECT %s, c.id, c.team_id, r.value ->> '$[1]', r.value ->> '$[2]', 1, %s "
        "FROM json_each(%s) AS r JOIN {clients} c ON c.id = r.value ->> '$[0]'"
    ),
}


def _insert(
    *,
    user: AnyUser,
    door: str,
    reads: Mapping[uuid.UUID, tuple[str | None, str | None]],
    what: str = "record",
) -> None:
    """Write the reads, each with its label (or `what`) and door (or `door`)."""
    reader = _reader(user)
    rows = sorted((c, (w or what)[:60], d or door) for c, (w, d) in reads.items())
    connection = connections[router.db_for_write(AccessEvent)]
    select = _READS_INSERT.get(connection.vendor)
    if select is None:
        clients = _clients()._default_manager.filter(id__in=reads)
        teams = dict(clients.values_list("id", "team_id"))
        AccessEvent.objects.bulk_create(
            AccessEvent(user=reader, client_id=c, team_id=teams[c], what=w, door=d)
            for c, w, d in rows
            if c in teams
        )
        return
    # The ids as this database stores them (a UUID is 32 hex digits on SQLite).
    reader_id = AccessEvent._meta.get_field("user").get_db_prep_value(
        reader.pk if reader else None, connection
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values: list[Any]
    if connection.vendor == "postgresql":
        values = [[c for c, _, _ in rows], [w for _, w, _ in rows], [d for _, _, d in rows]]
    else:
        values = [json.dumps([[c.hex, w, d] for c, w, d in rows])]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AccessEvent._meta.db_table} "
            f"(user_id, client_id, team_id, what, door, allowed, at) "
            f"{select.format(clients=_clients()._meta.db_table)}",
            [reader_id, now, *values],
        )


def _shows(response: HttpResponse) -> bool:
    """An answer with a body about the request: a page, a PDF, JSON, or a form shown again
    with its errors. Redirects, 304s, refusals (written on their own) and failures show none."""
    status = response.status_code
    return (200 <= status < 300 and status != 204) or status in (400, 409)


def _door(request: HttpRequest, response: HttpResponse | None) -> str:
    if response is not None and response["Content-Type"].startswith("application/pdf"):
        return Door.PDF
    if request.path.startswith("/api/"):
        return Door.API
    match = request.resolver_match
    return Door.ADMIN if match and match.namespace == "admin" else Door.PAGE


# Route names that read badly in "… looked at the <what>" (templates/careteams/_reads.html).
_LABELS = {
    "home": "home page",
    "family-home": "home page",
    "me": "list of clients",
    "bundle": "visits kept offline",
    "team-today": "team's day",
    "my-day": "day's visits",
    "my_day": "day's visits",
    "visit-new": "new visit form",
    "channels": "list of messages",
}


def _label(request: HttpRequest) -> str:
    """The route's name in words ("client list", "member run sheet"; the door says PDF)."""
    match = request.resolver_match
    name = match.url_name if match and match.url_name else "record"
    words = _LABELS.get(name) or name.replace("-", " ").replace("_", " ")
    return words.removesuffix(" pdf")


class ReadLogMiddleware:
    """Notes the clients each request reads and writes them when its answer shows them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads = _Reads(request=request)
        token = _request_reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _request_reads.reset(token)
        if _shows(response):
            reads.write(response)
        return response


def refused_read_record(*, user: AnyUser, client_id: uuid.UUID | str, what: str, door: str) -> None:
    """A request for a client the user may not see. Recorded only when that client exists, so
    the log is about real records; the answer stays a 404 either way."""
    try:
        client_uuid = uuid.UUID(str(client_id))
    except ValueError:
        return
    if access.client_ids_visible_to(user).filter(id=client_uuid).exists():
        return  # a missing note or problem of a record they may read: not a refused read
    clients = _clients()._default_manager.filter(id=client_uuid)
    team_id = clients.values_list("team_id", flat=True).first()
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


def _role(
    event: AccessEvent,
    member_ids: set[uuid.UUID],
    client_user_id: uuid.UUID | None,
    others: dict[uuid.UUID, str],
) -> str:
    if event.user_id is None:
        return "someone not signed in"
    if event.user_id == client_user_id:
        return "you"
    if event.user_id in member_ids:
        return "the care team"
    return others.get(event.user_id, "family")


def access_events_for_client(*, user: AnyUser, client: Any) -> list[ReadEntry]:
    """The newest reads of one client's record, as the user may see them (team, client, family):
    this request's own among them."""
    reads = _request_reads.get()
    if reads is not None and not reads.deferred:
        reads.write(None)
    events = (
        access.access_events_visible_to(user)
        .filter(client_id=client.id)
        .select_related("user")
        .order_by("-at", "-id")[:SHOWN]
    )
    member_ids = set(client.team.memberships.values_list("user_id", flat=True))
    doors = dict(Door.choices)
    rows = list(events)
    # Readers neither of the team nor the client (a partner organisation), as their app says.
    others = hooks.reader_roles(
        {e.user_id for e in rows if e.user_id and e.user_id not in member_ids}
    )
    entries = []
    for event in rows:
        name = event.user.get_full_name() or event.user.email if event.user else "Not signed in"
        entries.append(
            ReadEntry(
                at=event.at,
                who=name,
                first_name=event.user.first_name if event.user else "",
                role=_role(event, member_ids, client.user_id, others),
                what=event.what,
                door=event.door,
                door_label=doors.get(event.door, event.door),
                allowed=event.allowed,
            )
        )
    return entries
