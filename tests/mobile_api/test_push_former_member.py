"""A leaver's tablet sends what its carer wrote while still a member (issue 26): the note is
written into the record once, as a late entry under its author and the time it was written,
and listed for the team; what was written after leaving, and anyone who never was a member,
gets nothing in."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from careteams import services as team_services
from careteams.models import Membership, User
from clients.models import Note
from mobile_api.models import SyncMutation
from tablet import selectors as tablet_selectors
from tablet.models import HeldItem
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db


def a_note(
    cast: Cast, body: str, recorded_at: dt.datetime, kind: str = "note.create"
) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "kind": kind,
        "recorded_at": recorded_at.isoformat(),
        "data": {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": body},
    }


def leaves(cast: Cast, membership: Membership) -> Membership:
    return team_services.membership_end(
        membership=membership, version=membership.version, actor=cast.nurse
    )


def push(api: Api, cast: Cast, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.post(f"/sync/{cast.team.id}/mutations", {"mutations": list(mutations)})
    assert response.status_code == 200, response.content
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@pytest.fixture
def carer(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    """The carer, a member since last month."""
    Membership.objects.filter(pk=cast.carer_membership.pk).update(
        started_at=timezone.now() - dt.timedelta(days=30)
    )
    cast.carer_membership.refresh_from_db()
    return api_as(cast.carer)


def test_a_note_written_while_a_member_arrives_after_leaving_as_a_late_entry_under_its_author(
    cast: Cast, carer: Api
) -> None:
    written = timezone.now() - dt.timedelta(minutes=30)
    sent = a_note(cast, "Had a fall overnight.", written)
    ended = leaves(cast, cast.carer_membership)

    [result] = push(carer, cast, sent)

    assert result["status"] == "applied", result
    assert result["late"] is True
    note = Note.objects.get(pk=sent["data"]["id"])
    assert note.body == "Had a fall overnight."
    assert note.author == cast.carer
    assert note.recorded_at == written
    assert ended.ended_at is not None
    assert note.received_at > ended.ended_at
    # The team sees it listed as arriving from a former member's tablet.
    [late] = tablet_selectors.late_notes(user=cast.nurse, team_id=cast.team.id)
    assert late.note == note
    assert late.left_at == ended.ended_at


def test_a_late_note_sent_again_is_written_once(cast: Cast, carer: Api) -> None:
    sent = a_note(cast, "Had a fall overnight.", timezone.now() - dt.timedelta(minutes=5))
    leaves(cast, cast.carer_membership)

    first = push(carer, cast, sent)
    again = push(carer, cast, sent)

    assert first[0]["status"] == again[0]["status"] == "applied"
    assert again[0]["repeated"] is True
    assert Note.objects.filter(body="Had a fall overnight.").count() == 1
    assert SyncMutation.objects.filter(user=cast.carer).count() == 1


def test_a_note_written_after_leaving_is_refused_and_nothing_else_of_a_leaver_is_applied(
    cast: Cast, carer: Api
) -> None:
    leaves(cast, cast.carer_membership)
    after = a_note(cast, "Written after leaving.", timezone.now())
    before_joining = a_note(
        cast, "Before joining.", cast.carer_membership.started_at - dt.timedelta(hours=1)
    )
    shift_gone = {
        "mutation_id": str(uuid.uuid4()),
        "kind": "shift.delete",
        "recorded_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "base_version": 1,
        "data": {"shift_id": str(uuid.uuid4())},
    }

    results = push(carer, cast, after, before_joining, shift_gone)

    # A change other than a note, recorded while a member, is held for the team, not applied
    # (tests/mobile_api/test_push_held_items.py).
    assert [r["status"] for r in results] == ["rejected", "rejected", "held"]
    assert results[0]["problem"]["code"] == "former_member"
    assert results[0]["problem"]["errors"][0]["field"] == "recorded_at"
    assert not Note.objects.filter(author=cast.carer).exists()
    assert tablet_selectors.late_notes(user=cast.nurse, team_id=cast.team.id) == []


def test_a_user_of_another_team_still_gets_404(cast: Cast, api_as: Callable[[User], Api]) -> None:
    outsider = api_as(cast.other_nurse)
    sent = a_note(cast, "Not my team.", timezone.now() - dt.timedelta(minutes=5))
    response = outsider.post(f"/sync/{cast.team.id}/mutations", {"mutations": [sent]})
    is_problem(response, 404)
    assert not Note.objects.filter(pk=sent["data"]["id"]).exists()


def test_a_leaver_who_rejoined_writes_as_a_member_not_a_late_entry(cast: Cast, carer: Api) -> None:
    leaves(cast, cast.carer_membership)
    Membership.objects.create(user=cast.carer, team=cast.team, role=cast.carer_membership.role)
    sent = a_note(cast, "Back again.", timezone.now())

    [result] = push(carer, cast, sent)

    assert result["status"] == "applied"
    assert result["late"] is False
    assert tablet_selectors.late_notes(user=cast.nurse, team_id=cast.team.id) == []


def test_only_members_of_the_team_see_the_late_notes(cast: Cast, carer: Api) -> None:
    push(carer, cast, a_note(cast, "Had a fall.", timezone.now() - dt.timedelta(minutes=5)))
    leaves(cast, cast.carer_membership)
    for outsider in (cast.other_nurse, cast.coach, cast.family, cast.carer):
        with pytest.raises(Exception, match="Not found"):
            tablet_selectors.late_notes(user=outsider, team_id=cast.team.id)


def the_teams_page(cast: Cast) -> str:
    """What a nurse of the team reads on its page of what came from a former member's tablet."""
    nurse = HttpClient()
    nurse.force_login(cast.nurse)
    response = nurse.get(f"/teams/{cast.team.id}/late-notes/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_leavers_note_the_record_cannot_take_as_it_is_is_held_for_the_team_not_lost(
    cast: Cast, carer: Api
) -> None:
    written = timezone.now() - dt.timedelta(minutes=30)
    unknown_problem = a_note(cast, "Fell in the kitchen", written)
    unknown_problem["data"]["problem_ids"] = [str(uuid.uuid4())]
    unknown_client = a_note(cast, "Not eating", written)
    unknown_client["data"]["client_id"] = str(uuid.uuid4())
    leaves(cast, cast.carer_membership)
    results = push(carer, cast, unknown_problem, unknown_client)
    assert [r["status"] for r in results] == ["held", "held"]
    held = HeldItem.objects.filter(team=cast.team, author=cast.carer)
    assert sorted(item.payload["body"] for item in held) == ["Fell in the kitchen", "Not eating"]
    assert not Note.objects.filter(body__in=["Fell in the kitchen", "Not eating"]).exists()
    # The team reads them in plain words on its page of what came from a former member.
    page = the_teams_page(cast)
    assert "A note written at" in page
    assert "“Fell in the kitchen”" in page
