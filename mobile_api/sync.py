"""Offline sync: pull the team's changes after a cursor; push a batch of offline mutations."""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import GetJsonSchemaHandler
from pydantic_core import core_schema

from careteams import access_log, incarnation
from careteams.errors import NotFound
from mobile_api import feed_view, selectors
from mobile_api.problems import ERRORS_FOR_READS, ERRORS_FOR_WRITES, error_responses
from mobile_api.push import apply_batch
from mobile_api.schemas.sync import ChangesOut, MutationsIn, MutationsOut
from mobile_api.schemas.types import Storable, Text
from mobile_api.security import DeviceTokenAuth, PageSessionAuth, user_of
from scheduling import selectors as rota


# A device's token, or the tablet web app's page session with its CSRF token (docs/sync.md).
def rendered(request: HttpRequest, page: dict[str, Any]) -> HttpResponse:
    """The page as ninja renders a `ChangesOut` it has checked, without the check: the page is
    already of that shape, made from the feed's own rows (`feed_view.changes_after`), and
    checking a hundred changes against the schema was half the pull's CPU (issue 29).
    tests/mobile_api/test_sync_rendered.py holds the two renderings equal."""
    body = JSONRenderer().render(request, page, response_status=200)
    return HttpResponse(
        body, content_type=f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"
    )


router = Router(tags=["Offline sync"], auth=[DeviceTokenAuth(), PageSessionAuth()])
MAX_CHANGES = 1000


@dataclass(frozen=True)
class _CursorText(Storable):
    """A cursor (docs/sync.md, "Cursors"), checked by its pattern, which the OpenAPI document
    gives instead of Storable's (it allows no NUL either)."""

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), "pattern": incarnation.CURSOR_PATTERN}


class ChangesQuery(Schema):
    after: Annotated[str, _CursorText()] = Field(
        "0",
        pattern=incarnation.CURSOR_PATTERN,
        description="The cursor from the last pull's next_cursor (or a push's cursor): "
        "<seq>.<check>; 0 for the start.",
    )
    limit: int = Field(500, ge=1, le=MAX_CHANGES)
    incarnation: Text | None = Field(
        None, max_length=64, description="The incarnation the cursor belongs to (from a pull)."
    )


@router.get(
    "/sync/{team_id}/changes",
    response={200: ChangesOut, **error_responses((*ERRORS_FOR_READS, 409))},
    summary="The team's changes after a cursor, in order, as this user may see them",
)
def changes(request: HttpRequest, team_id: uuid.UUID, query: Query[ChangesQuery]) -> HttpResponse:
    user = user_of(request)
    page = feed_view.changes_after(
        user=user,
        team_id=team_id,
        after=parse_cursor(query.after),
        limit=query.limit,
        incarnation=query.incarnation,
    )
    # A deletion carries nothing of the client; a coach's changes carry no client at all.
    carried = (c["client"] for c in page["changes"] if c["data"])
    access_log.reads_record(user=user, client_ids=carried, what="sync")
    return rendered(request, page)


@router.post(
    "/sync/{team_id}/mutations",
    response={200: MutationsOut, **error_responses(ERRORS_FOR_WRITES)},
    summary="Apply a batch of offline mutations, each at most once, each on its own",
)
def push(request: HttpRequest, team_id: uuid.UUID, payload: MutationsIn) -> dict[str, Any]:
    user = user_of(request)
    former = None
    try:
        team = rota.team_for_member(user=user, team_id=team_id)
    except NotFound:
        # A leaver's tablet: what they wrote while a member is still taken (mobile_api/late.py);
        # anyone who never was a member of the team still gets the 404.
        former = selectors.membership_ended(user=user, team_id=team_id)
        if former is None:
            raise
        team = former.team
    results = apply_batch(user=user, team=team, mutations=payload.mutations, former=former)
    head, current = incarnation.feed_position(team_id=team.id)
    cursor = incarnation.cursor_at(team_id=team.id, seq=head)
    return {"results": results, "cursor": cursor, "incarnation": current}


def parse_cursor(text: str) -> incarnation.Cursor:
    cursor = incarnation.cursor_parse(text)
    assert cursor is not None, "the query's pattern is the cursor's"
    return cursor
