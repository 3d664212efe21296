"""Notes are append-only: the database refuses to change or delete one, even by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from careteams import changes
from careteams.models import AccessEvent
from clients import db_guards
from clients.models import AppendOnlyError, CareProblem, Note, NoteProblem
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(cast: Cast) -> Note:
    return Note.objects.create(
        client=cast.client,
        author=cast.nurse,
        body="Dressing changed; wound smaller.",
        recorded_at=timezone.now(),
    )


def raw(sql: str, *params: str | int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def truncate(tables: str) -> None:
    """TRUNCATE on PostgreSQL, after the test's pending foreign key checks (else it refuses for
    that reason, not ours)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables} CASCADE")


def test_a_raw_sql_update_of_a_note_fails(note: Note) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE clients_note SET body = %s WHERE id = %s", "rewritten", note.id.hex)
    note.refresh_from_db()
    assert note.body == "Dressing changed; wound smaller."


def test_a_raw_sql_delete_of_a_note_fails(note: Note) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM clients_note")
    assert Note.objects.filter(id=note.id).exists()


def test_a_bulk_update_through_the_orm_fails(note: Note) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Note.objects.filter(id=note.id).update(shareable=True)


def test_saving_a_changed_note_is_refused_before_it_reaches_the_database(note: Note) -> None:
    note.body = "rewritten"
    with pytest.raises(AppendOnlyError):
        note.save()


def test_deleting_a_note_is_refused(note: Note) -> None:
    with pytest.raises(AppendOnlyError):
        note.delete()


def test_the_problems_a_note_is_about_cannot_be_unlinked(cast: Cast, note: Note) -> None:
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="24", identified_on=timezone.localdate()
    )
    NoteProblem.objects.create(note=note, problem=problem)
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM clients_noteproblem")


def test_an_amendment_is_a_new_note_and_the_original_stays(cast: Cast, note: Note) -> None:
    Note.objects.create(
        client=cast.client,
        author=cast.nurse,
        body="Correction: left leg, not right.",
        amends=note,
        recorded_at=timezone.now(),
    )
    assert note.amendments.count() == 1
    assert Note.objects.get(id=note.id).body == "Dressing changed; wound smaller."


def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's")


def test_insert_or_replace_cannot_rewrite_a_note_on_sqlite(note: Note) -> None:
    sqlite_only()
    with pytest.raises(DatabaseError, match="append-only"):
        raw(
            "INSERT OR REPLACE INTO clients_note SELECT * FROM clients_note WHERE id = %s",
            note.id.hex,
        )
    with pytest.raises(DatabaseError, match="append-only"):
        raw("REPLACE INTO clients_note SELECT * FROM clients_note")
    note.refresh_from_db()
    assert note.body == "Dressing changed; wound smaller."


def test_insert_or_replace_cannot_swap_the_problems_of_a_note_on_sqlite(
    cast: Cast, note: Note
) -> None:
    sqlite_only()
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="24", identified_on=timezone.localdate()
    )
    link = NoteProblem.objects.create(note=note, problem=problem)
    # A new row id, but the same note and problem: REPLACE would delete the old row.
    with pytest.raises(DatabaseError, match="append-only"):
        raw(
            "INSERT OR REPLACE INTO clients_noteproblem (id, note_id, problem_id) "
            "VALUES (%s, %s, %s)",
            link.id + 100,
            note.id.hex,
            problem.id.hex,
        )
    assert list(NoteProblem.objects.values_list("id", flat=True)) == [link.id]


@pytest.mark.parametrize(
    "table", ["careteams_accessevent", "careteams_change", "clients_note", "clients_noteproblem"]
)
def test_the_read_log_and_the_change_feed_are_append_only_too(
    cast: Cast, note: Note, table: str
) -> None:
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="24", identified_on=timezone.localdate()
    )
    NoteProblem.objects.create(note=note, problem=problem)
    AccessEvent.objects.create(user=cast.nurse, client_id=cast.client.id, team=cast.team, what="x")
    with transaction.atomic():
        changes.record(
            team=cast.team, entity="client", obj=cast.client, actor=None, client_id=cast.client.id
        )
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"UPDATE {table} SET id = id")  # noqa: S608 - fixed table names
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {table}")  # noqa: S608
    if connection.vendor == "sqlite":
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"REPLACE INTO {table} SELECT * FROM {table}")  # noqa: S608
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            truncate(table)


def test_a_truncate_of_the_notes_is_refused_on_postgresql(note: Note) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with pytest.raises(DatabaseError, match="append-only"):
        truncate("clients_note, clients_noteproblem")
    assert Note.objects.filter(id=note.id).exists()


# SQLite: update, delete, replace; PostgreSQL: update or delete, truncate.
TRIGGER_COUNT = {"sqlite": 3, "postgresql": 2}
TRIGGERS = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
    "postgresql": (
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
    ),
}


@pytest.mark.parametrize("table", db_guards.GUARDED_TABLES)
def test_every_guarded_table_keeps_its_triggers_after_the_migrations(table: str) -> None:
    """A later migration that remakes a table on SQLite would drop its triggers with it."""
    with connection.cursor() as cursor:
        cursor.execute(TRIGGERS[connection.vendor], [table])
        assert cursor.fetchone()[0] == TRIGGER_COUNT[connection.vendor]
