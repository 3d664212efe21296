"""A person's start point (where their working day starts, issue 27) is theirs alone: no answer
of the API carries it, not to them and not to their team's planner, nor does the feed."""

from collections.abc import Callable

import pytest

from careteams.incarnation import incarnation_get
from careteams.models import User
from scheduling.services.start_point import start_point_set
from tests.conftest import Cast
from tests.mobile_api.conftest import Api
from tests.scheduling.conftest import MONDAY

pytestmark = pytest.mark.django_db

# Numbers found nowhere else, so their absence means something.
LAT, LON = 52.73519, -2.71467


@pytest.mark.parametrize("who", ["carer", "nurse"])
def test_no_api_answer_carries_a_start_point_the_owners_or_their_planners(
    cast: Cast, api_as: Callable[[User], Api], who: str
) -> None:
    start_point_set(user=cast.carer, latitude=LAT, longitude=LON, version=None, actor=cast.carer)
    api = api_as(getattr(cast, who))
    team = cast.team.id
    for path in (
        "/me",
        f"/teams/{team}/members",
        f"/teams/{team}/week/{MONDAY}",
        f"/teams/{team}/my-day",
        f"/sync/{team}/changes?incarnation={incarnation_get()}",
    ):
        response = api.get(path)
        assert response.status_code == 200, (path, response.content)
        body = response.content.decode()
        assert str(LAT) not in body, path
        assert str(LON) not in body, path
        assert "start_point" not in body, path
