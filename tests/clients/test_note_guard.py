"""Notes are append-only: the database refuses to change or delete one, even by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

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


def raw(sql: str, *params: object) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


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
