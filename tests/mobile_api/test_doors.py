"""Bad input gets the same answer whichever door it came through (the page, the REST API, a sync
push): the same words, about the field that caller sent, and nothing written (no record, no
change-feed entry)."""

import datetime as dt
import html
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams import limits
from careteams.models import Change, User
from clients.models import Note
from scheduling.models import Shift, ShiftKind, Visit, VisitAssignment, VisitStatus
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db

YEARS = dt.timedelta(days=5 * 365)


@dataclass
class Refusal:
    field: str
    detail: str


def page_refusal(response: Any, field: str) -> Refusal:
    """The message the page shows for a field (its link in the error summary)."""
    assert response.status_code == 400, response.status_code
    found = re.search(rf'href="#id_{field}(?:_0)?">(.*?)</a>', response.content.decode())
    assert found, f"no error for {field} on the page"
    return Refusal(field, html.unescape(found.group(1)))


def api_refusal(response: Any) -> Refusal:
    body = is_problem(response, 422)
    [error] = body["errors"]
    return Refusal(error["field"], error["detail"])


def sync_refusal(
    api: Api, team_id: uuid.UUID, kind: str, data: dict[str, Any], **top: Any
) -> Refusal:
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "kind": kind,
        "recorded_at": top.pop("recorded_at", timezone.now()).isoformat(),
        "base_version": top.pop("base_version", None),
        "data": data,
    }
    response = api.post(f"/sync/{team_id}/mutations", {"mutations": [mutation]})
    assert response.status_code == 200, response.content
    [result] = response.json()["results"]
    assert result["status"] == "rejected", result
    [error] = result["problem"]["errors"]
    return Refusal(error["field"], error["detail"])


@pytest.fixture
def nothing_written() -> Iterator[None]:
    """Whatever the test refuses, no record and no change-feed entry are left behind."""
    shifts, notes, changes = Shift.objects.count(), Note.objects.count(), Change.objects.count()
    yield
    assert Shift.objects.count() == shifts
    assert Note.objects.count() == notes
    assert Change.objects.count() == changes


def shift_form(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "member": cast.carer_membership.id,
        "day": "2030-11-25",
        "start_time": "07:00",
        "end_time": "15:00",
        "kind": "early",
        "break_minutes": 30,
    } | changes


def shift_json(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "member_id": str(cast.carer_membership.id),
        "start": "2030-11-25T07:00:00+00:00",
        "end": "2030-11-25T15:00:00+00:00",
        "kind": "early",
        "break_minutes": 30,
    } | changes


def test_an_unknown_kind_of_shift_is_refused_alike_at_every_door(
    client: HttpClient, cast: Cast, api_as: Callable[[User], Api], nothing_written: None
) -> None:
    client.force_login(cast.nurse)
    nurse = api_as(cast.nurse)
    url = reverse("scheduling:shift-new", kwargs={"team_id": cast.team.id})
    page = page_refusal(client.post(url, shift_form(cast, kind="banana")), "kind")
    api = api_refusal(nurse.post(f"/teams/{cast.team.id}/shifts", shift_json(cast, kind="banana")))
    sync = sync_refusal(nurse, cast.team.id, "shift.create", shift_json(cast, kind="banana"))
    words = limits.not_a_choice(ShiftKind.values)
    assert page == Refusal("kind", words)
    assert api == Refusal("kind", words)
    assert sync == Refusal("data.kind", words)


def test_a_note_too_long_is_refused_alike_at_every_door(
    client: HttpClient, cast: Cast, api_as: Callable[[User], Api], nothing_written: None
) -> None:
    client.force_login(cast.carer)
    carer = api_as(cast.carer)
    body = "x" * (limits.NOTE_BODY_MAX + 1)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    page = page_refusal(client.post(url, {"body": body, "note_id": str(uuid.uuid4())}), "body")
    api = api_refusal(
        carer.post(f"/clients/{cast.client.id}/notes", {"id": str(uuid.uuid4()), "body": body})
    )
    sync = sync_refusal(
        carer,
        cast.team.id,
        "note.create",
        {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": body},
    )
    words = limits.too_long(limits.NOTE_BODY_MAX)
    assert page == Refusal("body", words)
    assert api == Refusal("body", words)
    assert sync == Refusal("data.body", words)


@pytest.mark.parametrize("offset", [-YEARS, YEARS], ids=["years ago", "years ahead"])
def test_a_note_time_years_away_is_refused_alike_at_every_door_under_its_own_name(
    client: HttpClient,
    cast: Cast,
    api_as: Callable[[User], Api],
    nothing_written: None,
    offset: dt.timedelta,
) -> None:
    client.force_login(cast.carer)
    carer = api_as(cast.carer)
    when = timezone.now() + offset
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    page = page_refusal(
        client.post(url, {"body": "Slept well.", "note_id": str(uuid.uuid4()), "written_at": when}),
        "written_at",
    )
    api = api_refusal(
        carer.post(
            f"/clients/{cast.client.id}/notes",
            {"id": str(uuid.uuid4()), "body": "Slept well.", "recorded_at": when.isoformat()},
        )
    )
    sync = sync_refusal(
        carer,
        cast.team.id,
        "note.create",
        {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": "Slept well."},
        recorded_at=when,
    )
    assert page.field == "written_at"
    assert api.field == sync.field == "recorded_at"
    assert page.detail == api.detail == sync.detail


def test_an_overlapping_shift_is_refused_alike_at_every_door(
    client: HttpClient, cast: Cast, api_as: Callable[[User], Api]
) -> None:
    Shift.objects.create(
        team=cast.team,
        member=cast.carer_membership,
        start=dt.datetime(2030, 11, 25, 6, 0, tzinfo=dt.UTC),
        end=dt.datetime(2030, 11, 25, 10, 0, tzinfo=dt.UTC),
    )
    changes = Change.objects.count()
    client.force_login(cast.nurse)
    nurse = api_as(cast.nurse)
    url = reverse("scheduling:shift-new", kwargs={"team_id": cast.team.id})
    page = page_refusal(client.post(url, shift_form(cast)), "start_time")
    api = api_refusal(nurse.post(f"/teams/{cast.team.id}/shifts", shift_json(cast)))
    sync = sync_refusal(nurse, cast.team.id, "shift.create", shift_json(cast))
    assert "already has a shift then" in page.detail
    assert page.detail == api.detail == sync.detail
    assert (api.field, sync.field) == ("start", "data.start")
    assert Shift.objects.count() == 1
    assert Change.objects.count() == changes


def test_a_check_in_years_before_the_visit_is_refused_by_the_api_and_sync_under_recorded_at(
    cast: Cast, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    carer = api_as(cast.carer)
    early = visit.planned_start - YEARS
    changes = Change.objects.count()
    api = api_refusal(
        carer.post(
            f"/teams/{cast.team.id}/visits/{visit.id}/check-in",
            {"version": 1, "recorded_at": early.isoformat()},
        )
    )
    sync = sync_refusal(
        carer,
        cast.team.id,
        "visit.check_in",
        {"visit_id": str(visit.id)},
        recorded_at=early,
        base_version=1,
    )
    assert api.field == sync.field == "recorded_at"
    assert api.detail == sync.detail
    assert "before the visit's planned start" in api.detail
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    assert visit.checked_in_at is None
    assert Change.objects.count() == changes
