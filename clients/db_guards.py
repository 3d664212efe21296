"""Database triggers that make the append-only tables so, whatever writes to the database.

The ORM refuses too (Note.save/delete), but a raw UPDATE or DELETE, a bulk query or another
program must meet the same wall: health records are corrected by amendment, never rewritten,
and the read log and change feed are histories nobody may edit.

- SQLite: BEFORE UPDATE and BEFORE DELETE, and BEFORE INSERT of a row whose keys are taken,
  because `INSERT OR REPLACE` deletes the old row without firing delete triggers.
- PostgreSQL: BEFORE UPDATE OR DELETE per row (an `ON CONFLICT DO UPDATE` is an update), and
  BEFORE TRUNCATE per statement. Disabling or dropping a trigger needs the table's owner: the
  application runs as a role that owns nothing (docs/operations.md).
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Each table with its unique keys: an insert that collides with one would REPLACE on SQLite.
GUARDED_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "clients_note": (("id",),),
    "clients_noteproblem": (("id",), ("note_id", "problem_id")),
    "careteams_accessevent": (("id",),),
    "careteams_change": (("id",), ("team_id", "seq")),
    # What happened at a visit (issue 13): a changed outcome or reason is a new record.
    "scheduling_visittaskoutcome": (("id",), ("supersedes_id",)),
    "scheduling_missedvisit": (("id",),),
    # Handover notes and messages are part of the record like notes (messaging/models.py).
    "messaging_handovernote": (("id",),),
    "messaging_teammessage": (("id",),),
    "messaging_clientmessage": (("id",),),
    # Who read a handover, once, for good (and it must go before the handovers it names).
    "messaging_handoverread": (("id",), ("handover_id", "user_id")),
    # Each production of a client's own copy (subject access), for good (sharing/models.py).
    "sharing_owncopy": (("id",),),
}
GUARDED_TABLES = tuple(GUARDED_KEYS)
MESSAGE = (
    "this table is append-only (notes: write a note that amends it instead; "
    "task outcomes and missed visits: record a new one)"
)
OLD_SQLITE_TRIGGERS = ("no_update", "no_delete", "no_replace")


def _taken(table: str) -> str:
    found = [
        f"EXISTS (SELECT 1 FROM {table} WHERE "  # noqa: S608 - fixed table and column names
        + " AND ".join(f"{column} = NEW.{column}" for column in key)
        + ")"
        for key in GUARDED_KEYS[table]
    ]
    return " OR ".join(found)


def _sqlite_create(table: str) -> list[str]:
    refuse = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {refuse}",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {refuse}",
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {_taken(table)} {refuse}",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_{name}" for name in OLD_SQLITE_TRIGGERS]


# A TRUNCATE of an empty table destroys nothing, and is how Django's test flush empties the
# database after the guarded tables have been purged (purge_notes_for_tests).
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION careteams_refuse_note_change() RETURNS trigger AS $$
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


def _postgres_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION careteams_refuse_note_change()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION careteams_refuse_note_change()",
    ]


def _postgres_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


def create_statements(vendor: str, tables: tuple[str, ...] = GUARDED_TABLES) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in tables for sql in _sqlite_create(table)]
    if vendor == "postgresql":
        return [POSTGRES_FUNCTION] + [sql for t in tables for sql in _postgres_create(t)]
    raise NotImplementedError(f"No append-only guard for {vendor}: add one before using it.")


def drop_statements(vendor: str, tables: tuple[str, ...] = GUARDED_TABLES) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in tables for sql in _sqlite_drop(table)]
    if vendor == "postgresql":
        return [sql for t in tables for sql in _postgres_drop(t)] + [
            "DROP FUNCTION IF EXISTS careteams_refuse_note_change()"
        ]
    raise NotImplementedError(vendor)


def existing_tables(connection: BaseDatabaseWrapper) -> tuple[str, ...]:
    """The guarded tables made so far: an earlier app's migration guards its own tables before
    a later app's (messaging) exist, and the later one's migration installs the guard again."""
    present = set(connection.introspection.table_names())
    return tuple(table for table in GUARDED_TABLES if table in present)


def install(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Idempotent: drops whatever guard is there first, so a later migration may re-run it."""
    connection = schema_editor.connection
    tables = existing_tables(connection)
    for sql in drop_statements(connection.vendor, tables):
        schema_editor.execute(sql, params=None)
    for sql in create_statements(connection.vendor, tables):
        schema_editor.execute(sql, params=None)


def uninstall(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    for sql in drop_statements(connection.vendor, existing_tables(connection)):
        schema_editor.execute(sql, params=None)


def purge_notes_for_tests(connection: BaseDatabaseWrapper) -> None:
    """Empty the guarded tables between tests that commit (the test database is thrown away).

    Lifts and restores the guard in one transaction; never called by the application.
    """
    from django.db import transaction

    vendor = connection.vendor
    tables = existing_tables(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for sql in drop_statements(vendor, tables):
            cursor.execute(sql)
        for table in reversed(tables):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        for sql in create_statements(vendor, tables):
            cursor.execute(sql)
