"""One member, one shift at a time, even when many writers try at once: the service checks for
an overlap under the team lock, and on PostgreSQL an exclusion constraint refuses it whoever
writes. These tests commit, from threads, so they run on PostgreSQL only (set DATABASE_URL and
pass --create-db).
"""

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction

from careteams.errors import DomainError
from scheduling.models import Shift
from scheduling.services import shifts
from tests.conftest import Cast

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"
    ),
]

WRITERS = 20
START = dt.datetime(2030, 11, 25, 7, 0, tzinfo=dt.UTC)


def test_twenty_overlapping_shifts_created_at_once_leave_exactly_one(cast: Cast) -> None:
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def create(n: int) -> None:
        try:
            barrier.wait()
            # Each overlaps every other: 07:00 + n minutes, for eight hours.
            start = START + dt.timedelta(minutes=n)
            shifts.shift_create(
                team=cast.team,
                member=cast.carer_membership,
                start=start,
                end=start + dt.timedelta(hours=8),
                kind="early",
                actor=cast.nurse,
            )
            outcome = "created"
        except DomainError as error:
            outcome = f"refused {error.field}"
        except Exception as error:  # any other failure is the test's finding
            outcome = f"failed {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["created"] + ["refused start"] * (WRITERS - 1)
    assert Shift.objects.filter(member=cast.carer_membership).count() == 1


def test_the_database_refuses_an_overlapping_shift_whoever_writes(cast: Cast) -> None:
    Shift.objects.create(
        team=cast.team, member=cast.carer_membership, start=START, end=START + dt.timedelta(hours=8)
    )
    later = START + dt.timedelta(hours=4)
    with pytest.raises(IntegrityError, match=shifts.NO_OVERLAP), transaction.atomic():
        Shift.objects.create(
            team=cast.team,
            member=cast.carer_membership,
            start=later,
            end=later + dt.timedelta(hours=8),
        )
    # Another member, or the same member straight after: allowed.
    Shift.objects.create(
        team=cast.team, member=cast.nurse_membership, start=later, end=later + dt.timedelta(hours=8)
    )
    end = START + dt.timedelta(hours=8)
    Shift.objects.create(
        team=cast.team, member=cast.carer_membership, start=end, end=end + dt.timedelta(hours=2)
    )


def test_the_constraints_refusal_is_the_services_own_overlap_error(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a writer ever get past the check (a new path, a bug), the database refuses and the
    caller hears the same words as from the check."""
    Shift.objects.create(
        team=cast.team, member=cast.carer_membership, start=START, end=START + dt.timedelta(hours=8)
    )
    real = shifts._clash
    calls: list[int] = []

    def blind_once(**kwargs: Any) -> DomainError | None:
        calls.append(1)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(shifts, "_clash", blind_once)
    with pytest.raises(DomainError) as refused:
        shifts.shift_create(
            team=cast.team,
            member=cast.carer_membership,
            start=START + dt.timedelta(hours=1),
            end=START + dt.timedelta(hours=9),
            kind="early",
            actor=cast.nurse,
        )
    assert refused.value.field == "start"
    assert "already has a shift then (" in refused.value.detail
    assert Shift.objects.count() == 1
