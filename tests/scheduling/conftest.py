"""Rota fixtures on top of the standing cast: a week well in the future (so offers are still to
come), shifts, a pattern and a way to build a full 12-member team."""

import datetime as dt
import random
from collections.abc import Callable

import pytest

from careteams.models import Membership, Role, Team
from clients.models import Client
from scheduling.models import Shift, Visit, VisitAssignment, VisitPattern
from tests.conftest import Cast, at, make_user

MONDAY = dt.date(2030, 11, 25)  # a Monday, in England with no bank holiday


def on(day: int, time: str) -> dt.datetime:
    """A London time on the nth day (0 = Monday) of the test week."""
    return at(f"{MONDAY + dt.timedelta(days=day)} {time}")


@pytest.fixture
def monday() -> dt.date:
    return MONDAY


@pytest.fixture
def make_shift(cast: Cast) -> Callable[..., Shift]:
    def make(member: Membership, day: int, start: str = "07:00", end: str = "15:00") -> Shift:
        return Shift.objects.create(
            team=member.team,
            member=member,
            start=on(day, start),
            end=on(day, end),
            break_minutes=30,
        )

    return make


@pytest.fixture
def make_visit(cast: Cast) -> Callable[..., Visit]:
    def make(
        client: Client | None = None,
        day: int = 0,
        start: str = "09:00",
        end: str = "09:30",
        **fields: object,
    ) -> Visit:
        client = client or cast.client
        # planned_start and planned_end may be given outright (a visit happening now).
        times = {"planned_start": on(day, start), "planned_end": on(day, end)}
        return Visit.objects.create(team=client.team, client=client, **{**times, **fields})

    return make


@pytest.fixture
def pattern(cast: Cast) -> VisitPattern:
    """Dafydd: weekday mornings at 08:00 for 30 minutes, insulin, by one carer."""
    return VisitPattern.objects.create(
        team=cast.team,
        client=cast.client,
        weekdays=[1, 2, 3, 4, 5],
        window_start=dt.time(8, 0),
        window_end=dt.time(8, 30),
        duration_minutes=30,
        required_skills=["insulin"],
        carers_needed=1,
        tasks=["Insulin", "Breakfast"],
        valid_from=MONDAY - dt.timedelta(days=30),
    )


def big_team(team: Team, *, members: int = 12, visits: int = 400, seed: int = 7) -> None:
    """A full team: `members` members with a week of shifts, `visits` visits over 30 clients,
    most of them assigned. Used by the query-count test and the benchmarks."""
    rng = random.Random(seed)
    people = [
        Membership.objects.create(
            user=make_user(f"m{n}.{team.pk}@example.test", f"Member{n}", "Łoś-Ní Bhriain"),
            team=team,
            role=Role.CARE_WORKER,
            contracted_hours=30,
            skills=["medication"],
        )
        for n in range(members)
    ]
    Shift.objects.bulk_create(
        Shift(team=team, member=p, start=on(d, "07:00"), end=on(d, "15:00"), break_minutes=30)
        for p in people
        for d in range(5)
    )
    clients = [
        Client.objects.create(team=team, given_name=f"Client{n}", family_name="Llŷr")
        for n in range(30)
    ]
    made = Visit.objects.bulk_create(
        Visit(
            team=team,
            client=rng.choice(clients),
            planned_start=on(n % 7, f"{7 + n % 8:02d}:{(n * 5) % 60:02d}"),
            planned_end=on(n % 7, f"{7 + n % 8:02d}:{(n * 5) % 60:02d}") + dt.timedelta(minutes=25),
            carers_needed=2 if n % 10 == 0 else 1,
        )
        for n in range(visits)
    )
    from scheduling.models import VisitAssignment

    VisitAssignment.objects.bulk_create(
        VisitAssignment(team=team, visit=visit, member=rng.choice(people))
        for visit in made
        if rng.random() < 0.8
    )


@pytest.fixture
def world(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> tuple[Visit, Membership]:
    """Monday 09:00 insulin visit to Dafydd, open. The carer is on shift but busy then and has
    no insulin skill; the nurse has no shift; a third carer is on shift, free, and has seen
    Dafydd three times before."""
    third = Membership.objects.create(
        user=make_user("third@example.test", "Ffion", "Morgan"),
        team=cast.team,
        role=Role.CARE_WORKER,
        contracted_hours=20,
        skills=["insulin"],
    )
    make_shift(cast.carer_membership, 0)
    make_shift(third, 0)
    for client, place in (
        (cast.client, (51.48, -3.18)),
        (cast.other_client_same_team, (51.5, -3.2)),
    ):
        client.latitude, client.longitude = place
        client.save()
    busy = make_visit(cast.other_client_same_team, 0, "09:10", "09:40")
    VisitAssignment.objects.create(team=cast.team, visit=busy, member=cast.carer_membership)
    before = make_visit(cast.other_client_same_team, 0, "08:00", "08:30")
    VisitAssignment.objects.create(team=cast.team, visit=before, member=third)
    for week in (1, 2, 3):
        earlier = make_visit(cast.client, -7 * week, "09:00", "09:30")
        VisitAssignment.objects.create(team=cast.team, visit=earlier, member=third)
    visit = make_visit(cast.client, 0, "09:00", "09:30", required_skills=["insulin"])
    return visit, third
