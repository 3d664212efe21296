from django.db import migrations

from clients import db_guards


class Migration(migrations.Migration):
    """Handover notes and messages join the notes as append-only: the guard (clients/db_guards.py)
    is installed again, now over these tables too. Reversing it keeps the guard."""

    dependencies = [
        ("messaging", "0001_handover_notes_and_messages"),
        ("clients", "0005_append_only_guards"),
    ]

    operations = [
        migrations.RunPython(db_guards.install, migrations.RunPython.noop, elidable=False),
    ]
