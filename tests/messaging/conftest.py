"""Messages and handover notes of the standing cast, written through the services."""

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone

from careteams.models import Membership, User
from clients.models import Client
from messaging import services
from messaging.models import ClientMessage, HandoverNote, TeamMessage
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast
from tests.mobile_api.conftest import _fresh_rate_limits, api_as  # noqa: F401


def client_message(
    cast: Cast,
    body: str = "Dafydd asked for his tea earlier.",
    *,
    shared: bool = False,
    client: Client | None = None,
    author: User | None = None,
) -> ClientMessage:
    return services.message_post_client(
        client=client or cast.client,
        author=author or cast.nurse,
        body=body,
        message_id=uuid.uuid4(),
        shared_with_family=shared,
    )


def team_message(
    cast: Cast, body: str = "Meeting moved to Thursday.", *, author: User | None = None
) -> TeamMessage:
    return services.message_post_team(
        team=cast.team, author=author or cast.nurse, body=body, message_id=uuid.uuid4()
    )


def handover(
    cast: Cast,
    body: str = "Key safe is stiff: push before turning.",
    *,
    client: Client | None = None,
    author: User | None = None,
) -> HandoverNote:
    return services.handover_write(
        team=cast.team,
        author=author or cast.nurse,
        body=body,
        handover_id=uuid.uuid4(),
        client=client,
    )


@pytest.fixture
def visit_later_today(cast: Cast) -> Callable[..., Visit]:
    """A visit to a client starting `hours` from now, assigned to `member` (the carer)."""

    def make(
        member: Membership | None = None, client: Client | None = None, hours: float = 1
    ) -> Visit:
        start = timezone.now() + dt.timedelta(hours=hours)
        visit = Visit.objects.create(
            team=cast.team,
            client=client or cast.client,
            planned_start=start,
            planned_end=start + dt.timedelta(minutes=30),
        )
        VisitAssignment.objects.create(visit=visit, member=member or cast.carer_membership)
        return visit

    return make
