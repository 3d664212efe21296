from django.db import migrations

from medicines import db_guards


class Migration(migrations.Migration):
    """The database refuses updates and deletes of line schedules and their checks
    (medicines/db_guards.py)."""

    dependencies = [("medicines", "0005_schedule_history")]

    operations = [
        migrations.RunPython(
            db_guards.install_schedules, db_guards.uninstall_schedules, elidable=False
        ),
    ]
