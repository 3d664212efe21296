"""Reads compiled once per process (careteams/compiled.py): the user's scope, which every
request reads, gives the rows the ORM's own query gives, for every kind of user, and is compiled
by the ORM once only."""

import uuid
from typing import Any

import pytest
from django.db.models import QuerySet

from careteams import access
from careteams.compiled import CompiledRead
from careteams.models import Team
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_the_compiled_scope_read_gives_the_rows_of_the_orms_query_for_every_kind_of_user(
    cast: Cast,
) -> None:
    people = [cast.nurse, cast.carer, cast.coach, cast.family, cast.client_user, cast.outsider]
    for person in people:
        compiled = sorted(access._SCOPE_READ.rows(person.pk))
        orm = sorted(access._scope_rows(person.pk))
        assert [(kind, uuid.UUID(str(i))) for kind, i in compiled] == orm, person.email
    kinds = {
        person.email: {kind for kind, _ in access._SCOPE_READ.rows(person.pk)} for person in people
    }
    assert kinds == {
        cast.nurse.email: {1},
        cast.carer.email: {1},
        cast.coach.email: {2},
        cast.family.email: {3},
        cast.client_user.email: {3},
        cast.outsider.email: set(),
    }


def test_a_compiled_read_is_built_once_and_run_with_each_id(cast: Cast) -> None:
    built: list[Any] = []

    def build(team_id: Any) -> QuerySet[Any, Any]:
        built.append(team_id)
        return Team.objects.filter(id=team_id).values_list("name")

    read = CompiledRead(build, Team._meta.pk)
    assert read.rows(cast.team.pk) == [(cast.team.name,)]
    assert read.rows(cast.other_team.pk) == [(cast.other_team.name,)]
    assert read.rows(uuid.uuid4()) == []
    assert len(built) == 1
    read.forget()
    read.rows(cast.team.pk)
    assert len(built) == 2


def test_a_query_that_does_not_filter_on_its_id_is_refused() -> None:
    read = CompiledRead(lambda _: Team.objects.values_list("name"), Team._meta.pk)
    with pytest.raises(ValueError, match="does not filter"):
        read.rows(uuid.uuid4())
