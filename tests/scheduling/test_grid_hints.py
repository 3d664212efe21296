"""Hints before assigning: each member ranked for a visit with what taking it would mean, and
the problems the move would bring in, which are what the rules checker finds after the move."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Membership
from scheduling import rules, selectors
from scheduling.models import Visit
from scheduling.selectors.hints import new_problems_for, visit_hints
from scheduling.services import visits as services
from tests.conftest import Cast
from tests.scheduling.conftest import big_team, on

pytestmark = pytest.mark.django_db


def problems_now(cast: Cast, monday: dt.date) -> list[rules.Problem]:
    """What the board's rules checker says of the week as it is stored."""
    rows = selectors.week_rows(user=cast.nurse, team=cast.team, monday=monday)
    return rules.check(selectors.plan_of(rows))


def test_each_member_is_ranked_with_shift_skills_clashes_travel_hours_and_continuity(
    cast: Cast, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    found = visit_hints(user=cast.nurse, team=cast.team, visit=visit)
    by_name = {h.name: h for h in found.hints}
    assert found.hints[0].name == "Ffion Morgan"
    best = by_name["Ffion Morgan"]
    assert best.shift is not None
    assert best.clashes == []
    assert best.errors == 0
    assert best.seen == 3
    assert best.travel_from == "Mary O'Neill"
    assert best.travel_minutes
    assert best.expected_hours == 20
    carer = by_name["Aoife Ní Bhriain"]
    assert carer.shift is not None
    assert [c.client_name for c in carer.clashes] == ["Mary O'Neill"]
    assert carer.missing_skills == ["Insulin administration"]
    assert {p.code for p in carer.problems} >= {"overlapping_visits", "missing_skill"}
    nurse = by_name["Siân Ellis"]
    assert nurse.shift is None
    assert any(p.code == "assigned_without_shift" for p in nurse.problems)


@pytest.mark.parametrize("who", ["carer_membership", "nurse_membership", "third"])
def test_the_hints_are_what_the_rules_checker_says_after_the_move(
    cast: Cast, monday: dt.date, world: tuple[Visit, Membership], who: str
) -> None:
    visit, third = world
    member = third if who == "third" else getattr(cast, who)
    hint = next(
        h
        for h in visit_hints(user=cast.nurse, team=cast.team, visit=visit).hints
        if h.member.id == member.id
    )
    before = problems_now(cast, monday)
    services.visit_assign(visit=visit, version=visit.version, member=member, actor=cast.nurse)
    after = problems_now(cast, monday)
    assert hint.problems == new_problems_for(before, after, member.id)
    rows = selectors.week_rows(user=cast.nurse, team=cast.team, monday=monday)
    assert hint.planned_hours == rules.planned_hours(selectors.plan_of(rows)).get(member.id, 0)


def test_a_move_from_one_carer_to_another_is_hinted_as_the_checker_sees_it_after(
    cast: Cast, monday: dt.date, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    services.visit_assign(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.nurse
    )
    visit.refresh_from_db()
    found = visit_hints(
        user=cast.nurse, team=cast.team, visit=visit, from_member=cast.carer_membership
    )
    assert cast.carer_membership.id not in {h.member.id for h in found.hints}
    hint = next(h for h in found.hints if h.member.id == cast.nurse_membership.id)
    before = problems_now(cast, monday)
    services.visit_move(
        visit=visit,
        version=visit.version,
        from_member=cast.carer_membership,
        member=cast.nurse_membership,
        actor=cast.nurse,
    )
    after = problems_now(cast, monday)
    assert hint.problems == new_problems_for(before, after, cast.nurse_membership.id)
    assert hint.problems


def test_the_hints_page_lists_the_members_best_first_with_a_move_button_each(
    client: HttpClient, cast: Cast, monday: dt.date, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:grid-hints",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": visit.id},
    )
    page = client.get(url).content.decode()
    assert page.index("Move to Ffion Morgan") < page.index("Move to Aoife Ní Bhriain")
    assert "Has seen this client 3 times" in page
    assert "Not on shift then" in page
    assert "Double-booked" in page
    assert "min travel from Mary O&#x27;Neill" in page
    assert "Error: " in page


def test_the_lists_dropdown_ranks_the_members_with_their_hints(
    client: HttpClient, cast: Cast, monday: dt.date, world: tuple[Visit, Membership]
) -> None:
    visit, _third = world
    client.force_login(cast.nurse)
    row = reverse(
        "scheduling:visit-row",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": visit.id},
    )
    page = client.get(row + "?choose=1").content.decode()
    options = page[page.index("<select") : page.index("</select>")]
    assert options.index("Ffion Morgan – on shift, free") < options.index("Aoife Ní Bhriain")
    assert "seen 3 times" in options
    assert "Siân Ellis – no shift" in options


def test_the_hints_of_a_big_teams_visit_take_a_fixed_number_of_queries(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    big_team(cast.team, members=12, visits=400)
    visit = Visit.objects.filter(team=cast.team, planned_start__gte=on(2, "00:00")).first()
    assert visit is not None
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:grid-hints",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": visit.id},
    )
    with django_assert_max_num_queries(20):  # type: ignore[attr-defined]
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.count(b"Move to ") == 14 - visit.assignments.count()
    # The list's row with its ranked dropdown: the row's reads and the hints' together.
    row = reverse(
        "scheduling:visit-row",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": visit.id},
    )
    with django_assert_max_num_queries(36):  # type: ignore[attr-defined]
        assert client.get(row + "?choose=1").status_code == 200
