"""PostgreSQL: the role the application runs as (granted as docs/sql/runtime_role.sql says)
owns no table, so it cannot lift the append-only guard: no DISABLE TRIGGER, no DROP TRIGGER,
no TRUNCATE, and an UPDATE of a note still meets the trigger."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from psycopg import sql

from careteams.models import AccessEvent
from clients.models import Note
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)
GRANTS = Path(__file__).resolve().parents[2] / "docs" / "sql" / "runtime_role.sql"
PASSWORD = "runtime-role-test"  # a throwaway role, dropped after the test


def _statements(role: str) -> list[str]:
    """The documented script, with psql's :"app" filled in and its comments left out."""
    text = "\n".join(
        line for line in GRANTS.read_text().splitlines() if not line.lstrip().startswith("--")
    )
    quoted = sql.Identifier(role).as_string()
    return [s.strip() for s in text.replace(':"app"', quoted).split(";") if s.strip()]


@pytest.fixture
def runtime_role() -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    role = f"careteams_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN PASSWORD %s', [PASSWORD])
        for statement in _statements(role):
            cursor.execute(statement)
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def _connect(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=PASSWORD,
        autocommit=True,
    )


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE clients_note DISABLE TRIGGER ALL",
        "ALTER TABLE clients_note DISABLE TRIGGER clients_note_append_only",
        "DROP TRIGGER clients_note_append_only ON clients_note",
        "ALTER TABLE careteams_accessevent DISABLE TRIGGER ALL",
        "TRUNCATE clients_note CASCADE",
        "TRUNCATE careteams_change",
        "UPDATE clients_note SET body = 'rewritten'",
        "DELETE FROM clients_note",
        "UPDATE careteams_accessevent SET allowed = false",
        "SET session_replication_role = replica",
    ],
)
def test_the_runtime_role_cannot_lift_the_append_only_guard(
    cast: Cast, runtime_role: str, statement: str
) -> None:
    note = Note.objects.create(
        client=cast.client, author=cast.nurse, body="Kept as written.", recorded_at=timezone.now()
    )
    AccessEvent.objects.create(user=cast.nurse, client_id=cast.client.id, team=cast.team, what="x")
    with _connect(runtime_role) as db, pytest.raises(psycopg.Error) as refused:
        db.execute(statement)
    assert isinstance(refused.value, psycopg.errors.InsufficientPrivilege) or (
        "append-only" in str(refused.value)
    ), refused.value
    assert Note.objects.get(id=note.id).body == "Kept as written."


def test_the_runtime_role_reads_and_writes_rows(cast: Cast, runtime_role: str) -> None:
    with _connect(runtime_role) as db:
        assert db.execute("SELECT count(*) FROM clients_client").fetchone() == (3,)
        db.execute(
            "INSERT INTO careteams_accessevent (client_id, team_id, what, door, allowed, at) "
            "VALUES (%s, %s, 'record', 'api', true, now())",
            [cast.client.id, cast.team.id],
        )
        db.execute("UPDATE clients_client SET given_name = given_name")
        owned = db.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            [runtime_role],
        ).fetchone()
    assert owned == (0,)
    assert AccessEvent.objects.filter(client_id=cast.client.id).count() == 1
