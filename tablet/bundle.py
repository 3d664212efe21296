"""The tablet's bundle: every page it keeps for the carer's day (tablet/selectors.keep_for), in
one answer, so that keeping the day is one request instead of about seventy.

Each page is made by its own view, called here with a copy of the bundle's request (same user,
session and CSRF secret, so a kept form still posts; its own CSP nonce, so its inline scripts
run when the service worker serves it from the cache), with no one-time messages in it. The
reads the pages record join the bundle's request's own (careteams/access_log.py: one row per
client shown, written in one insert when the answer leaves), and a bundle sent again from the
cache records them again.

The answer is named by an ETag built from what the pages are made of: the team's feed head and
incarnation (every change of the team's records moves it), the carer, their CSRF secret (the
pages carry tokens of it), and a time bucket of BUCKET, for what a page shows from the clock
alone ("Late" on a visit, which day is today: every zone's midnight falls on a bucket's edge).
A tablet asking again with that ETag gets a 304 without any page made; the rendered answer is
kept in the cache under it meanwhile.
"""

import copy
import datetime as dt
import gzip
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.storage.base import BaseStorage, Message
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.urls import resolve
from django.utils import timezone
from django.utils.csp import LazyNonce

from careteams import access_log
from careteams.errors import DomainError
from careteams.incarnation import feed_position
from careteams.models import User
from careteams.selectors import team_for_member
from tablet import selectors

# What a page shows from the clock alone changes on a scale of a quarter of an hour or more: a
# visit is "Late" a grace after its start (30 minutes unless the team says otherwise), a
# check-in may be withdrawn for 15 minutes (limits.WITHDRAW_WITHIN). A kept copy is only shown
# without signal, when it is as old as the last keeping anyway. The tablet asks again every five
# minutes (offline-sync.js): a bucket of that length would make each repeat a new bundle; of
# fifteen, two repeats in three are a 304 while the team changes nothing (evenings, nights).
BUCKET = dt.timedelta(minutes=15)
# The rendered bundle stays in the cache a little longer than its bucket, never past it in use:
# the next bucket is another key.
CACHED_FOR = int(BUCKET.total_seconds()) * 2
# The headers a kept copy needs to be served as the page: its type, and the policy naming its
# nonce (without which its inline scripts would not run).
KEPT_HEADERS = ("Content-Type", "Content-Security-Policy")
# What the read log says of a client whose pages the bundle carried.
READ_AS = "visits kept offline"


class _NoneForTheCopy(BaseStorage):
    """A kept copy carries none of the carer's one-time messages ("Note saved."): shown later it
    would replay one that no longer applies, and the message would be spent on a page the carer
    never saw. Reads as empty; a message added while the copy is made goes to the carer's own
    store."""

    def __init__(self, request: HttpRequest, real: BaseStorage | None) -> None:
        super().__init__(request)
        self.real = real

    def _get(self, *args: Any, **kwargs: Any) -> tuple[list[Message], bool]:
        return [], True

    def _store(
        self, messages: list[Message], response: Any, *args: Any, **kw: Any
    ) -> list[Message]:
        return []

    def add(self, level: int, message: str, extra_tags: str | None = "") -> None:
        if self.real is not None:
            self.real.add(level, message, extra_tags)


@dataclass(frozen=True)
class Bundle:
    etag: str
    body: bytes  # gzip-compressed JSON
    clients: tuple[uuid.UUID, ...]  # read again whenever the pages are sent again


def etag_for(*, request: HttpRequest, user: User, team_id: uuid.UUID) -> str:
    """Members of the team only: anyone else gets the 404 of team_for_member."""
    team = team_for_member(user=user, team_id=team_id)
    head, incarnation = feed_position(team_id=team.id)
    bucket = int(timezone.now().timestamp() // BUCKET.total_seconds())
    # The CSRF secret the pages' tokens are made from (made now when the session has none yet,
    # and then set as the cookie of this answer).
    get_token(request)
    secret = request.META["CSRF_COOKIE"]
    named = f"{team.id}:{incarnation}:{head}:{user.pk}:{bucket}:{secret}"
    return 'W/"' + hashlib.sha256(named.encode()).hexdigest()[:32] + '"'


def bundle_get(*, request: HttpRequest, user: User, team_id: uuid.UUID, etag: str) -> Bundle:
    """The bundle of this ETag, from the cache or made now. The reads are written either way:
    the pages leave the server each time."""
    key = f"tablet-bundle:{etag}"
    found = cache.get(key)
    if not isinstance(found, Bundle):
        with access_log.reads_deferred():
            body, clients = _body(request=request, user=user, team_id=team_id)
        found = Bundle(etag=etag, body=gzip.compress(body, mtime=0), clients=clients)
        cache.set(key, found, CACHED_FOR)
    access_log.reads_record(user=user, client_ids=found.clients, what=READ_AS)
    return found


def _body(
    *, request: HttpRequest, user: User, team_id: uuid.UUID
) -> tuple[bytes, tuple[uuid.UUID, ...]]:
    kept = selectors.keep_for(user=user, team_id=team_id)
    body = {
        "user": str(user.pk),
        "team": str(team_id),
        "generated_at": timezone.now().isoformat(),
        "keep_days": settings.TABLET_KEEP_DAYS,
        "days": [day.isoformat() for day in kept.days],
        "visits": [
            {
                "id": str(k.visit.id),
                "client_id": str(k.visit.client_id),
                "label": f"{k.visit.client.full_name}, {selectors.local_time(k.visit, kept.zone)}",
                "version": k.visit.version,
                "card": k.card,
                "check_out": k.check_out,
                "note": k.note,
                "tasks": [{"key": t.key, "label": t.label} for t in k.tasks],
            }
            for k in kept.visits
        ],
        "pages": [_page(request, url) for url in kept.urls],
    }
    clients = tuple(sorted({k.visit.client_id for k in kept.visits}))
    return json.dumps(body, separators=(",", ":")).encode(), clients


def _page(request: HttpRequest, url: str) -> dict[str, Any]:
    """One kept page as its view makes it for this carer now; a page that is not there for them
    (gone, or no longer theirs) comes with its status and no body, for the tablet to say so."""
    parts = urlsplit(url)
    page = copy.copy(request)
    page.path = page.path_info = parts.path
    page.META = {**request.META, "PATH_INFO": parts.path, "QUERY_STRING": parts.query}
    page.GET = QueryDict(parts.query)
    page._csp_nonce = LazyNonce()  # type: ignore[attr-defined]
    page._messages = _NoneForTheCopy(page, getattr(request, "_messages", None))  # type: ignore[attr-defined]
    match = resolve(parts.path)
    page.resolver_match = match
    try:
        response = match.func(page, *match.args, **match.kwargs)
    except (DomainError, Http404, PermissionDenied):
        return {"url": url, "status": 404}
    if isinstance(response, SimpleTemplateResponse):
        response.render()
    if response.status_code != 200 or not isinstance(response, HttpResponse):
        return {"url": url, "status": response.status_code}
    ContentSecurityPolicyMiddleware(lambda r: response).process_response(page, response)
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    return {
        "url": url,
        "status": 200,
        "headers": headers,
        "body": response.content.decode(response.charset),
    }
