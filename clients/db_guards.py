"""Database triggers that make notes append-only, whatever writes to the database.

The ORM refuses too (Note.save/delete), but a raw UPDATE or DELETE, a bulk query or another
program must meet the same wall: health records are corrected by amendment, never rewritten.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GUARDED_TABLES = ("clients_note", "clients_noteproblem")
MESSAGE = "notes are append-only: write a note that amends it instead"


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION careteams_refuse_note_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql
"""


def _postgres_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION careteams_refuse_note_change()"
    ]


def _postgres_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]


def create_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in GUARDED_TABLES for sql in _sqlite_create(table)]
    if vendor == "postgresql":
        return [POSTGRES_FUNCTION] + [sql for t in GUARDED_TABLES for sql in _postgres_create(t)]
    raise NotImplementedError(f"No append-only guard for {vendor}: add one before using it.")


def drop_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in GUARDED_TABLES for sql in _sqlite_drop(table)]
    if vendor == "postgresql":
        return [sql for t in GUARDED_TABLES for sql in _postgres_drop(t)] + [
            "DROP FUNCTION IF EXISTS careteams_refuse_note_change()"
        ]
    raise NotImplementedError(vendor)


def install(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def uninstall(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def purge_notes_for_tests(connection: BaseDatabaseWrapper) -> None:
    """Empty the guarded tables between tests that commit (the test database is thrown away).

    Lifts and restores the guard in one transaction; never called by the application.
    """
    from django.db import transaction

    vendor = connection.vendor
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for sql in drop_statements(vendor):
            cursor.execute(sql)
        for table in reversed(GUARDED_TABLES):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        for sql in create_statements(vendor):
            cursor.execute(sql)
