"""The team's stated preferences reach the planner: the usual carers of a client's patterns."""

import datetime as dt
from collections.abc import Callable

import pytest

from careteams.models import Membership
from scheduling.models import Shift, Visit, VisitPattern
from scheduling.selectors.planning import plan_input
from scheduling.services import planning
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "PLAN_SECONDS", 2.0)


def usual(cast: Cast, members: list[Membership], monday: dt.date) -> None:
    VisitPattern.objects.create(
        team=cast.team,
        client=cast.other_client_same_team,
        weekdays=[6],
        window_start=dt.time(18, 0),
        window_end=dt.time(18, 30),
        duration_minutes=30,
        valid_from=monday,
        usual_carers=[str(m.id) for m in members],
    )


@pytest.mark.parametrize("preferred", ["nurse_membership", "carer_membership"])
def test_the_planner_proposes_the_clients_usual_carer_and_says_why(
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
    preferred: str,
) -> None:
    member = getattr(cast, preferred)
    usual(cast, [member], monday)
    make_shift(cast.nurse_membership, 0)
    make_shift(cast.carer_membership, 0)
    visit = make_visit(client=cast.other_client_same_team, day=0)
    run = planning.plan_run_start(
        team=cast.team, monday=monday, day=None, actor=cast.nurse, background=False
    )
    [proposal] = [p for p in run.proposals if p["visit_id"] == str(visit.id)]
    assert proposal["member_ids"] == [str(member.id)]
    name = member.user.get_full_name()
    assert f"the team prefers {name} for Mary O'Neill" in proposal["reasons"]


def test_the_first_usual_carer_weighs_most_and_a_stopped_pattern_not_at_all(
    cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    usual(cast, [cast.carer_membership, cast.nurse_membership], monday)
    VisitPattern.objects.create(
        team=cast.team,
        client=cast.client,
        weekdays=[1],
        window_start=dt.time(8, 0),
        window_end=dt.time(8, 30),
        duration_minutes=30,
        valid_from=monday,
        active=False,
        usual_carers=[str(cast.nurse_membership.id)],
    )
    make_visit(client=cast.other_client_same_team, day=0)
    make_visit(day=0, start="11:00", end="11:30")
    built = plan_input(user=cast.nurse, team=cast.team, monday=monday, day=None)
    weights = {m.id: dict(m.preferences) for m in built.data.members}
    mary = str(cast.other_client_same_team.id)
    assert weights[str(cast.carer_membership.id)] == {mary: 3}
    assert weights[str(cast.nurse_membership.id)] == {mary: 2}
