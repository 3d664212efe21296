"""The scoping of access.py inside a request, where the user's ids are read once: every test of
tests/careteams/test_access.py again, with the request's scope on, and what the once-per-request
read must never do (outlive its request, miss a change made within it)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from careteams import access
from careteams.errors import NotFound
from careteams.models import Membership, Role
from clients import access as clients_access
from tests.careteams import test_access as outside_a_request
from tests.careteams.test_access import world  # noqa: F401 (the fixture the tests use)
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_a_request() -> Iterator[None]:
    with access.request_scope():
        yield


# Every test of the module outside a request, here inside one. The query count of a bare
# scope differs by design (the ids cost one query per request, asserted below).
for _name, _test in vars(outside_a_request).items():
    if (
        _name.startswith("test_")
        and _name != "test_scoping_costs_one_query_whatever_the_number_of_rows"
    ):
        globals()[_name] = _test


def test_within_a_request_the_scope_costs_one_query_and_each_list_one(
    world: Cast,  # noqa: F811
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(3):
        list(clients_access.notes_visible_to(world.family))  # the scope, then the notes
        list(clients_access.clients_in_family_view(world.family))
    with django_assert_num_queries(0):
        assert access.has_family_view(world.family)
        assert not access.coaches_any_team(world.family)
        assert access.membership_of(world.family, world.team) is None


def test_a_membership_is_read_once_per_request_and_team(
    world: Cast,  # noqa: F811
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(2):
        assert access.membership_of(world.nurse, world.team) == world.nurse_membership
        assert access.membership_of(world.nurse, world.team) == world.nurse_membership
        assert access.membership_of(world.nurse, world.other_team) is None


def test_a_leaver_loses_access_within_the_same_request(world: Cast) -> None:  # noqa: F811
    assert clients_access.clients_visible_to(world.carer).exists()
    assert access.membership_of(world.carer, world.team) is not None
    world.carer_membership.ended_at = timezone.now()
    world.carer_membership.save()
    assert not clients_access.clients_visible_to(world.carer).exists()
    assert access.membership_of(world.carer, world.team) is None
    with pytest.raises(NotFound):
        access.require_member_of(world.carer, world.team.id)


def test_a_joiner_gains_access_within_the_same_request(world: Cast) -> None:  # noqa: F811
    assert not clients_access.clients_visible_to(world.outsider).exists()
    Membership.objects.create(user=world.outsider, team=world.team, role=Role.CARE_WORKER)
    assert clients_access.clients_visible_to(world.outsider).count() == 2
    access.require_member_of(world.outsider, world.team.id)


def test_the_scope_read_in_one_request_is_not_used_by_the_next(world: Cast) -> None:  # noqa: F811
    """The same user object (a socket keeps one for hours) in two requests: the second reads
    the change made between them, even one that no signal announces (a bulk update)."""
    user = world.carer
    assert clients_access.clients_visible_to(user).exists()
    Membership.objects.filter(pk=world.carer_membership.pk).update(ended_at=timezone.now())
    with access.request_scope():
        assert not clients_access.clients_visible_to(user).exists()
        assert not access.teams_visible_to(user).exists()


def test_outside_a_request_nothing_is_kept(world: Cast, django_assert_num_queries: Any) -> None:  # noqa: F811
    with access.request_scope():
        clients_access.clients_visible_to(world.nurse).exists()
    token = access._request_scope.set(None)
    try:
        assert access.scope_ids(world.nurse) is None
        Membership.objects.filter(pk=world.nurse_membership.pk).update(ended_at=timezone.now())
        assert not clients_access.clients_visible_to(world.nurse).exists()
    finally:
        access._request_scope.reset(token)


def test_through_the_middleware_a_member_reads_the_record_and_a_stranger_gets_404(
    world: Cast,  # noqa: F811
) -> None:
    page = reverse("clients:client-detail", kwargs={"client_id": world.client.id})
    member, stranger = Browser(), Browser()
    member.force_login(world.nurse)
    stranger.force_login(world.other_nurse)
    assert member.get(page).status_code == 200
    assert stranger.get(page).status_code == 404
