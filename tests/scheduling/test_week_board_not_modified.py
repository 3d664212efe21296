"""The week board's live refreshes answered 304 Not Modified from the team's feed position, and
its rule results reused until the team changes: who gets a 304, when a copy is stale, and what
the 304 costs in queries."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careteams.models import Team
from scheduling.models import Visit
from scheduling.selectors import week_cache
from scheduling.services import visits as visit_services
from tests.conftest import Cast
from tests.scheduling.conftest import big_team

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def day_url(team: Team, monday: dt.date, day: str = "2030-11-25") -> str:
    url = reverse("scheduling:week", kwargs={"team_id": team.id, "week": monday.isoformat()})
    return f"{url}?part=day&day={day}"


def row_url(team: Team, monday: dt.date, visit: Visit) -> str:
    return reverse(
        "scheduling:visit-row",
        kwargs={"team_id": team.id, "week": monday.isoformat(), "visit_id": visit.id},
    )


def again(client: HttpClient, url: str, first: Any) -> Any:
    return client.get(url, headers={**HTMX, "If-None-Match": first["ETag"]})


def test_a_days_fragment_and_a_row_are_304_while_nothing_changed_and_200_after_an_assignment(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit(day=0)
    client.force_login(cast.nurse)
    for url in (day_url(cast.team, monday), row_url(cast.team, monday, visit)):
        first = client.get(url, headers=HTMX)
        assert first.status_code == 200
        assert first["ETag"]
        unchanged = again(client, url, first)
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert unchanged["ETag"] == first["ETag"]
    first_day = client.get(day_url(cast.team, monday), headers=HTMX)
    first_row = client.get(row_url(cast.team, monday, visit), headers=HTMX)
    visit_services.visit_assign(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.nurse
    )
    for url, first in (
        (day_url(cast.team, monday), first_day),
        (row_url(cast.team, monday, visit), first_row),
    ):
        changed = again(client, url, first)
        assert changed.status_code == 200
        assert changed["ETag"] != first["ETag"]
        assert "Aoife Ní Bhriain" in changed.content.decode()


def test_another_teams_member_gets_404_even_with_the_tag_of_a_current_copy(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit(day=0)
    client.force_login(cast.nurse)
    urls = (day_url(cast.team, monday), row_url(cast.team, monday, visit))
    tags = {url: client.get(url, headers=HTMX)["ETag"] for url in urls}
    client.force_login(cast.other_carer)
    for url, tag in tags.items():
        assert client.get(url, headers={**HTMX, "If-None-Match": tag}).status_code == 404


def test_a_copy_is_stale_for_another_day_another_user_and_after_the_hour_turns(
    client: HttpClient, cast: Cast, monday: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(cast.nurse)
    first = client.get(day_url(cast.team, monday), headers=HTMX)
    other_day = client.get(
        day_url(cast.team, monday, "2030-11-26"),
        headers={**HTMX, "If-None-Match": first["ETag"]},
    )
    assert other_day.status_code == 200
    client.force_login(cast.carer)
    assert again(client, day_url(cast.team, monday), first).status_code == 200
    client.force_login(cast.nurse)
    mine = client.get(day_url(cast.team, monday), headers=HTMX)
    assert again(client, day_url(cast.team, monday), mine).status_code == 304
    # "Today" and anything timed move with the clock, not with the feed.
    monkeypatch.setattr(week_cache, "_local_hour", lambda team: "2099-01-01T00")
    assert again(client, day_url(cast.team, monday), mine).status_code == 200


def test_the_page_and_its_head_are_always_rendered_as_they_show_pending_messages(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    page = reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": str(monday)})
    for url in (page, f"{page}?part=head"):
        response = client.get(url, headers={"If-None-Match": "*"})
        assert response.status_code == 200
        assert not response.has_header("ETag")


def _queries(client: HttpClient, url: str, tag: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers={**HTMX, "If-None-Match": tag}).status_code == 304
    return len(captured.captured_queries)


def test_the_304_takes_the_same_few_queries_for_a_small_and_a_big_team(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit(day=0)
    client.force_login(cast.nurse)
    counts = []
    for grow in (False, True):
        if grow:
            big_team(cast.team, members=12, visits=400)
        for url in (day_url(cast.team, monday), row_url(cast.team, monday, visit)):
            tag = client.get(url, headers=HTMX)["ETag"]
            counts.append(_queries(client, url, tag))
    # Session, user, the team through the access scope, the feed position: nothing per row.
    assert counts[:2] == counts[2:]
    assert max(counts) <= 6


def test_the_weeks_rules_run_once_until_the_team_changes(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_visit: Callable[..., Visit],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit = make_visit(day=0)
    runs: list[object] = []
    real = week_cache.facts_of

    def counting(plan: Any) -> week_cache.WeekFacts:
        runs.append(plan)
        return real(plan)

    monkeypatch.setattr(week_cache, "facts_of", counting)
    client.force_login(cast.nurse)
    for part in ("day", "problems", "rota"):
        assert (
            client.get(day_url(cast.team, monday).replace("part=day", f"part={part}")).status_code
            == 200
        )
    assert len(runs) == 1
    visit_services.visit_assign(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.nurse
    )
    problems = client.get(day_url(cast.team, monday).replace("part=day", "part=problems"))
    assert len(runs) == 2
    assert problems.status_code == 200
