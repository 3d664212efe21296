from django.db import migrations

from teamwork import db_guards


class Migration(migrations.Migration):
    """The database refuses updates and deletes of decisions (teamwork/db_guards.py)."""

    dependencies = [("teamwork", "0001_initial")]

    operations = [
        migrations.RunPython(db_guards.install, db_guards.uninstall, elidable=False),
    ]
