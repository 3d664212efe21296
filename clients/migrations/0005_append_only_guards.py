from django.db import migrations

from clients import db_guards


class Migration(migrations.Migration):
    """The read log and change feed join the notes as append-only, and the guard grows a refusal
    of SQLite's INSERT OR REPLACE and PostgreSQL's TRUNCATE. Reversing it keeps the guard."""

    dependencies = [("clients", "0004_choice_constraints_rules"), ("careteams", "0001_initial")]

    operations = [
        migrations.RunPython(db_guards.install, migrations.RunPython.noop, elidable=False),
    ]
