"""The database refuses to change or delete a dose record, a PRN follow-up, a stock event, a
line's schedule or its check, whatever writes to it (as for notes: clients/db_guards.py, whose
reasons hold here too). A trigger function of its own on PostgreSQL, so that lifting another
app's guard in tests never touches this one.

- SQLite: BEFORE UPDATE and BEFORE DELETE, and BEFORE INSERT of a row whose keys are taken,
  because `INSERT OR REPLACE` deletes the old row without firing delete triggers.
- PostgreSQL: BEFORE UPDATE OR DELETE per row, and BEFORE TRUNCATE per statement (a TRUNCATE of
  an empty table destroys nothing: how the test flush empties the database).
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Each table with its unique keys (an insert that collides with one would REPLACE on SQLite),
# in the order they can be emptied: a follow-up before its dose.
RECORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "medicines_prnfollowup": (("id",), ("dose_id",)),
    "medicines_doserecord": (("id",), ("supersedes_id",)),
    "medicines_stockevent": (("id",),),
}
# Guarded from migration 0006 on (each migration guards the tables it knows).
SCHEDULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "medicines_lineschedulecheck": (("id",), ("schedule_id",)),
    "medicines_lineschedule": (("id",),),
}
GUARDED_KEYS = RECORDS | SCHEDULES
Tables = dict[str, tuple[tuple[str, ...], ...]]
MESSAGE = "medicine records are append-only: record a correction that supersedes it"
FUNCTION = "medicines_refuse_record_change"
SQLITE_TRIGGERS = ("no_update", "no_delete", "no_replace")

POSTGRES_FUNCTION = f"""
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
"""  # noqa: S608 - no input: fixed names


def _taken(table: str) -> str:
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE "  # noqa: S608 - fixed table and column names
        + " AND ".join(f"{column} = NEW.{column}" for column in key)
        + ")"
        for key in GUARDED_KEYS[table]
    )


def _create(vendor: str, tables: Tables = GUARDED_KEYS) -> list[str]:
    if vendor == "sqlite":
        refuse = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        return [
            sql
            for t in tables
            for sql in (
                f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} {refuse}",
                f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} {refuse}",
                f"CREATE TRIGGER {t}_no_replace BEFORE INSERT ON {t} WHEN {_taken(t)} {refuse}",
            )
        ]
    if vendor == "postgresql":
        return [POSTGRES_FUNCTION] + [
            sql
            for t in tables
            for sql in (
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
                f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
            )
        ]
    raise NotImplementedError(f"No append-only guard for {vendor}: add one before using it.")


def _drop(vendor: str, tables: Tables = GUARDED_KEYS) -> list[str]:
    """The tables' triggers, and the function once no table is left guarded by it."""
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {t}_{name}" for t in tables for name in SQLITE_TRIGGERS]
    if vendor == "postgresql":
        drops = [
            sql
            for t in tables
            for sql in (
                f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}",
                f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}",
            )
        ]
        return drops + ([f"DROP FUNCTION IF EXISTS {FUNCTION}()"] if tables == RECORDS else [])
    raise NotImplementedError(vendor)


def install(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The records' guard (migration 0002). Idempotent: drops whatever guard is there first."""
    vendor = schema_editor.connection.vendor
    for sql in _drop(vendor, RECORDS) + _create(vendor, RECORDS):
        schema_editor.execute(sql, params=None)


def uninstall(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in _drop(schema_editor.connection.vendor, RECORDS):
        schema_editor.execute(sql, params=None)


def install_schedules(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The schedules' guard (migration 0006), with the records' trigger function."""
    vendor = schema_editor.connection.vendor
    for sql in _drop(vendor, SCHEDULES) + _create(vendor, SCHEDULES):
        schema_editor.execute(sql, params=None)


def uninstall_schedules(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in _drop(schema_editor.connection.vendor, SCHEDULES):
        schema_editor.execute(sql, params=None)


def purge_for_tests(connection: BaseDatabaseWrapper) -> None:
    """Empty the guarded tables between tests that commit, lifting the guard for that moment
    only; never called by the application."""
    from django.db import transaction

    vendor = connection.vendor
    if "medicines_doserecord" not in connection.introspection.table_names():
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for sql in _drop(vendor):
            cursor.execute(sql)
        cursor.execute("DELETE FROM medicines_prnfollowup")
        # Corrections first, newest first: clearing `supersedes_id` instead would leave a
        # correction and its original both first records of one dose, which the unique rule
        # on (line, due_at) refuses.
        while True:
            cursor.execute(
                "DELETE FROM medicines_doserecord WHERE id NOT IN (SELECT supersedes_id"
                " FROM medicines_doserecord WHERE supersedes_id IS NOT NULL)"
            )
            if not cursor.rowcount:
                break
        cursor.execute("DELETE FROM medicines_stockevent")
        cursor.execute("DELETE FROM medicines_lineschedulecheck")
        cursor.execute("DELETE FROM medicines_lineschedule")
        for sql in _create(vendor):
            cursor.execute(sql)
