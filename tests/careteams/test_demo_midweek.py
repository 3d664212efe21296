"""The demo world on a Wednesday noon, built once for these checks (this week only, to be
quick): the week's shifts, the visits already done, the notes written so far, and that two builds
from nothing give the same world."""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from careteams.models import Change
from clients.models import Client, Note
from demo.world import build_demo_world
from scheduling.models import Shift, Visit, VisitStatus
from tests.careteams.demo_times import (
    MIDWEEK,
    assert_this_weeks_visits_fall_in_the_teams_local_week,
)
from tests.conftest import empty_database

Snapshot = tuple[list[tuple[str, str, str | None, str]], int, int]


def snapshot() -> Snapshot:
    clients = Client.objects.order_by("nhs_number").values_list(
        "given_name", "family_name", "nhs_number", "postcode"
    )
    return list(clients), Visit.objects.count(), Note.objects.count()


@pytest.fixture(scope="module")
def midweek_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Snapshot]:
    """Built twice from nothing: once in a transaction rolled back, whose snapshot it yields
    for the determinism check, then for good, for these checks."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            build_demo_world(now=MIDWEEK, span_days=0)
            first = snapshot()
            transaction.set_rollback(True)
        build_demo_world(now=MIDWEEK, span_days=0)
        yield first
        empty_database()


@pytest.fixture
def midweek(midweek_world: Snapshot, db: None) -> Snapshot:
    """Each test reads the world in a transaction of its own, rolled back."""
    return midweek_world


def test_the_week_has_shifts_with_breaks_and_a_day_and_a_halfs_rest(midweek: Snapshot) -> None:
    assert Shift.objects.exists()
    by_member = defaultdict(list)
    for shift in Shift.objects.order_by("start"):
        assert shift.break_minutes == 30
        assert shift.end - shift.start == dt.timedelta(hours=8)
        by_member[shift.member_id].append(shift)
    for shifts in by_member.values():
        for before, after in itertools.pairwise(shifts):
            assert after.start - before.end >= dt.timedelta(hours=11)
    kinds = set(
        Change.objects.filter(entity="absence").values_list("data__kind", flat=True).distinct()
    )
    assert {"annual_leave", "sickness"} <= kinds


def test_visits_already_over_were_done_by_their_carers(midweek: Snapshot) -> None:
    done = Visit.objects.filter(status=VisitStatus.DONE)
    assert done.exists()
    for visit in done:
        assert visit.planned_end <= MIDWEEK
        assert visit.checked_in_at is not None
        assert visit.checked_out_at is not None
        assert visit.checked_out_at >= visit.checked_in_at
        assert visit.assignments.count() == visit.carers_needed
    assert not Visit.objects.filter(planned_start__gt=MIDWEEK).exclude(status="planned").exists()


def test_one_note_amends_another_and_one_arrived_hours_after_it_was_written(
    midweek: Snapshot,
) -> None:
    amendment = Note.objects.get(amends__isnull=False)
    assert amendment.amends is not None
    assert amendment.amends.client_id == amendment.client_id
    assert amendment.recorded_at > amendment.amends.recorded_at
    late = [n for n in Note.objects.all() if n.received_at - n.recorded_at > dt.timedelta(hours=2)]
    assert len(late) == 1
    assert late[0].body.startswith("Late entry")
    assert Note.objects.count() >= 30
    assert all(n.received_at <= MIDWEEK for n in Note.objects.all())


def test_this_weeks_visits_fall_in_the_teams_local_week(midweek: Snapshot) -> None:
    assert_this_weeks_visits_fall_in_the_teams_local_week(MIDWEEK)


def test_the_builder_is_deterministic(midweek: Snapshot) -> None:
    """The world built for good is the one built first and rolled back."""
    assert snapshot() == midweek
