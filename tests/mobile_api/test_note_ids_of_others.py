"""A note naming an id of another team's record (its own id, the note it amends, its visit) is
refused beside the field at fault, at every door, in the words used for a record that does not
exist: nothing says the other team's record is there (issue 23)."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams.errors import NotFound
from careteams.models import User
from clients.models import Note
from clients.services import notes
from scheduling.models import Visit
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.mobile_api.test_sync import mutation, push

pytestmark = pytest.mark.django_db

BODY = "Walked to the shop with her frame."


@pytest.fixture
def far_note(cast: Cast) -> Note:
    return Note.objects.create(
        client=cast.other_team_client,
        author=cast.other_nurse,
        body="Elsewhere",
        recorded_at=timezone.now(),
    )


@pytest.fixture
def far_visit(cast: Cast) -> Visit:
    start = timezone.now() + dt.timedelta(days=1)
    return Visit.objects.create(
        team=cast.other_team,
        client=cast.other_team_client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=45),
    )


def page_errors(client: HttpClient, cast: Cast, **fields: Any) -> dict[str, list[str]]:
    client.force_login(cast.nurse)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    response = client.post(url, {"body": BODY, "note_id": str(uuid.uuid4())} | fields)
    assert response.status_code == 400
    errors: dict[str, list[str]] = response.context["form"].errors
    return errors


def test_the_service_names_the_note_id_of_another_teams_note_as_not_found(
    cast: Cast, far_note: Note
) -> None:
    with pytest.raises(NotFound) as refused:
        notes.note_write(client=cast.client, author=cast.nurse, body=BODY, note_id=far_note.id)
    assert refused.value.field == "note_id"
    assert Note.objects.count() == 1


def test_the_page_puts_another_teams_note_id_beside_its_field(
    client: HttpClient, cast: Cast, far_note: Note
) -> None:
    errors = page_errors(client, cast, note_id=str(far_note.id))
    assert list(errors) == ["note_id"]
    assert "another" not in errors["note_id"][0]
    assert Note.objects.count() == 1


def test_the_page_puts_another_teams_note_to_amend_or_visit_beside_its_field(
    client: HttpClient, cast: Cast, far_note: Note, far_visit: Visit
) -> None:
    assert list(page_errors(client, cast, amends=str(far_note.id))) == ["amends"]
    assert list(page_errors(client, cast, visit=str(far_visit.id))) == ["visit"]
    assert Note.objects.count() == 1


def test_the_api_names_the_id_of_another_teams_note_in_a_not_found_problem(
    cast: Cast, api_as: Callable[[User], Api], far_note: Note
) -> None:
    response = api_as(cast.nurse).post(
        f"/clients/{cast.client.id}/notes", {"id": str(far_note.id), "body": BODY}
    )
    problem = is_problem(response, 404)
    assert [e["field"] for e in problem["errors"]] == ["id"]
    assert Note.objects.count() == 1


def test_the_api_names_a_visit_of_another_team(
    cast: Cast, api_as: Callable[[User], Api], far_visit: Visit
) -> None:
    body = {"id": str(uuid.uuid4()), "body": BODY, "visit_id": str(far_visit.id)}
    response = api_as(cast.nurse).post(f"/clients/{cast.client.id}/notes", body)
    assert [e["field"] for e in is_problem(response, 422)["errors"]] == ["visit_id"]


def test_a_pushed_note_with_another_teams_note_id_names_data_id(
    cast: Cast, api_as: Callable[[User], Api], far_note: Note
) -> None:
    data = {"id": str(far_note.id), "client_id": str(cast.client.id), "body": BODY}
    (answer,) = push(api_as(cast.nurse), cast.team.id, mutation("note.create", data))
    assert answer["status"] == "rejected"
    assert answer["problem"]["status"] == 404
    assert [e["field"] for e in answer["problem"]["errors"]] == ["data.id"]
