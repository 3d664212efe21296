from django.db import migrations

from clients import db_guards


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]

    operations = [
        migrations.RunPython(db_guards.install, db_guards.uninstall, elidable=False),
    ]
