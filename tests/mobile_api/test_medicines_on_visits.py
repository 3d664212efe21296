"""The doses of a visit in the API's my day and visit card: each dose due in the visit's window
with the record that stands; my day reads them for every visit in the same few queries."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careteams.models import User
from clients.models import Client
from medicines import services
from medicines.models import MedicineLine
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast, at
from tests.medicines.helpers import details
from tests.mobile_api.conftest import Api

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]

NOW = at("2026-11-25 07:30")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def checked(cast: Cast, client: Client, **over: object) -> MedicineLine:
    line = services.line_add(user=cast.nurse, client=client, details=details(**over))
    return services.line_check(user=cast.carer, line=line, version=line.version)


def carers_visit(cast: Cast, client: Client, start: str) -> Visit:
    moment = at(start)
    visit = Visit.objects.create(
        team=cast.team,
        client=client,
        planned_start=moment,
        planned_end=moment + dt.timedelta(minutes=30),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit


def test_the_visit_card_and_my_day_carry_the_doses_due_in_each_visits_window(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    checked(cast, cast.client, times=["08:00", "18:00"], time_critical=True)
    morning = carers_visit(cast, cast.client, "2026-11-25 08:00")
    lunch = carers_visit(cast, cast.client, "2026-11-25 12:30")
    tablet = api_as(cast.carer)
    card = tablet.get(f"/teams/{cast.team.id}/visits/{morning.id}/card").json()
    [dose] = card["doses"]
    assert dose["name"] == "Ramipril 5 mg"
    assert dose["dose"] == "1 capsule"
    assert dose["due_at"] == "2026-11-25T08:00:00Z"
    assert dose["time_critical"] is True
    assert dose["record"] is None
    day = tablet.get(f"/teams/{cast.team.id}/my-day/visits", day="2026-11-25").json()
    doses = {v["id"]: [d["due_at"] for d in v["doses"]] for v in day["visits"]}
    assert doses == {str(morning.id): ["2026-11-25T08:00:00Z"], str(lunch.id): []}


def test_a_recorded_dose_shows_who_recorded_it(cast: Cast, api_as: Callable[[User], Api]) -> None:
    from scheduling.services import visits as visit_services

    line = checked(cast, cast.client)
    visit = carers_visit(cast, cast.client, "2026-11-25 07:45")
    visit = visit_services.visit_check_in(
        visit=visit,
        version=visit.version,
        member=cast.carer_membership,
        actor=cast.carer,
        at=NOW,
    )
    with time_machine.travel(at("2026-11-25 08:01"), tick=False):
        services.dose_record(
            user=cast.carer,
            line=line,
            visit=visit,
            due_at=at("2026-11-25 08:00"),
            outcome="given",
            record_id=uuid.uuid4(),
        )
        card = api_as(cast.carer).get(f"/teams/{cast.team.id}/visits/{visit.id}/card").json()
    [dose] = card["doses"]
    assert dose["record"]["outcome"] == "given"
    assert dose["record"]["by_name"] == "Aoife Ní Bhriain"


def test_my_day_reads_the_doses_of_every_visit_in_the_same_queries(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    tablet = api_as(cast.carer)
    url = f"/teams/{cast.team.id}/my-day/visits"
    checked(cast, cast.client)
    carers_visit(cast, cast.client, "2026-11-25 08:00")
    tablet.get(url, day="2026-11-25")
    with CaptureQueriesContext(connection) as few:
        tablet.get(url, day="2026-11-25")
    for n in range(4):
        client = Client.objects.create(team=cast.team, given_name=f"C{n}", family_name="X")
        checked(cast, client, name=f"Drug {n}", times=["08:00", "09:00"])
        carers_visit(cast, client, f"2026-11-25 {8 + n:02d}:30")
    with CaptureQueriesContext(connection) as many:
        body = tablet.get(url, day="2026-11-25").json()
    # 08:00 and 09:00 (an hour either side) meet the visits at 08:00, 08:30 and 09:30 only.
    assert sum(len(v["doses"]) for v in body["visits"]) == 1 + 2 + 1
    assert len(many) - len(few) <= 2  # the clients' read log and key-safe rows grow by rows


def test_a_dose_with_the_morning_visit_comes_with_that_visit_in_the_card_and_my_day(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    checked(cast, cast.client, times=[], visit_part="morning")
    morning = carers_visit(cast, cast.client, "2026-11-25 09:15")
    lunch = carers_visit(cast, cast.client, "2026-11-25 12:30")
    tablet = api_as(cast.carer)
    [dose] = tablet.get(f"/teams/{cast.team.id}/visits/{morning.id}/card").json()["doses"]
    assert (dose["due_at"], dose["visit_part"]) == ("2026-11-25T09:15:00Z", "morning")
    assert (dose["window_start"], dose["window_end"]) == (
        "2026-11-25T09:15:00Z",
        "2026-11-25T09:45:00Z",
    )
    day = tablet.get(f"/teams/{cast.team.id}/my-day/visits", day="2026-11-25").json()
    doses = {v["id"]: [d["due_at"] for d in v["doses"]] for v in day["visits"]}
    assert doses == {str(morning.id): ["2026-11-25T09:15:00Z"], str(lunch.id): []}
    lines = tablet.get(f"/clients/{cast.client.id}/medicines").json()["lines"]
    assert [(ln["times"], ln["visit_part"]) for ln in lines] == [([], "morning")]


def test_my_day_reads_visit_doses_in_the_same_queries_however_many_clients(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    tablet = api_as(cast.carer)
    url = f"/teams/{cast.team.id}/my-day/visits"
    checked(cast, cast.client, times=[], visit_part="morning")
    carers_visit(cast, cast.client, "2026-11-25 08:00")
    tablet.get(url, day="2026-11-25")
    with CaptureQueriesContext(connection) as few:
        tablet.get(url, day="2026-11-25")
    for n in range(4):
        client = Client.objects.create(team=cast.team, given_name=f"C{n}", family_name="X")
        checked(cast, client, name=f"Drug {n}", times=[], visit_part="morning")
        carers_visit(cast, client, f"2026-11-25 {7 + n:02d}:30")
    with CaptureQueriesContext(connection) as many:
        body = tablet.get(url, day="2026-11-25").json()
    assert sum(len(v["doses"]) for v in body["visits"]) == 5
    assert len(many) - len(few) <= 2  # the clients' read log and key-safe rows grow by rows
