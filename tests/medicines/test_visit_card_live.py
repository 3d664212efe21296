"""The visit card's live script starts from the feed position the card was read at: rendered
without it, every load replayed the team's feed from its start, and the medicines part (which
refreshes on a line's change) was swapped under the carer's first tap, undoing what it showed."""

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Team
from tests.conftest import Cast
from tests.medicines.visit_fixtures import make_line, morning_visit

pytestmark = pytest.mark.django_db


def test_the_visit_card_carries_the_feed_position_it_was_read_at(
    client: HttpClient, cast: Cast
) -> None:
    make_line(cast)
    visit = morning_visit(cast)
    Team.objects.filter(pk=cast.team.pk).update(last_change_seq=41)
    client.force_login(cast.carer)
    kwargs = {"team_id": cast.team.id, "visit_id": visit.id}
    page = client.get(reverse("scheduling:visit-card", kwargs=kwargs)).content.decode()
    assert re.findall(r'data-live-cursor="([^"]*)"', page) == ["41"]
