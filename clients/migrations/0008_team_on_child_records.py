from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from careteams.team_owned import fill_team_from_parents
from clients import db_guards

# (table, parent column, parent table), parents first.
STEPS = (
    ("clients_careproblem", "client_id", "clients_client"),
    ("clients_intervention", "problem_id", "clients_careproblem"),
    ("clients_outcomerating", "problem_id", "clients_careproblem"),
    ("clients_note", "client_id", "clients_client"),
    ("clients_noteproblem", "note_id", "clients_note"),
    ("clients_familyaccess", "client_id", "clients_client"),
    ("clients_emergencycontact", "client_id", "clients_client"),
)


def fill(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    fill_team_from_parents(schema_editor, STEPS)


def _team(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        null=null, on_delete=models.PROTECT, related_name="+", to="careteams.team"
    )


class Migration(migrations.Migration):
    """A client's care plan, notes, family access and contacts carry their team (issue 16): one
    step to the team, for distribution by team (docs/operations.md).

    The column is added empty, filled from each row's parent with one UPDATE per table, then
    made NOT NULL. The append-only guard (clients/db_guards.py) is lifted around the fill and
    installed again exactly as it was (SQLite also loses a table's triggers when NOT NULL
    rebuilds the table). Reversing it drops the column and keeps the guard."""

    dependencies = [
        ("careteams", "0006_team_managed_by_role"),
        ("clients", "0007_client_location"),
    ]

    operations = [
        migrations.RunPython(db_guards.uninstall, db_guards.install, elidable=False),
        migrations.AddField("careproblem", "team", _team(null=True)),
        migrations.AddField("intervention", "team", _team(null=True)),
        migrations.AddField("outcomerating", "team", _team(null=True)),
        migrations.AddField("note", "team", _team(null=True)),
        migrations.AddField("noteproblem", "team", _team(null=True)),
        migrations.AddField("familyaccess", "team", _team(null=True)),
        migrations.AddField("emergencycontact", "team", _team(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField("careproblem", "team", _team(null=False)),
        migrations.AlterField("intervention", "team", _team(null=False)),
        migrations.AlterField("outcomerating", "team", _team(null=False)),
        migrations.AlterField("note", "team", _team(null=False)),
        migrations.AlterField("noteproblem", "team", _team(null=False)),
        migrations.AlterField("familyaccess", "team", _team(null=False)),
        migrations.AlterField("emergencycontact", "team", _team(null=False)),
        migrations.RunPython(db_guards.install, db_guards.uninstall, elidable=False),
    ]
