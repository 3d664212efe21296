"""The team's list of notes from a former member's tablet (issue 26), and kept copies of pages
that carry none of the carer's one-time messages."""

import datetime as dt
import uuid

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from careteams import services as team_services
from careteams.errors import FormerMember
from careteams.models import Membership
from clients.services import notes as note_services
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> HttpClient:
    client = HttpClient()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_team_reads_a_late_note_with_its_author_and_times_and_nobody_else_does(
    cast: Cast,
) -> None:
    Membership.objects.filter(pk=cast.carer_membership.pk).update(
        started_at=timezone.now() - dt.timedelta(days=30)
    )
    cast.carer_membership.refresh_from_db()
    written = timezone.now() - dt.timedelta(hours=2)
    ended = team_services.membership_end(
        membership=cast.carer_membership, version=cast.carer_membership.version, actor=cast.nurse
    )
    note_services.note_write_late(
        membership=ended,
        client=cast.client,
        body="Had a fall overnight.",
        note_id=uuid.uuid4(),
        written_at=written,
    )
    url = f"/teams/{cast.team.id}/late-notes/"

    page = signed_in(cast.nurse).get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Had a fall overnight." in text
    assert "Written by Aoife Ní Bhriain" in text
    assert cast.client.full_name in text
    for outsider in (cast.other_nurse, cast.coach, cast.family, cast.carer):
        assert signed_in(outsider).get(url).status_code == 404


def test_a_note_written_after_its_author_left_is_not_taken_in(cast: Cast) -> None:
    ended = team_services.membership_end(
        membership=cast.carer_membership, version=cast.carer_membership.version, actor=cast.nurse
    )
    with pytest.raises(FormerMember):
        note_services.note_write_late(
            membership=ended,
            client=cast.client,
            body="After leaving.",
            note_id=uuid.uuid4(),
            written_at=timezone.now(),
        )
