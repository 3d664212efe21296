from django.db import migrations

from medicines import db_guards


class Migration(migrations.Migration):
    """The database refuses updates and deletes of dose records, PRN follow-ups and stock
    events (medicines/db_guards.py)."""

    dependencies = [("medicines", "0001_the_record")]

    operations = [
        migrations.RunPython(db_guards.install, db_guards.uninstall, elidable=False),
    ]
