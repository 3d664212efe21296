"""The morning profiler (bench/load/profile_morning.py) runs the bench's own carer's morning in
its process: every step reaches the app and is counted by kind, with its CPU and its queries,
and the visit is done at the end."""

import argparse
import asyncio
import datetime as dt
from collections import defaultdict

import pytest
import time_machine

from bench.load import morning_people
from bench.load.morning import morning
from bench.load.morning_http import Tally
from bench.load.profile_morning import InProcess, table
from scheduling.models import Visit, VisitAssignment, VisitStatus
from tests.conftest import Cast

WEDNESDAY = dt.datetime(2026, 12, 2, 7, 30, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_a_carers_morning_in_process_checks_in_and_out_and_counts_each_kind(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    with time_machine.travel(WEDNESDAY + dt.timedelta(hours=2), tick=False):
        visit = Visit.objects.create(
            team=cast.team,
            client=cast.client,
            planned_start=WEDNESDAY + dt.timedelta(hours=2),
            planned_end=WEDNESDAY + dt.timedelta(hours=2, minutes=30),
            tasks=["Breakfast", "Medicines prompt"],
        )
        VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
        people = morning_people.sign_in(carers=1, planners=0, readers=0)
        tally = Tally()
        figures: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
        sequence = argparse.Namespace(think=0.0, timeout=30.0, visits=3, no_sockets=True)
        connection = InProcess(tally, figures)
        asyncio.run(morning("http://127.0.0.1", people.carers[0], tally, sequence, connection))
        morning_people.sign_out(people)

    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert not tally.statuses, dict(tally.statuses)
    assert {kind: len(found) for kind, found in figures.items()} == {
        "me": 1, "my day": 1, "my day cards": 1, "sync pull": 2, "visit card": 1,
        "check in": 1, "task outcome": 2, "note": 1, "check out": 1, "sync push": 1,
    }  # fmt: skip
    assert all(queries > 0 for found in figures.values() for _, _, queries in found)
    assert "| every request | 12 |" in table(figures, tally)
