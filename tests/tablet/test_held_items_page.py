"""The team's page "From a former member's tablet" (issue 26): the items a leaver's tablet sent
that are held for the team, in plain words, each marked reviewed by a member of the team (a
versioned write, in the team's feed); nobody else sees the page or reviews anything."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client as HttpClient

from careteams.models import Change, Membership
from scheduling.models import Visit, VisitAssignment
from tablet.models import HeldItem, HeldOutcome
from tablet.services import held_item_hold
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# A fixed past day in winter (the team's time zone, London, is UTC then): no clock read.
JOINED = dt.datetime(2025, 11, 1, 8, 0, tzinfo=UTC)
CHECKED_IN = dt.datetime(2025, 12, 7, 9, 12, tzinfo=UTC)
LEFT = dt.datetime(2025, 12, 7, 12, 0, tzinfo=UTC)


def signed_in(user: object) -> HttpClient:
    client = HttpClient()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def held(cast: Cast) -> HeldItem:
    """Aoife checked in at 09:12 for Mary O'Neill's visit on a tablet without signal; she left
    the team at noon, and the check-in arrived afterwards."""
    Membership.objects.filter(pk=cast.carer_membership.pk).update(started_at=JOINED, ended_at=LEFT)
    cast.carer_membership.refresh_from_db()
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.other_client_same_team,
        planned_start=CHECKED_IN,
        planned_end=CHECKED_IN + dt.timedelta(minutes=30),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return held_item_hold(
        membership=cast.carer_membership,
        mutation_id=uuid.uuid4(),
        kind="visit.check_in",
        payload={"visit_id": str(visit.id)},
        recorded_at=CHECKED_IN,
    )


def page_of(cast: Cast) -> str:
    return f"/teams/{cast.team.id}/late-notes/"


def review_of(cast: Cast, item: HeldItem) -> str:
    return f"/teams/{cast.team.id}/late-notes/held/{item.id}/review/"


def test_the_team_reads_a_held_check_in_in_plain_words_with_its_author_and_times(
    cast: Cast, held: HeldItem
) -> None:
    page = signed_in(cast.nurse).get(page_of(cast))

    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>From a former member's tablet</h1>" in text
    assert "Check-in at 09:12 for the visit to Mary O&#x27;Neill on 7 Dec" in text
    assert "Recorded by Aoife Ní Bhriain on Sun 7 Dec 2025, 09:12" in text
    assert "they left the team on Sun 7 Dec 2025, 12:00" in text
    assert "Awaiting review" in text
    assert f'action="{review_of(cast, held)}"' in text


def test_a_member_marks_a_held_item_reviewed_and_the_change_is_in_the_feed(
    cast: Cast, held: HeldItem
) -> None:
    answer = signed_in(cast.nurse).post(
        review_of(cast, held),
        {"outcome": "entered", "comment": "Entered on the visit by hand.", "version": "1"},
    )

    assert answer.status_code == 302
    held.refresh_from_db()
    assert held.outcome == HeldOutcome.ENTERED
    assert held.comment == "Entered on the visit by hand."
    assert held.reviewed_by == cast.nurse
    assert held.reviewed_at is not None
    assert held.version == 2
    change = Change.objects.filter(entity="held_item", entity_id=held.id).latest("seq")
    assert change.version == 2
    assert change.actor == cast.nurse
    assert change.data["outcome"] == "entered"
    assert "payload" not in change.data
    text = signed_in(cast.nurse).get(page_of(cast)).content.decode()
    assert "Entered into the record" in text
    assert "Reviewed by Siân Ellis" in text


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({"outcome": "entered", "comment": "", "version": "0"}, "changed by someone else"),
        ({"outcome": "not_needed", "comment": "", "version": "1"}, "Say why this is not needed."),
        ({"outcome": "", "comment": "", "version": "1"}, "Choose what became of this item"),
    ],
)
def test_a_stale_or_incomplete_review_is_refused_and_says_why(
    cast: Cast, held: HeldItem, posted: dict[str, Any], error: str
) -> None:
    answer = signed_in(cast.nurse).post(review_of(cast, held), posted)

    assert answer.status_code in (400, 409)
    assert error in answer.content.decode()
    held.refresh_from_db()
    assert held.reviewed_at is None
    assert held.version == 1


def test_nobody_outside_the_team_sees_or_reviews_held_items(cast: Cast, held: HeldItem) -> None:
    # Another team's nurse, the team's coach, a client's family, the former member herself.
    for outsider in (cast.other_nurse, cast.coach, cast.family, cast.carer):
        browser = signed_in(outsider)
        assert browser.get(page_of(cast)).status_code == 404
        posted = {"outcome": "entered", "comment": "", "version": "1"}
        assert browser.post(review_of(cast, held), posted).status_code == 404
    held.refresh_from_db()
    assert held.reviewed_at is None


def test_the_team_home_counts_the_items_awaiting_review_and_links_the_page(
    cast: Cast, held: HeldItem
) -> None:
    text = signed_in(cast.nurse).get(f"/teams/{cast.team.id}/").content.decode()

    assert f'href="{page_of(cast)}"' in text
    assert "1 item from a former member's tablet awaits review" in text


def test_the_leave_page_links_to_what_arrives_from_the_leavers_tablet(cast: Cast) -> None:
    membership = cast.carer_membership
    text = (
        signed_in(cast.nurse)
        .get(f"/teams/{cast.team.id}/members/{membership.id}/leave/")
        .content.decode()
    )
    assert f'href="{page_of(cast)}"' in text


def test_the_admin_shows_a_held_item_and_changes_or_deletes_nothing(
    admin_client: HttpClient, held: HeldItem
) -> None:
    base = "/admin/tablet/helditem/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}{held.id}/change/").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{held.id}/delete/", {"post": "yes"}).status_code == 403
    assert HeldItem.objects.filter(pk=held.id).exists()
