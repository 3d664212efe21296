"""No two shifts of one member overlap, whoever writes: on PostgreSQL an exclusion constraint.

The constraint is not in `Shift.Meta.constraints` and this migration changes no model state, on
purpose: SQLite has no exclusion constraints, so a declared one would break its migrations (and
`makemigrations --check` would want it back if it were added to the state only here). On SQLite
every transaction takes the write lock at BEGIN (IMMEDIATE), so the service's overlap check,
made under the team lock, cannot race there.
"""

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


NO_OVERLAP = ExclusionConstraint(
    name="shift_member_no_overlap",
    expressions=[
        ("member", RangeOperators.EQUAL),
        (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
    ],
)


def add(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_constraint(apps.get_model("scheduling", "Shift"), NO_OVERLAP)


def remove(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_constraint(apps.get_model("scheduling", "Shift"), NO_OVERLAP)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0003_choice_constraints_rules")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add, remove, elidable=False),
    ]
