"""The database refuses to change or delete a decision, whatever writes to it (as it does for
notes: clients/db_guards.py, whose reasons hold here too). A trigger function of its own on
PostgreSQL, so that lifting the notes' guard in tests never touches this one."""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "teamwork_decision"
MESSAGE = "decisions are append-only: record a new decision that supersedes it"
FUNCTION = "teamwork_refuse_decision_change"

_TAKEN = f"SELECT 1 FROM {TABLE} WHERE id = NEW.id"  # noqa: S608 - fixed names, no input
SQLITE_CREATE = [
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    # INSERT OR REPLACE deletes the old row without firing delete triggers.
    f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} WHEN EXISTS ({_TAKEN}) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_{name}" for name in ("no_update", "no_delete", "no_replace")
]
# A TRUNCATE of an empty table destroys nothing: how the test flush empties the database.
POSTGRES_CREATE = [
    f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
DECLARE
    has_rows boolean;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO has_rows;
        IF NOT has_rows THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql
""",  # noqa: S608 - fixed names, no input
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]


def _statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    raise NotImplementedError(f"No append-only guard for {vendor}: add one before using it.")


def install(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in _statements(vendor, create=False) + _statements(vendor, create=True):
        schema_editor.execute(sql, params=None)


def uninstall(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in _statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql, params=None)


def purge_for_tests(connection: BaseDatabaseWrapper) -> None:
    """Empty the decisions (and what hangs off them) between tests that commit, lifting the
    guard for that moment only; never called by the application."""
    from django.db import transaction

    vendor = connection.vendor
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for sql in _statements(vendor, create=False):
            cursor.execute(sql)
        cursor.execute("DELETE FROM teamwork_actionitem")
        cursor.execute(f"UPDATE {TABLE} SET supersedes_id = NULL")  # noqa: S608
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a fixed table name
        for sql in _statements(vendor, create=True):
            cursor.execute(sql)
