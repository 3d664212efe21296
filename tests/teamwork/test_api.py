"""The team's workings through the API: the same services, versioned writes, problem+json
naming the field at fault, another team's records a 404."""

from collections.abc import Callable
from typing import Any

import pytest

from careteams.models import Change, Team, User
from teamwork.models import Decision
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.teamwork.conftest import Workings

pytestmark = pytest.mark.django_db


def test_settings_change_through_the_api_is_versioned_and_in_the_feed(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    api = api_as(cast.carer)
    url = f"/teams/{cast.team.id}/settings"
    got = api.get(url)
    assert got.json()["may_manage"] is True
    assert got["ETag"] == '"1"'
    changed = api.put(url, {"continuity_limit": 2, "version": 1})
    assert changed.status_code == 200, changed.content
    assert changed.json()["continuity_limit"] == 2
    assert Team.objects.get(pk=cast.team.pk).name == "Riverside"  # not sent: unchanged
    assert Change.objects.filter(entity="team").latest("seq").actor == cast.carer
    stale = api.put(url, {"continuity_limit": 5, "version": 1})
    assert is_problem(stale, 409)["current"]["continuity_limit"] == 2
    assert is_problem(api.put(url, {"continuity_limit": 2}), 422)["errors"][0]["field"] == (
        "version"
    )


def test_a_bad_setting_is_a_problem_naming_its_field(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    api = api_as(cast.nurse)
    body = is_problem(
        api.put(f"/teams/{cast.team.id}/settings", {"continuity_limit": 0, "version": 1}), 422
    )
    assert body["errors"][0]["field"] == "continuity_limit"
    body = is_problem(
        api.put(f"/teams/{cast.team.id}/settings", {"name": "   ", "version": 1}), 422
    )
    assert body["errors"][0]["field"] == "name"


def test_member_hours_to_two_decimals_are_refused_under_contracted_hours(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    url = f"/teams/{cast.team.id}/members/{cast.carer_membership.id}"
    body = is_problem(
        api_as(cast.nurse).put(url, {"skills": [], "contracted_hours": 20.25, "version": 1}), 422
    )
    assert body["errors"][0]["field"] == "contracted_hours"
    ok = api_as(cast.nurse).put(
        url, {"skills": ["dementia"], "contracted_hours": 20.5, "version": 1}
    )
    assert ok.json()["contracted_hours"] == 20.5


def test_agenda_to_decision_to_action_through_the_api(
    cast: Cast, workings: Workings, api_as: Callable[[User], Api]
) -> None:
    api = api_as(cast.nurse)
    team = f"/teams/{cast.team.id}"
    item = api.post(f"{team}/meetings/{workings.meeting.id}/agenda", {"title": "Mileage"})
    assert item.status_code == 201
    objected = api.post(
        f"{team}/agenda/{item.json()['id']}/decision",
        {
            "text": "Weekly",
            "outcome": "agreed",
            "present": [str(cast.nurse_membership.id)],
            "objections": "Too often",
        },
    )
    assert is_problem(objected, 422)["errors"][0]["field"] == "objections"
    decided = api.post(
        f"{team}/agenda/{item.json()['id']}/decision",
        {"text": "Weekly", "outcome": "agreed", "present": [str(cast.nurse_membership.id)]},
    )
    assert decided.status_code == 201
    decision_id = decided.json()["id"]
    action = api.post(
        f"{team}/decisions/{decision_id}/actions",
        {
            "text": "Send the form",
            "owner_id": str(cast.carer_membership.id),
            "due_on": "2030-11-29",
        },
    )
    assert action.status_code == 201
    mine = api_as(cast.carer).get(f"{team}/my-actions").json()
    assert [a["text"] for a in mine] == ["Remove codes from the whiteboard", "Send the form"]
    changed = api.post(
        f"{team}/decisions/{decision_id}/supersede",
        {
            "text": "Fortnightly",
            "outcome": "changed",
            "present": [str(cast.nurse_membership.id)],
            "objections": "Too often",
        },
    )
    assert changed.json()["supersedes_id"] == decision_id
    log = api.get(f"{team}/decisions", q="weekly").json()
    assert [d["id"] for d in log] == [decision_id]
    assert log[0]["superseded_by_id"] == changed.json()["id"]
    assert Decision.objects.get(pk=decision_id).text == "Weekly"


def test_a_present_member_of_another_team_is_refused_under_present(
    cast: Cast, workings: Workings, api_as: Callable[[User], Api]
) -> None:
    response = api_as(cast.nurse).post(
        f"/teams/{cast.team.id}/agenda/{workings.item.id}/decision",
        {"text": "x", "outcome": "agreed", "present": [str(cast.other_nurse_membership.id)]},
    )
    assert is_problem(response, 422)["errors"][0]["field"] == "present"


def test_another_teams_member_gets_404_for_every_team_record(
    cast: Cast, workings: Workings, api_as: Callable[[User], Api]
) -> None:
    api = api_as(cast.other_nurse)
    team = f"/teams/{cast.team.id}"
    for path in (
        f"{team}/settings",
        f"{team}/members",
        f"{team}/role-terms",
        f"{team}/meetings",
        f"{team}/meetings/{workings.meeting.id}",
        f"{team}/decisions",
        f"{team}/my-actions",
        f"{team}/figures",
    ):
        is_problem(api.get(path), 404)
    is_problem(api.post(f"{team}/actions/{workings.action.id}/done", {"version": 1}), 404)
    # Their own team's path with this team's record is a 404 too.
    other = f"/teams/{cast.other_team.id}"
    is_problem(api.post(f"{other}/actions/{workings.action.id}/done", {"version": 1}), 404)
    is_problem(api.get(f"{other}/meetings/{workings.meeting.id}"), 404)


def test_the_coach_reads_the_figures_and_nothing_else(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    api = api_as(cast.coach)
    assert cast.team.late_grace_minutes == 30  # the Team default
    Team.objects.filter(pk=cast.team.pk).update(late_grace_minutes=45)
    figures = api.get(f"/teams/{cast.team.id}/figures", by="month")
    assert figures.status_code == 200
    assert len(figures.json()["periods"]) == 6
    assert figures.json()["grace_minutes"] == 45  # the team's own, read through the trend
    assert "grace_is_the_teams_own" not in figures.json()
    is_problem(api.get(f"/teams/{cast.team.id}/meetings"), 404)


def test_the_api_lists_take_a_fixed_number_of_queries(
    cast: Cast,
    workings: Workings,
    api_as: Callable[[User], Api],
    django_assert_max_num_queries: Any,
) -> None:
    from teamwork.services import meetings

    for n in range(12):
        item = meetings.agenda_item_add(
            meeting=workings.meeting, title=f"Item {n}", proposal="", actor=cast.nurse
        )
        decision = meetings.decision_record(
            item=item,
            text=f"Decided {n}",
            outcome="agreed",
            present=[cast.nurse_membership.pk],
            objections="",
            actor=cast.nurse,
        )
        meetings.decision_supersede(
            decision=decision,
            text=f"Changed {n}",
            outcome="changed",
            present=[cast.nurse_membership.pk],
            objections="",
            actor=cast.nurse,
        )
    api = api_as(cast.nurse)
    team = f"/teams/{cast.team.id}"
    for path in (
        f"{team}/decisions",
        f"{team}/meetings/{workings.meeting.id}",
        f"{team}/meetings",
        f"{team}/members",
        f"{team}/role-terms",
        f"{team}/my-actions",
    ):
        with django_assert_max_num_queries(14):
            response = api.get(path)
        assert response.status_code == 200, path
    assert len(api.get(f"{team}/decisions").json()) == 25


def test_the_api_gives_and_changes_the_bilingual_setting(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    api = api_as(cast.carer)
    url = f"/teams/{cast.team.id}/settings"
    assert api.get(url).json()["bilingual_notices"] is False
    changed = api.put(url, {"bilingual_notices": True, "version": cast.team.version})
    assert changed.status_code == 200, changed.content
    assert changed.json()["bilingual_notices"] is True
    assert Team.objects.get(pk=cast.team.pk).bilingual_notices is True
