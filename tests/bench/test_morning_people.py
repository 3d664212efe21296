"""The morning-peak bench's people (bench/load/morning_people.py): carers with visits today,
a planner with visits of the coming days to reshuffle, family readers given access through the
services, and all of it undone by sign_out."""

import datetime as dt

import pytest
import time_machine

from accounts.models import DeviceToken
from bench.load import morning_people
from careteams.models import Membership
from clients.models import FamilyAccess
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast

# A Wednesday morning in London: "today" is the same day whatever the real clock says.
WEDNESDAY = dt.datetime(2026, 12, 2, 7, 30, tzinfo=dt.UTC)


def visit(cast: Cast, start: dt.datetime, member: Membership) -> Visit:
    made = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
    )
    VisitAssignment.objects.create(visit=made, member=member)
    return made


@pytest.mark.django_db
def test_carers_today_a_planner_and_readers_are_signed_in_and_signed_out(cast: Cast) -> None:
    with time_machine.travel(WEDNESDAY, tick=False):
        visit(cast, WEDNESDAY + dt.timedelta(hours=2), cast.carer_membership)
        # Yesterday's visit of the other carer makes them no carer of today.
        visit(cast, WEDNESDAY - dt.timedelta(days=1), cast.nurse_membership)
        coming = visit(cast, WEDNESDAY + dt.timedelta(days=1), cast.nurse_membership)
        people = morning_people.sign_in(carers=5, planners=3, readers=2)

    assert [c.email for c in people.carers] == [cast.carer.email]
    assert (people.carers[0].team_id, people.carers[0].cursor) == (cast.team.id, "0")
    assert [(p.email, p.places) for p in people.planners] == [
        (cast.nurse.email, ((coming.id, cast.nurse_membership.id),))
    ]
    assert len(people.readers) == 2
    assert {r.client_id for r in people.readers} <= {cast.client.id, cast.other_client_same_team.id}
    live = FamilyAccess.objects.filter(revoked_at__isnull=True, person__isnull=False)
    assert live.filter(id__in=[r.access_id for r in people.readers]).count() == 2
    assert DeviceToken.objects.filter(revoked_at__isnull=True).count() == 4

    morning_people.sign_out(people)
    assert DeviceToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert not live.filter(id__in=[r.access_id for r in people.readers]).exists()


@pytest.mark.django_db
def test_a_carer_whose_visit_today_has_begun_is_not_taken(cast: Cast) -> None:
    with time_machine.travel(WEDNESDAY, tick=False):
        started = visit(cast, WEDNESDAY + dt.timedelta(hours=1), cast.carer_membership)
        Visit.objects.filter(pk=started.pk).update(status="in_progress")
        assert morning_people.carers_today(5) == []
