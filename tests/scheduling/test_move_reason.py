"""A carer chosen by hand who breaks a hard rule (no shift, a missing skill, double-booked,
working time) needs a reason, on the grid and in the list alike (one service path); the hints
say beforehand which choices need one; the reason is kept with the place."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.errors import RuleBroken
from careteams.models import Membership
from scheduling.models import Visit, VisitAssignment
from scheduling.selectors.hints import move_breaks, visit_hints
from scheduling.services import visits as services
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def move_url(cast: Cast, monday: dt.date) -> str:
    kwargs = {"team_id": cast.team.id, "week": monday.isoformat()}
    return reverse("scheduling:grid-move", kwargs=kwargs)


def test_a_grid_move_that_breaks_a_hard_rule_is_refused_without_a_reason_and_kept_with_one(
    client: HttpClient, cast: Cast, monday: dt.date, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    client.force_login(cast.nurse)
    data = {"visit": visit.id, "version": visit.version, "from": "", "to": cast.nurse_membership.id}
    refused = client.post(move_url(cast, monday), data, headers=HTMX)
    assert refused.status_code == 422
    assert "breaks a rule" in refused.content.decode()
    assert not visit.assignments.exists()
    made = client.post(
        move_url(cast, monday), {**data, "reason": "Only nurse free for insulin"}, headers=HTMX
    )
    assert made.status_code == 200
    assignment = VisitAssignment.objects.get(visit=visit)
    assert assignment.member == cast.nurse_membership
    assert assignment.reason == "Only nurse free for insulin"


def test_a_move_that_breaks_no_hard_rule_needs_no_reason(
    client: HttpClient, cast: Cast, monday: dt.date, world: tuple[Visit, Membership]
) -> None:
    visit, third = world
    client.force_login(cast.nurse)
    data = {"visit": visit.id, "version": visit.version, "from": "", "to": third.id}
    assert client.post(move_url(cast, monday), data, headers=HTMX).status_code == 200
    assert VisitAssignment.objects.get(visit=visit).reason == ""


def test_the_list_asks_the_same_reason_through_the_same_service(
    client: HttpClient, cast: Cast, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    client.force_login(cast.nurse)
    url = reverse("scheduling:visit-assign", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    data = {"version": visit.version, "member": cast.carer_membership.id, "from": "week"}
    refused = client.post(url, data, headers=HTMX)
    assert refused.status_code == 422
    assert "breaks a rule" in refused.content.decode()
    assert client.post(url, {**data, "reason": "Cover agreed"}, headers=HTMX).status_code == 200
    assert VisitAssignment.objects.get(visit=visit).reason == "Cover agreed"


def test_the_hints_say_beforehand_exactly_which_choices_need_a_reason(
    cast: Cast, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    for hint in visit_hints(user=cast.nurse, team=cast.team, visit=visit).hints:
        breaks = move_breaks(user=cast.nurse, team=cast.team, visit=visit, member=hint.member)
        assert hint.needs_reason == bool(breaks), hint.name
        try:
            services.visit_assign(
                visit=visit, version=visit.version, member=hint.member, actor=cast.nurse, reason=""
            )
        except RuleBroken:
            assert hint.needs_reason, hint.name
        else:
            assert not hint.needs_reason, hint.name
            VisitAssignment.objects.filter(visit=visit).delete()
        visit.refresh_from_db()


def test_the_sheet_asks_for_the_reason_only_where_a_hard_rule_breaks(
    client: HttpClient, cast: Cast, monday: dt.date, world: tuple[Visit, Membership]
) -> None:
    visit, third = world
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:grid-hints",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": visit.id},
    )
    page = client.get(url, headers=HTMX).content.decode()
    assert f'id="reason-{cast.nurse_membership.id}"' in page
    assert f'id="reason-{third.id}"' not in page


def test_the_planners_accepted_proposals_and_bulk_assignments_ask_no_reason(
    cast: Cast, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    services.visit_assign(
        visit=visit, version=visit.version, member=cast.nurse_membership, actor=cast.nurse
    )
    assert VisitAssignment.objects.get(visit=visit).member == cast.nurse_membership
