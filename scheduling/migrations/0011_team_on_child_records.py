from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from careteams.team_owned import fill_team_from_parents
from clients import db_guards

# (table, parent column, parent table), parents first.
STEPS = (
    ("scheduling_visitassignment", "visit_id", "scheduling_visit"),
    ("scheduling_visitattendance", "visit_id", "scheduling_visit"),
    ("scheduling_visittaskoutcome", "visit_id", "scheduling_visit"),
    ("scheduling_missedvisit", "visit_id", "scheduling_visit"),
)


def fill(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    fill_team_from_parents(schema_editor, STEPS)


def _team(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        null=null, on_delete=models.PROTECT, related_name="+", to="careteams.team"
    )


class Migration(migrations.Migration):
    """A visit's carers, attendances, task outcomes and missed reasons carry their team (issue 16):
    one step to the team, for distribution by team (docs/operations.md).

    The column is added empty, filled from each row's parent with one UPDATE per table, then
    made NOT NULL. The append-only guard (clients/db_guards.py) is lifted around the fill and
    installed again exactly as it was (SQLite also loses a table's triggers when NOT NULL
    rebuilds the table). Reversing it drops the column and keeps the guard."""

    dependencies = [
        ("careteams", "0006_team_managed_by_role"),
        ("scheduling", "0010_attendance_device_location"),
    ]

    operations = [
        migrations.RunPython(db_guards.uninstall, db_guards.install, elidable=False),
        migrations.AddField("visitassignment", "team", _team(null=True)),
        migrations.AddField("visitattendance", "team", _team(null=True)),
        migrations.AddField("visittaskoutcome", "team", _team(null=True)),
        migrations.AddField("missedvisit", "team", _team(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField("visitassignment", "team", _team(null=False)),
        migrations.AlterField("visitattendance", "team", _team(null=False)),
        migrations.AlterField("visittaskoutcome", "team", _team(null=False)),
        migrations.AlterField("missedvisit", "team", _team(null=False)),
        migrations.RunPython(db_guards.install, db_guards.uninstall, elidable=False),
    ]
