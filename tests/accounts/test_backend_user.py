"""The request's user, loaded by the sign-in backend with the facts the sign-in rules need, in
one statement compiled once (accounts/backends.py): the same user and facts as the ORM's own
query, and nobody for an id that names no one."""

import uuid

import pytest

from accounts import policy
from accounts.backends import EmailBackend
from careteams.models import User
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_the_backend_loads_each_user_with_the_facts_the_orm_gives(cast: Cast) -> None:
    backend = EmailBackend()
    for person in (cast.nurse, cast.coach, cast.family, cast.outsider):
        user = backend.get_user(person.pk)
        assert user is not None
        expected = policy.with_sign_in_facts(User.objects.filter(pk=person.pk)).get()
        assert (user.pk, user.email, user.password) == (person.pk, person.email, person.password)
        assert user.date_joined == person.date_joined
        for name in policy.FACTS:
            assert getattr(user, name) == getattr(expected, name), (person.email, name)
    assert policy.is_staff(backend.get_user(cast.nurse.pk))
    assert not policy.is_staff(backend.get_user(cast.family.pk))


def test_an_id_that_names_nobody_or_nothing_loads_no_user(cast: Cast) -> None:
    backend = EmailBackend()
    assert backend.get_user(uuid.uuid4()) is None
    assert backend.get_user("not an id") is None
    User.objects.filter(pk=cast.carer.pk).update(is_active=False)
    assert backend.get_user(cast.carer.pk) is None
