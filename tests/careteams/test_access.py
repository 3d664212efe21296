"""The scoping of access.py, for each role of the standing cast (docs/architecture.md)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from careteams import access
from careteams.errors import NotFound
from careteams.models import AccessEvent, Door
from clients import access as clients_access
from clients.models import Note
from scheduling import access as scheduling_access
from scheduling.models import Shift, Visit, VisitStatus
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> Cast:
    now = timezone.now()
    for client in (cast.client, cast.other_client_same_team, cast.other_team_client):
        for shared in (True, False):
            Note.objects.create(
                client=client,
                author=cast.nurse,
                body=f"shared={shared}",
                shareable=shared,
                recorded_at=now,
            )
        Visit.objects.create(
            team=client.team,
            client=client,
            planned_start=now + dt.timedelta(hours=2),
            planned_end=now + dt.timedelta(hours=3),
        )
        AccessEvent.objects.create(
            user=cast.nurse, client_id=client.id, team=client.team, what="record", door=Door.PAGE
        )
    Visit.objects.create(  # a past visit: not "upcoming" for the family
        team=cast.team,
        client=cast.client,
        planned_start=now - dt.timedelta(days=2),
        planned_end=now - dt.timedelta(days=2) + dt.timedelta(hours=1),
    )
    Visit.objects.create(  # a cancelled one: the family is not told someone is coming
        team=cast.team,
        client=cast.client,
        status=VisitStatus.CANCELLED,
        planned_start=now + dt.timedelta(days=1),
        planned_end=now + dt.timedelta(days=1, hours=1),
    )
    for membership in (cast.nurse_membership, cast.other_nurse_membership):
        Shift.objects.create(
            team=membership.team, member=membership, start=now, end=now + dt.timedelta(hours=7)
        )
    return cast


def names(queryset: object) -> set[str]:
    return {f"{c.given_name}" for c in queryset}  # type: ignore[attr-defined]


def test_a_team_member_sees_all_of_their_teams_clients_and_no_others(world: Cast) -> None:
    assert names(clients_access.clients_visible_to(world.nurse)) == {"Dafydd", "Mary"}
    assert names(clients_access.clients_visible_to(world.other_nurse)) == {"Agnieszka"}


def test_a_team_member_reads_every_note_of_their_teams_clients(world: Cast) -> None:
    notes = clients_access.notes_visible_to(world.carer)
    assert notes.count() == 4
    assert not notes.filter(client=world.other_team_client).exists()


def test_a_team_member_sees_their_teams_rota_and_visits(world: Cast) -> None:
    assert set(scheduling_access.shifts_visible_to(world.nurse).values_list("team", flat=True)) == {
        world.team.id
    }
    assert set(scheduling_access.visits_visible_to(world.nurse).values_list("team", flat=True)) == {
        world.team.id
    }


def test_a_member_of_another_team_gets_not_found_for_a_client_that_exists(world: Cast) -> None:
    with pytest.raises(NotFound):
        access.get_visible(clients_access.clients_visible_to(world.other_nurse), world.client.id)


def test_a_malformed_id_is_not_found_too(world: Cast) -> None:
    with pytest.raises(NotFound):
        access.get_visible(clients_access.clients_visible_to(world.nurse), "not-a-uuid")


def test_a_coach_sees_the_rota_but_no_client_and_no_note(world: Cast) -> None:
    assert not clients_access.clients_visible_to(world.coach).exists()
    assert not clients_access.notes_visible_to(world.coach).exists()
    assert not scheduling_access.visits_visible_to(world.coach).exists()
    assert not clients_access.clients_in_family_view(world.coach).exists()
    assert list(access.teams_visible_to(world.coach)) == [world.team]
    assert scheduling_access.shifts_visible_to(world.coach).count() == 1


def test_a_coach_sees_visits_without_who_the_client_is(world: Cast) -> None:
    rows = list(scheduling_access.visits_for_coach(world.coach))
    assert len(rows) == 4
    assert all(set(row) == set(scheduling_access.COACH_VISIT_FIELDS) for row in rows)


def test_family_with_access_read_only_their_clients_shared_notes(world: Cast) -> None:
    notes = clients_access.notes_visible_to(world.family)
    assert [n.body for n in notes] == ["shared=True"]
    assert notes.get().client == world.client
    assert names(clients_access.clients_in_family_view(world.family)) == {"Dafydd"}
    assert not clients_access.clients_visible_to(world.family).exists()


def test_family_see_only_their_clients_coming_visits(world: Cast) -> None:
    visits = scheduling_access.upcoming_visits_for_family(world.family)
    assert visits.count() == 1
    assert visits.get().client == world.client


def test_family_see_no_rota(world: Cast) -> None:
    assert not scheduling_access.shifts_visible_to(world.family).exists()
    assert not access.teams_visible_to(world.family).exists()


def test_family_without_access_see_nothing(world: Cast) -> None:
    user = world.family_without_access
    assert not clients_access.clients_in_family_view(user).exists()
    assert not clients_access.notes_visible_to(user).exists()
    assert not scheduling_access.upcoming_visits_for_family(user).exists()
    assert not access.access_events_visible_to(user).exists()


def test_revoked_family_access_opens_nothing(world: Cast) -> None:
    world.client.family_access.update(revoked_at=timezone.now())
    assert not clients_access.clients_in_family_view(world.family).exists()
    assert not clients_access.notes_visible_to(world.family).exists()


def test_the_client_reads_their_own_shared_notes_and_visits(world: Cast) -> None:
    user = world.client_user
    assert names(clients_access.clients_in_family_view(user)) == {"Dafydd"}
    assert [n.body for n in clients_access.notes_visible_to(user)] == ["shared=True"]
    assert scheduling_access.upcoming_visits_for_family(user).count() == 1
    assert not clients_access.clients_visible_to(user).exists()


def test_who_read_a_record_is_known_to_the_team_the_client_and_family(world: Cast) -> None:
    assert access.access_events_visible_to(world.nurse).count() == 2
    assert access.access_events_visible_to(world.family).get().client_id == world.client.id
    assert access.access_events_visible_to(world.client_user).count() == 1
    assert not access.access_events_visible_to(world.coach).exists()
    assert access.access_events_visible_to(world.other_nurse).count() == 1


def test_a_leaver_loses_access_at_once(world: Cast) -> None:
    world.carer_membership.ended_at = timezone.now()
    world.carer_membership.save()
    assert not clients_access.clients_visible_to(world.carer).exists()
    assert not clients_access.notes_visible_to(world.carer).exists()
    assert not access.teams_visible_to(world.carer).exists()


def test_an_inactive_account_sees_nothing(world: Cast) -> None:
    world.nurse.is_active = False
    world.nurse.save()
    assert not clients_access.clients_visible_to(world.nurse).exists()


@pytest.mark.parametrize(
    "scope",
    [
        clients_access.clients_visible_to,
        clients_access.clients_in_family_view,
        clients_access.notes_visible_to,
        access.access_events_visible_to,
        scheduling_access.shifts_visible_to,
        scheduling_access.absences_visible_to,
        scheduling_access.visits_visible_to,
        scheduling_access.visits_for_coach,
        scheduling_access.upcoming_visits_for_family,
        access.teams_visible_to,
        access.members_visible_to,
    ],
)
def test_anonymous_users_see_nothing(world: Cast, scope: object) -> None:
    assert not scope(AnonymousUser()).exists()  # type: ignore[operator]


def test_someone_with_no_relation_sees_nothing(world: Cast) -> None:
    assert not clients_access.clients_visible_to(world.outsider).exists()
    assert not clients_access.clients_in_family_view(world.outsider).exists()
    assert not access.teams_visible_to(world.outsider).exists()
    assert access.membership_of(world.outsider, world.team) is None


def test_scoping_costs_one_query_whatever_the_number_of_rows(
    world: Cast, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        list(clients_access.notes_visible_to(world.family))
