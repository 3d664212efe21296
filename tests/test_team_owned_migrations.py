"""The migrations that gave the child records their team filled it from each row's parent, and
left the append-only guard as it was (`*_team_on_child_records`, careteams/team_owned.py)."""

import datetime as dt
import uuid

import pytest
from django.apps.registry import Apps
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import Cast

BEFORE = [
    ("clients", "0007_client_location"),
    ("scheduling", "0010_attendance_device_location"),
    ("messaging", "0002_append_only_guards"),
]
AFTER = [
    ("clients", "0008_team_on_child_records"),
    ("scheduling", "0011_team_on_child_records"),
    ("messaging", "0003_team_on_child_records"),
]
# The child records these migrations gave a team, each with the parent it came from. The rows
# are written and read with the models as they were (the migration state's), not today's.
CHILDREN = {
    "scheduling.VisitAssignment": "visit",
    "scheduling.VisitAttendance": "visit",
    "scheduling.VisitTaskOutcome": "visit",
    "scheduling.MissedVisit": "visit",
    "clients.CareProblem": "client",
    "clients.Intervention": "problem",
    "clients.OutcomeRating": "problem",
    "clients.Note": "client",
    "clients.NoteProblem": "note",
    "clients.FamilyAccess": "client",
    "clients.EmergencyContact": "client",
    "messaging.HandoverRead": "handover",
}


def _every_child(
    old: Apps, *, team_id: uuid.UUID, client_id: uuid.UUID, member_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """One row of each child, written before the migrations, when the children had no team."""
    now = timezone.now()
    visit = old.get_model("scheduling", "Visit").objects.create(
        team_id=team_id,
        client_id=client_id,
        planned_start=now,
        planned_end=now + dt.timedelta(minutes=30),
    )
    old.get_model("scheduling", "VisitAssignment").objects.create(visit=visit, member_id=member_id)
    old.get_model("scheduling", "VisitAttendance").objects.create(
        visit=visit,
        member_id=member_id,
        role="assigned",
        checked_in_at=now,
        check_in_received_at=now,
    )
    old.get_model("scheduling", "VisitTaskOutcome").objects.create(
        visit=visit,
        task_key="visit:wash",
        task_label="Wash",
        outcome="done",
        recorded_by_id=user_id,
        recorded_at=now,
    )
    old.get_model("scheduling", "MissedVisit").objects.create(
        visit=visit, reason="not_home", recorded_by_id=user_id, recorded_at=now
    )
    problem = old.get_model("clients", "CareProblem").objects.create(
        client_id=client_id, problem_code="24", identified_on=now.date()
    )
    old.get_model("clients", "Intervention").objects.create(
        problem=problem, category="treatments", target="32", care_description="Dress"
    )
    old.get_model("clients", "OutcomeRating").objects.create(
        problem=problem,
        knowledge=2,
        behaviour=3,
        status=4,
        rated_on=now.date(),
        rated_by_id=user_id,
    )
    note = old.get_model("clients", "Note").objects.create(
        client_id=client_id, author_id=user_id, body="Dressed", recorded_at=now
    )
    old.get_model("clients", "NoteProblem").objects.create(note=note, problem=problem)
    old.get_model("clients", "FamilyAccess").objects.create(
        client_id=client_id,
        relationship="child",
        consent_basis="client_consent",
        granted_by_id=user_id,
    )
    old.get_model("clients", "EmergencyContact").objects.create(
        client_id=client_id, name="Gwen", phone="01"
    )
    handover = old.get_model("messaging", "HandoverNote").objects.create(
        team_id=team_id, author_id=user_id, body="Key safe is stiff"
    )
    old.get_model("messaging", "HandoverRead").objects.create(handover=handover, user_id=user_id)


@pytest.mark.django_db(transaction=True)
def test_the_migrations_fill_every_child_records_team_from_its_parent_and_keep_the_guard(
    cast: Cast,
) -> None:
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)  # the children's team columns go
        old = executor.loader.project_state(BEFORE).apps
        for team, client, member, user in (
            (cast.team, cast.client, cast.carer_membership, cast.carer),
            (
                cast.other_team,
                cast.other_team_client,
                cast.other_nurse_membership,
                cast.other_nurse,
            ),
        ):
            _every_child(
                old, team_id=team.pk, client_id=client.pk, member_id=member.pk, user_id=user.pk
            )
        executor.loader.build_graph()
        executor.migrate(AFTER)
        after = executor.loader.project_state(AFTER).apps
        for label, parent in CHILDREN.items():
            child = after.get_model(label)
            pairs = list(child._default_manager.values_list("team_id", f"{parent}__team_id"))
            assert all(own == parents for own, parents in pairs), label
            assert {own for own, _ in pairs} == {cast.team.pk, cast.other_team.pk}, label
        # The guard is back on the append-only ones: a raw UPDATE or DELETE is refused.
        for table in ("clients_note", "clients_noteproblem", "scheduling_missedvisit"):
            for sql in (f"UPDATE {table} SET team_id = team_id", f"DELETE FROM {table}"):  # noqa: S608
                with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                    c.execute(sql)
        assert after.get_model("clients", "Note")._default_manager.count() == 2
    finally:
        # Back to today's schema, for the tests that run after this one in the same database.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
