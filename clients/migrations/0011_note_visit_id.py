"""A note's visit becomes the visit's id in Django's state only (issue 24: scheduling owns the
link, clients import nothing of it). The column, its index and its foreign key constraint stay
exactly as they are in the database, so no note row is touched (notes are append-only:
clients/db_guards.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0010_allergy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="note", name="visit"),
                migrations.AddField(
                    model_name="note",
                    name="visit_id",
                    field=models.UUIDField(blank=True, db_index=True, null=True),
                ),
            ],
        ),
    ]
