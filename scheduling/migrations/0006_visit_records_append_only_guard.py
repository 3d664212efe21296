from django.db import migrations

from clients import db_guards


class Migration(migrations.Migration):
    """Task outcomes and missed visits join the notes as append-only in the database too: a raw
    UPDATE, DELETE, SQLite's INSERT OR REPLACE or PostgreSQL's TRUNCATE of a row is refused.
    Re-runs the guard over every guarded table (idempotent). Reversing it keeps the guard."""

    dependencies = [
        ("scheduling", "0005_attendance_task_outcomes_missed"),
        ("clients", "0006_doorstep_and_intervention_schedule"),
    ]

    operations = [
        migrations.RunPython(db_guards.install, migrations.RunPython.noop, elidable=False),
    ]
