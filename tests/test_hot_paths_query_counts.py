"""Every hot path of issue 16 costs the same number of queries whatever the size of the world:
the member's own team grows (members, visits, notes, changes) and so does everyone else's
(teams and clients the member never sees). A member of another team gets 404 on each."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from careteams import access, changes
from careteams.context_processors import navigation
from careteams.incarnation import incarnation_get
from careteams.models import HolidayRegion, Membership, Role, Team, User
from clients.models import Client, ConsentBasis, FamilyAccess, Note, Relationship
from scheduling.models import Shift, Visit, VisitAssignment
from tests.conftest import Cast, make_user
from tests.scheduling.conftest import MONDAY, big_team, on

pytestmark = pytest.mark.django_db

# (name, kind, url for the world): each hot path of the issue's table.
Path = tuple[str, str, Callable[[Cast], str]]
PATHS: list[Path] = [
    ("API my day", "api", lambda w: f"/api/v1/teams/{w.team.id}/my-day?day={MONDAY}"),
    ("API client record", "api", lambda w: f"/api/v1/clients/{w.client.id}"),
    ("API sync pull", "api", lambda w: f"/api/v1/sync/{w.team.id}/changes?limit=100"),
    ("API team week", "api", lambda w: f"/api/v1/teams/{w.team.id}/week/{MONDAY}"),
    (
        "page my day",
        "page",
        lambda w: reverse("scheduling:my-day", kwargs={"team_id": w.team.id}) + f"?day={MONDAY}",
    ),
    (
        "page client record",
        "page",
        lambda w: reverse("clients:client-detail", kwargs={"client_id": w.client.id}),
    ),
    (
        "page week board",
        "page",
        lambda w: reverse("scheduling:week", kwargs={"team_id": w.team.id, "week": str(MONDAY)}),
    ),
]


def grow(world: Cast, *, size: int) -> None:
    """Add to the world: `size` more teams of strangers (with their clients, visits and
    family), and more of everything the nurse's own pages show."""
    for n in range(size):
        team = Team.objects.create(name=f"Far {size}.{n}", holiday_subdivision=HolidayRegion.WALES)
        big_team(team, members=4 * size, visits=40 * size, seed=n)
        far_client = Client.objects.filter(team=team).first()
        assert far_client is not None
        FamilyAccess.objects.create(
            client=far_client,
            person=make_user(f"fam{size}.{n}@example.test", "Fam", "Ily"),
            relationship=Relationship.CHILD,
            consent_basis=ConsentBasis.CLIENT_CONSENT,
            granted_by=world.nurse,
            accepted_at=timezone.now(),
        )
    now = timezone.now()
    Note.objects.bulk_create(
        Note(
            id=uuid.uuid4(),
            team_id=world.client.team_id,
            client=world.client,
            author=world.nurse,
            body=f"Note {size}.{n}",
            recorded_at=now - dt.timedelta(minutes=n),
        )
        for n in range(15 * size)
    )
    for n in range(6 * size):
        visit = Visit.objects.create(
            team=world.team,
            client=world.client if n % 2 else world.other_client_same_team,
            planned_start=on(0, f"{8 + n % 9:02d}:{(n * 7) % 60:02d}"),
            planned_end=on(0, f"{8 + n % 9:02d}:{(n * 7) % 60:02d}") + dt.timedelta(minutes=20),
        )
        VisitAssignment.objects.create(visit=visit, member=world.nurse_membership)
    carers = [
        Membership.objects.create(
            user=make_user(f"own{size}.{n}@example.test", f"Carer{n}", "Ellis"),
            team=world.team,
            role=Role.CARE_WORKER,
        )
        for n in range(3 * size)
    ]
    Shift.objects.bulk_create(
        Shift(team=world.team, member=m, start=on(d, "07:00"), end=on(d, "15:00"))
        for m in carers
        for d in range(5)
    )
    for n in range(40 * size):
        visit = Visit.objects.create(
            team=world.team,
            client=world.other_client_same_team,
            planned_start=on(n % 7, f"{7 + n % 9:02d}:{(n * 5) % 60:02d}"),
            planned_end=on(n % 7, f"{7 + n % 9:02d}:{(n * 5) % 60:02d}") + dt.timedelta(minutes=25),
        )
        VisitAssignment.objects.create(visit=visit, member=carers[n % len(carers)])
    with transaction.atomic():
        for n in range(30 * size):
            client = Client.objects.create(team=world.team, given_name=f"C{n}", family_name="X")
            changes.record(
                team=world.team, entity="client", obj=client, actor=world.nurse, client_id=client.id
            )
    incarnation_get()


class Member:
    """A signed-in member both ways: a page session and an API token."""

    def __init__(self, user: User) -> None:
        self.browser = Browser()
        self.browser.force_login(user)
        self.token = tokens.token_issue(user=user, name="Tablet").token

    def get(self, kind: str, url: str) -> Any:
        if kind == "api":
            return self.browser.get(url, headers={"Authorization": f"Bearer {self.token}"})
        return self.browser.get(url)


def queries_of(member: Member, world: Cast) -> dict[str, int]:
    """Each path's query count, after one request that warms what any first request does once
    (the session's bookkeeping, the feed's incarnation)."""
    counts: dict[str, int] = {}
    for name, kind, url in PATHS:
        assert member.get(kind, url(world)).status_code == 200, name
        with CaptureQueriesContext(connection) as captured:
            response = member.get(kind, url(world))
        assert response.status_code == 200, name
        counts[name] = len(captured)
    return counts


def test_every_hot_path_takes_the_same_queries_in_a_small_and_a_larger_world(cast: Cast) -> None:
    nurse = Member(cast.nurse)
    grow(cast, size=1)
    small = queries_of(nurse, cast)
    grow(cast, size=5)
    larger = queries_of(nurse, cast)
    assert larger == small
    assert Team.objects.count() == 2 + 1 + 5  # the cast's two, then one and five more


def test_a_member_of_another_team_gets_404_on_every_hot_path(cast: Cast) -> None:
    grow(cast, size=1)
    stranger = Member(cast.other_nurse)
    for name, kind, url in PATHS:
        response = stranger.get(kind, url(cast))
        assert response.status_code == 404, name


def nav_queries(user: User) -> tuple[int, list[str]]:
    """The navigation's own queries on a page, once the request has read the user's scope."""
    request = Browser().get("/").wsgi_request
    request.user = user
    with access.request_scope():
        access.scope_ids(user)
        with CaptureQueriesContext(connection) as captured:
            nav = navigation(request)
    assert nav["nav"]
    return len(captured), [q["sql"] for q in captured]


@pytest.mark.parametrize("who", ["nurse", "coach", "family"])
def test_the_navigation_takes_at_most_one_query_and_never_reads_the_clients(
    cast: Cast, who: str
) -> None:
    user: User = getattr(cast, who)
    small, _ = nav_queries(user)
    grow(cast, size=3)
    larger, sql = nav_queries(user)
    assert small == larger <= 1
    assert not any("clients_client" in text for text in sql)
