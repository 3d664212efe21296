"""Figures for commissioners: the sums equal the records, small numbers are withheld, nothing
names a client, the team and its coach may read them and nobody else."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import CareProblem, Client, OutcomeRating
from scheduling.models import Visit, VisitAssignment
from sharing.selectors.figures import commissioner_report
from tests.conftest import Cast, at

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]

NOW = at("2030-12-10 09:00")
RANGE = {"from": "2030-10-01", "to": "2030-11-30"}


def visit(cast: Cast, client: Client, start: dt.datetime, **kw: Any) -> Visit:
    made = Visit.objects.create(
        team=cast.team,
        client=client,
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
        **kw,
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


def world(cast: Cast) -> list[Client]:
    """Six clients in October, each visited once and checked in and out, one more visit missed
    and one cancelled; six circulation problems rated twice, and two residence problems. In
    November three clients only."""
    clients = [cast.client, cast.other_client_same_team] + [
        Client.objects.create(team=cast.team, given_name="Anwen", family_name=f"Prydderch{n}")
        for n in range(4)
    ]
    for n, person in enumerate(clients):
        start = at(f"2030-10-{n + 7:02d} 09:00")
        visit(
            cast,
            person,
            start,
            status="done",
            checked_in_at=start,
            checked_out_at=start + dt.timedelta(minutes=50),
        )
        problem = CareProblem.objects.create(
            client=person, problem_code="27", identified_on=dt.date(2030, 9, 1)
        )
        for day, status in ((2, 2), (20, 4)):
            OutcomeRating.objects.create(
                problem=problem,
                knowledge=3,
                behaviour=3,
                status=status,
                rated_on=dt.date(2030, 10, day),
                rated_by=cast.nurse,
            )
    for person in clients[:2]:
        CareProblem.objects.create(
            client=person, problem_code="03", identified_on=dt.date(2030, 10, 1)
        )
    visit(cast, clients[0], at("2030-10-20 09:00"), status="missed")
    visit(cast, clients[1], at("2030-10-21 09:00"), status="cancelled")
    for n, person in enumerate(clients[:3]):
        start = at(f"2030-11-{n + 4:02d} 09:00")
        visit(
            cast,
            person,
            start,
            status="done",
            checked_in_at=start,
            checked_out_at=start + dt.timedelta(minutes=30),
        )
    return clients


@pytest.fixture(autouse=True)
def _december() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def get(client: HttpClient, cast: Cast, kind: str, **params: str) -> Any:
    url = reverse(f"sharing:commissioner-{kind}", kwargs={"team_id": cast.team.id})
    return client.get(url, params or RANGE)


def test_the_months_sums_equal_the_records(client: HttpClient, cast: Cast) -> None:
    world(cast)
    client.force_login(cast.nurse)
    report = get(client, cast, "json").json()
    assert report["schema"] == "careteams/commissioner-figures/1"
    october, november = report["months"]
    done = Visit.objects.filter(status="done", planned_start__lt=at("2030-11-01 00:00"))
    delivered = sum(
        (v.checked_out_at - v.checked_in_at).total_seconds() / 3600
        for v in done
        if v.checked_out_at and v.checked_in_at
    )
    assert october["hours_delivered"] == round(delivered, 2) == 5.0
    assert october["hours_planned"] == 7.0  # six done and one missed, an hour each
    assert october["visits_planned"] == 7
    assert october["visits_done"] == 6
    assert october["visits_missed"] == 1
    assert october["clients"] == 6
    assert october["carers_per_client"] == 1.0
    physiological = next(d for d in october["domains"] if d["domain"] == "physiological")
    assert physiological["clients"] == 6
    assert physiological["problems_rated"] == 6
    assert physiological["status_change"] == 2.0
    assert november["hours_delivered"] == 1.5
    assert november["visits_done"] == 3


def test_counts_under_five_clients_are_withheld(client: HttpClient, cast: Cast) -> None:
    world(cast)
    client.force_login(cast.nurse)
    october, november = get(client, cast, "json").json()["months"]
    environmental = next(d for d in october["domains"] if d["domain"] == "environmental")
    assert environmental["clients"] is None
    assert "environmental.clients" in october["suppressed"]
    assert november["clients"] is None
    assert november["carers_per_client"] is None
    assert "clients" in november["suppressed"]
    rows = list(csv.DictReader(io.StringIO(get(client, cast, "csv").content.decode())))
    assert [r["month"] for r in rows] == ["2030-10", "2030-11"]
    assert rows[1]["clients"] == "suppressed"
    assert rows[0]["environmental_clients"] == "suppressed"
    assert rows[0]["physiological_clients"] == "6"
    assert rows[0]["hours_delivered"] == "5.0"


def test_no_client_name_or_id_is_in_either_output(client: HttpClient, cast: Cast) -> None:
    clients = world(cast)
    client.force_login(cast.coach)
    for kind in ("json", "csv"):
        text = get(client, cast, kind).content.decode()
        for person in Client.objects.all():
            for mark in (person.given_name, person.family_name, str(person.id)):
                assert mark not in text
        for problem in CareProblem.objects.filter(client__in=clients):
            assert str(problem.id) not in text


def test_the_coach_may_read_them_and_another_team_or_family_may_not(
    client: HttpClient, cast: Cast
) -> None:
    for person, status in (
        (cast.coach, 200),
        (cast.nurse, 200),
        (cast.other_nurse, 404),
        (cast.family, 404),
        (cast.client_user, 404),
    ):
        client.force_login(person)
        assert get(client, cast, "json").status_code == status
        assert get(client, cast, "csv").status_code == status


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2030-11-30"}, "from"),
        ({"from": "2030-13-01", "to": "2030-11-30"}, "from"),
        ({"from": "2030-10-01"}, "to"),
        ({"from": "2030-10-01", "to": "30/11/2030"}, "to"),
        ({"from": "2030-10-01", "to": "2030-09-30"}, "to"),
        ({"from": "2026-01-01", "to": "2030-09-30"}, "to"),
    ],
)
def test_a_bad_date_is_a_400_naming_the_field(
    client: HttpClient, cast: Cast, params: dict[str, str], field: str
) -> None:
    client.force_login(cast.nurse)
    answer = get(client, cast, "json", **params)
    assert answer.status_code == 400
    assert f"{field}:" in answer.content.decode()


def test_a_report_reads_in_eight_queries_however_many_months(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    world(cast)
    for months in (("2030-10-01", "2030-10-31"), ("2029-01-01", "2030-11-30")):
        with django_assert_num_queries(8):
            commissioner_report(
                user=cast.coach,
                team_id=cast.team.id,
                first=dt.date.fromisoformat(months[0]),
                last=dt.date.fromisoformat(months[1]),
            )


def test_the_trends_page_offers_both_downloads_for_a_range(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.coach)
    page = client.get(reverse("teamwork:trends", kwargs={"team_id": cast.team.id}))
    text = page.content.decode()
    for kind in ("csv", "json"):
        assert reverse(f"sharing:commissioner-{kind}", kwargs={"team_id": cast.team.id}) in text
    assert 'name="from"' in text
    assert 'name="to"' in text
