"""Marking a colleague as left ends their access at once, so only those the team chose for
membership changes may do it (the role in the team's settings, as for skills and hours), never a
student; anyone may say it of themselves. Who did it stays in the team's history."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams import services
from careteams.errors import NotAllowed
from careteams.models import Change, Membership, Role
from tests.conftest import Cast, make_user


def leave_url(cast: Cast, membership: Membership) -> str:
    return reverse(
        "membership-end", kwargs={"team_id": cast.team.id, "membership_id": membership.id}
    )


def team_home(cast: Cast) -> str:
    return reverse("team-home", kwargs={"team_id": cast.team.id})


@pytest.fixture
def student(cast: Cast) -> Membership:
    user = make_user("student@example.test", "Sam", "Student")
    return Membership.objects.create(user=user, team=cast.team, role=Role.STUDENT)


@pytest.mark.django_db
def test_a_student_may_not_mark_a_colleague_as_left(
    client: HttpClient, cast: Cast, student: Membership
) -> None:
    client.force_login(student.user)
    membership = cast.carer_membership
    page = client.get(leave_url(cast, membership))
    assert page.status_code == 403
    assert "Confirm that" not in page.content.decode()
    response = client.post(leave_url(cast, membership), {"version": membership.version})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.ended_at is None
    # Only their own row offers it.
    home = client.get(team_home(cast)).content.decode()
    assert home.count("Mark as left") == 1
    assert 'Mark as left<span class="nhsuk-u-visually-hidden">: Sam Student' in home


@pytest.mark.django_db
def test_a_student_may_say_they_have_left_themselves(
    client: HttpClient, cast: Cast, student: Membership
) -> None:
    client.force_login(student.user)
    response = client.post(leave_url(cast, student), {"version": student.version})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.ended_at is not None


@pytest.mark.django_db
def test_when_the_team_chose_a_role_only_its_holders_mark_colleagues_as_left(
    client: HttpClient, cast: Cast
) -> None:
    cast.team.managed_by_role = "planner"
    cast.team.save()
    cast.nurse_membership.team_roles = ["planner"]
    cast.nurse_membership.save()
    colleague = make_user("second.carer@example.test", "Rhian", "Jones")
    second = Membership.objects.create(user=colleague, team=cast.team, role=Role.CARE_WORKER)

    client.force_login(cast.carer)
    assert client.post(leave_url(cast, second), {"version": second.version}).status_code == 403
    second.refresh_from_db()
    assert second.ended_at is None

    client.force_login(cast.nurse)
    assert client.post(leave_url(cast, second), {"version": second.version}).status_code == 302
    second.refresh_from_db()
    assert second.ended_at is not None
    change = Change.objects.get(entity="membership", entity_id=second.id)
    assert change.actor_id == cast.nurse.pk


@pytest.mark.django_db
def test_the_service_refuses_a_student_whatever_door_they_use(
    cast: Cast, student: Membership
) -> None:
    membership = cast.carer_membership
    with pytest.raises(NotAllowed):
        services.membership_end(
            membership=membership, version=membership.version, actor=student.user
        )
    membership.refresh_from_db()
    assert membership.ended_at is None
