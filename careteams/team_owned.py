"""Records written under a parent of one team carry that team themselves (issue 16).

A visit's carers, check-ins, task outcomes and missed reasons, a client's care plan, notes,
family access and contacts, a care problem's interventions and ratings, a note's problems, who
read a handover: each has a parent that names its team, and each also keeps `team_id` itself.
One step from every team-owned table to its team is what lets PostgreSQL grow into Citus,
distributed by team with the parent and child rows of a team on one node
(docs/operations.md, "Growing past one PostgreSQL and one Redis";
tests/test_schema_reaches_team.py checks it).

The column is filled from the parent on save, so a record made with only its parent
(`VisitAssignment.objects.create(visit=visit, ...)`) still gets it; services pass `team=`
themselves anyway. `bulk_create` calls no save(): whoever bulk-creates sets `team_id` (the
column is NOT NULL, so a forgotten one fails at once).
"""

from typing import Any, ClassVar

from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


class TeamMismatch(ValueError):
    """A child record given another team than its parent's."""


class TeamOwnedChild(models.Model):
    """Abstract: a `team` foreign key kept equal to the parent's (named by `team_parent`)."""

    # PROTECT like every parent's own team: a team with records is never deleted from under
    # them (the parent's PROTECT would refuse first anyway).
    team = models.ForeignKey("careteams.Team", on_delete=models.PROTECT, related_name="+")

    # The foreign key to the parent whose team this record shares, e.g. "visit".
    team_parent: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self._take_team_from_parent()
        super().save(*args, **kwargs)

    def _take_team_from_parent(self) -> None:
        field = self._meta.get_field(self.team_parent)
        if not isinstance(field, models.ForeignKey):
            raise TypeError(f"{self._meta.label}.team_parent names no foreign key")
        if field.is_cached(self):
            # The parent is in memory: its team costs no query.
            parent = getattr(self, field.name)
            if parent is None:
                return  # no parent: the insert fails on the empty team
            parent_team = parent.team_id
        elif self.team_id is not None:
            return  # given by the caller, who had the parent's team at hand
        else:
            parent_id = getattr(self, field.attname)
            parent_team = (
                field.related_model._default_manager.filter(pk=parent_id)
                .values_list("team_id", flat=True)
                .first()
            )
            if parent_team is None:
                return  # no such parent: the insert fails on the empty team
        if self.team_id is None:
            self.team_id = parent_team
        elif self.team_id != parent_team:
            raise TeamMismatch(
                f"{self._meta.label} of team {self.team_id} under a {self.team_parent} of "
                f"team {parent_team}: a record belongs to its parent's team."
            )


def fill_team_from_parents(
    schema_editor: BaseDatabaseSchemaEditor, steps: tuple[tuple[str, str, str], ...]
) -> None:
    """For a migration: each (table, parent column, parent table) in turn takes its team from
    its parent, one UPDATE per table (a parent listed earlier is filled first). Plain SQL that
    PostgreSQL and SQLite both run; append-only tables need their guard lifted around it."""
    for table, column, parent in steps:
        schema_editor.execute(
            f"UPDATE {table} SET team_id = "  # noqa: S608 - fixed table and column names
            f"(SELECT p.team_id FROM {parent} p WHERE p.id = {table}.{column}) "
            "WHERE team_id IS NULL",
            params=None,
        )
    if schema_editor.connection.vendor == "postgresql":
        # The new foreign keys are checked now, not at commit: PostgreSQL will not alter a
        # table (NOT NULL next) with checks still pending on it.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)
