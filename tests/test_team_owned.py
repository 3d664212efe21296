"""A record written under a parent of one team carries that team (careteams/team_owned.py)."""

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from careteams.team_owned import TeamMismatch
from clients.models import CareProblem, EmergencyContact, Intervention, Note, NoteProblem
from tests.conftest import Cast


def test_a_record_made_with_its_loaded_parent_takes_the_parents_team_without_a_query(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):  # the INSERT only
        contact = EmergencyContact.objects.create(client=cast.client, name="Gwen", phone="01")
    assert contact.team_id == cast.team.pk
    with django_assert_num_queries(1):
        other = EmergencyContact.objects.create(
            client=cast.other_team_client, name="Iain", phone="02"
        )
    assert other.team_id == cast.other_team.pk


def test_a_record_made_with_its_parents_id_only_looks_the_team_up_in_one_query(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    problem = CareProblem.objects.create(
        client=cast.other_team_client, problem_code="24", identified_on=timezone.localdate()
    )
    with django_assert_num_queries(2):  # the problem's team, the INSERT
        made = Intervention.objects.create(
            problem_id=problem.pk, category="treatments", target="32", care_description="Dress"
        )
    assert Intervention.objects.get(pk=made.pk).team_id == cast.other_team.pk


def test_a_record_given_another_team_than_its_parents_is_refused(cast: Cast) -> None:
    with pytest.raises(TeamMismatch, match="belongs to its parent's team"):
        EmergencyContact.objects.create(
            team=cast.other_team, client=cast.client, name="Gwen", phone="01"
        )
    assert not EmergencyContact.objects.exists()
    # Given the parent's own team, as the services do, it is written.
    EmergencyContact.objects.create(team=cast.team, client=cast.client, name="Gwen", phone="01")
    assert EmergencyContact.objects.get().team_id == cast.team.pk


def test_a_bulk_created_record_without_its_team_fails_loudly(cast: Cast) -> None:
    note = Note.objects.create(
        client=cast.client, author=cast.nurse, body="Dressing changed", recorded_at=timezone.now()
    )
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="24", identified_on=timezone.localdate()
    )
    assert note.team_id == problem.team_id == cast.team.pk
    # bulk_create calls no save(): the database's NOT NULL is what catches a forgotten team.
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteProblem.objects.bulk_create([NoteProblem(note=note, problem=problem)])
    NoteProblem.objects.bulk_create([NoteProblem(team=cast.team, note=note, problem=problem)])
    assert NoteProblem.objects.get().team_id == cast.team.pk
