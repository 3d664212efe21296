"""The migrations that gave the child records their team filled it from each row's parent, and
left the append-only guard as it was (`*_team_on_child_records`, careteams/team_owned.py)."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from careteams.models import Membership, Team, User
from clients.models import (
    CareProblem,
    Client,
    EmergencyContact,
    FamilyAccess,
    Intervention,
    Note,
    NoteProblem,
    OutcomeRating,
)
from messaging.models import HandoverNote, HandoverRead
from scheduling.models import Visit, VisitAssignment
from scheduling.visit_models import MissedVisit, VisitAttendance, VisitTaskOutcome
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


# The child records those migrations gave a team, by name: a child added since (its own
# migration after these) is neither made nor read here.
CHILDREN = (
    VisitAssignment,
    VisitAttendance,
    VisitTaskOutcome,
    MissedVisit,
    CareProblem,
    Intervention,
    OutcomeRating,
    Note,
    NoteProblem,
    FamilyAccess,
    EmergencyContact,
    HandoverRead,
)


def _every_child(team: Team, client: Client, member: Membership, user: User) -> None:
    now = timezone.now()
    visit = Visit.objects.create(
        team=team, client=client, planned_start=now, planned_end=now + dt.timedelta(minutes=30)
    )
    VisitAssignment.objects.create(visit=visit, member=member)
    VisitAttendance.objects.create(
        visit=visit, member=member, role="assigned", checked_in_at=now, check_in_received_at=now
    )
    VisitTaskOutcome.objects.create(
        visit=visit,
        task_key="visit:wash",
        task_label="Wash",
        outcome="done",
        recorded_by=user,
        recorded_at=now,
    )
    MissedVisit.objects.create(visit=visit, reason="not_home", recorded_by=user, recorded_at=now)
    problem = CareProblem.objects.create(
        client=client, problem_code="24", identified_on=timezone.localdate()
    )
    Intervention.objects.create(
        problem=problem, category="treatments", target="32", care_description="Dress"
    )
    OutcomeRating.objects.create(
        problem=problem, knowledge=2, behaviour=3, status=4, rated_on=now.date(), rated_by=user
    )
    note = Note.objects.create(client=client, author=user, body="Dressed", recorded_at=now)
    NoteProblem.objects.create(note=note, problem=problem)
    FamilyAccess.objects.create(
        client=client, relationship="child", consent_basis="client_consent", granted_by=user
    )
    EmergencyContact.objects.create(client=client, name="Gwen", phone="01")
    handover = HandoverNote.objects.create(team=team, author=user, body="Key safe is stiff")
    HandoverRead.objects.create(handover=handover, user=user)


@pytest.mark.django_db(transaction=True)
def test_the_migrations_fill_every_child_records_team_from_its_parent_and_keep_the_guard(
    cast: Cast,
) -> None:
    _every_child(cast.team, cast.client, cast.carer_membership, cast.carer)
    _every_child(
        cast.other_team, cast.other_team_client, cast.other_nurse_membership, cast.other_nurse
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the columns go; the rows stay, without their team
    executor.loader.build_graph()
    executor.migrate(AFTER)

    for child in CHILDREN:
        pairs = list(child._default_manager.values_list("team_id", f"{child.team_parent}__team_id"))
        assert all(own == parents for own, parents in pairs), child._meta.label
        assert {own for own, _ in pairs} == {cast.team.pk, cast.other_team.pk}, child._meta.label
    # The guard is back on the append-only ones: a raw UPDATE or DELETE is refused.
    for table in ("clients_note", "clients_noteproblem", "scheduling_missedvisit"):
        for sql in (f"UPDATE {table} SET team_id = team_id", f"DELETE FROM {table}"):  # noqa: S608
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute(sql)
    assert Note.objects.count() == 2
