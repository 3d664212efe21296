"""Task outcomes and missed visits are append-only in the database, as notes are: a raw UPDATE
or DELETE (and SQLite's REPLACE, PostgreSQL's TRUNCATE) is refused whatever writes it, while
recording a new outcome that supersedes an earlier one still works."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from scheduling.models import Visit, VisitAssignment
from scheduling.services import visit_records
from scheduling.visit_models import MissedVisit, VisitTaskOutcome
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db

TABLES = ("scheduling_visittaskoutcome", "scheduling_missedvisit")


@pytest.fixture
def recorded(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Visit:
    """A Monday visit with a task outcome superseded by a second one, then recorded missed."""
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(0, "09:00"),
        planned_end=on(0, "09:30"),
        tasks=["Bins out"],
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:10"))
    for outcome in ("done", "not_done"):
        visit_records.visit_task_outcome_record(
            visit=visit,
            task_key="visit:Bins out",
            outcome=outcome,
            reason="" if outcome == "done" else "not_needed",
            actor=cast.carer,
        )
    monkeypatch.setattr(timezone, "now", lambda: on(1, "08:00"))
    visit_records.visit_missed_record(
        visit=visit, version=visit.version, reason="not_home", actor=cast.nurse
    )
    return visit


def raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_recording_a_new_outcome_that_supersedes_an_earlier_one_still_works(
    recorded: Visit,
) -> None:
    first, second = VisitTaskOutcome.objects.order_by("received_at", "outcome")
    assert second.supersedes_id == first.id
    assert MissedVisit.objects.count() == 1


@pytest.mark.parametrize("table", TABLES)
def test_a_raw_update_or_delete_of_a_visit_record_is_refused(recorded: Visit, table: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"UPDATE {table} SET note = 'rewritten'")  # noqa: S608 - fixed table names
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {table}")  # noqa: S608
    if connection.vendor == "sqlite":
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"REPLACE INTO {table} SELECT * FROM {table}")  # noqa: S608
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE {table} CASCADE")
    assert VisitTaskOutcome.objects.filter(note="rewritten").count() == 0
    assert MissedVisit.objects.filter(note="rewritten").count() == 0
    assert VisitTaskOutcome.objects.count() == 2
    assert MissedVisit.objects.count() == 1


def test_a_bulk_update_or_delete_through_the_orm_is_refused_by_the_database(
    recorded: Visit,
) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        VisitTaskOutcome.objects.filter(visit=recorded).update(note="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        MissedVisit.objects.filter(visit=recorded).update(reason="declined")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        MissedVisit.objects.filter(visit=recorded)._raw_delete(connection.alias)
    assert MissedVisit.objects.get().reason == "not_home"
