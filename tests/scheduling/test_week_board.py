"""The week board's pages and fragments through Django's test client: who may open them, one
visit's row changed alone, bulk assignment, publishing with a summary, and their queries."""

import datetime as dt
import html
import re
import uuid
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client as HttpClient
from django.urls import resolve, reverse

from careteams.models import Change, Team
from scheduling import selectors
from scheduling.models import (
    PlanRun,
    PlanRunStatus,
    RotaNotice,
    RotaStatus,
    RotaWeek,
    Shift,
    Visit,
)
from scheduling.services import planning
from tests.conftest import Cast
from tests.scheduling.conftest import big_team, on

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def week_url(team: Team, monday: dt.date, rest: str = "") -> str:
    url = reverse("scheduling:week", kwargs={"team_id": team.id, "week": monday.isoformat()})
    return url + rest


def urls(cast: Cast, monday: dt.date, visit: Visit, run: PlanRun) -> dict[str, list[str]]:
    team = {"team_id": cast.team.id}
    week = {**team, "week": monday.isoformat()}
    run_kw = {**team, "run_id": run.id}
    return {
        "get": [
            *(week_url(cast.team, monday, f"?part={p}") for p in ("head", "planning", "day")),
            week_url(cast.team, monday, "?part=problems&day=2030-11-26"),
            reverse("scheduling:visit-row", kwargs={**week, "visit_id": visit.id}),
            reverse("scheduling:week-publish", kwargs=week),
        ],
        "post": [
            reverse("scheduling:week-assign", kwargs=week),
            reverse("scheduling:week-publish", kwargs=week),
            reverse("scheduling:plan-start", kwargs=week),
            reverse("scheduling:plan-stop", kwargs=run_kw),
            reverse("scheduling:plan-accept", kwargs=run_kw),
            reverse("scheduling:plan-dismiss", kwargs=run_kw),
        ],
    }


@pytest.fixture
def run(cast: Cast, monday: dt.date) -> PlanRun:
    return planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)


def test_every_new_board_page_and_action_opens_for_a_member_of_the_team(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_visit: Callable[..., Visit],
    run: PlanRun,
) -> None:
    visit = make_visit()
    client.force_login(cast.carer)
    for url in urls(cast, monday, visit, run)["get"]:
        assert client.get(url).status_code == 200, url


def test_every_new_board_page_and_action_is_404_for_a_member_of_another_team(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_visit: Callable[..., Visit],
    run: PlanRun,
) -> None:
    visit = make_visit()
    changes = Change.objects.count()
    client.force_login(cast.other_nurse)
    found = urls(cast, monday, visit, run)
    for url in found["get"]:
        assert client.get(url).status_code == 404, url
    for url in found["post"]:
        data = {"visit": f"{visit.id}:1", "member": cast.other_nurse_membership.id, "all": "1"}
        assert client.post(url, data).status_code == 404, url
    assert Change.objects.count() == changes
    run.refresh_from_db()
    assert run.status == "running"


def test_the_board_opens_on_the_day_asked_and_filters_visits_needing_a_carer(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    make_visit(day=1, start="08:00", end="08:30")
    covered = make_visit(client=cast.other_client_same_team, day=1, start="09:00", end="09:30")
    covered.assignments.create(member=cast.carer_membership)
    make_visit(day=2, start="08:00", end="08:30")
    client.force_login(cast.nurse)
    tuesday = client.get(week_url(cast.team, monday, "?day=2030-11-26&view=list")).content.decode()
    assert "Visits on Tuesday 26 November" in tuesday
    assert tuesday.count('id="visit-') == 2
    needing = client.get(
        week_url(cast.team, monday, "?day=2030-11-26&need=1&view=list")
    ).content.decode()
    assert needing.count('id="visit-') == 1
    assert f'id="visit-{covered.id}"' not in needing
    # A day outside the week falls back to the Monday (the week is in the future).
    assert (
        "Visits on Monday 25 November"
        in client.get(week_url(cast.team, monday, "?day=2031-01-01")).content.decode()
    )


def test_assigning_from_a_row_sends_back_that_row_only(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_visit: Callable[..., Visit],
    make_shift: Callable[..., Shift],
) -> None:
    big_team(cast.team, members=12, visits=400)
    make_shift(cast.carer_membership, 0)
    visit = make_visit(start="11:00", end="11:30")
    client.force_login(cast.nurse)
    url = reverse("scheduling:visit-assign", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    response = client.post(
        url,
        {"version": visit.version, "member": cast.carer_membership.id, "from": "week"},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="visit-{visit.id}"')
    assert body.count("<tr") == 1
    assert len(response.content) < 3_000
    assert "Aoife Ní Bhriain assigned." in body
    assert response["HX-Trigger"] == "rota-changed"
    assert list(visit.assignments.values_list("member_id", flat=True)) == [cast.carer_membership.id]


def test_a_refused_assignment_from_a_row_shows_why_in_that_row(
    client: HttpClient, cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    client.force_login(cast.nurse)
    url = reverse("scheduling:visit-assign", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    response = client.post(
        url, {"version": 7, "member": cast.carer_membership.id, "from": "week"}, headers=HTMX
    )
    assert response.status_code == 409
    assert 'role="alert"' in response.content.decode()
    assert "changed by someone else" in response.content.decode()
    assert not visit.assignments.exists()


def test_without_javascript_choosing_a_carer_opens_that_rows_form_on_the_board(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    make_visit(client=cast.other_client_same_team, start="10:00", end="10:30")
    client.force_login(cast.nurse)
    page = client.get(week_url(cast.team, monday, f"?choose={visit.id}")).content.decode()
    assert page.count("<select") == 2  # the bulk form's, and this row's
    assert f'id="assign-{visit.id}"' in page


def test_bulk_assignment_gives_each_selected_visit_to_the_member_and_reports_each(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    first = make_visit(start="08:00", end="08:30")
    second = make_visit(client=cast.other_client_same_team, start="10:00", end="10:30")
    stale = make_visit(start="12:00", end="12:30")
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-assign", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    response = client.post(
        url,
        {
            "member": cast.carer_membership.id,
            "visit": [f"{first.id}:1", f"{second.id}:1", f"{stale.id}:9"],
            "day": "2030-11-25",
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="day"' in body
    assert "Assigned 2 visits" in body
    assert "changed by someone else" in body
    for visit, carers in ((first, 1), (second, 1), (stale, 0)):
        assert visit.assignments.count() == carers
    assert Change.objects.filter(entity="visit_assignment").count() == 2


def test_bulk_assignment_without_a_member_or_visits_says_what_is_missing(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-assign", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    page = client.post(url, {}, follow=True).content.decode()
    assert "Choose the member" in page
    assert "Select at least one visit" in page


def test_publishing_over_errors_and_open_visits_asks_for_confirmation(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    make_visit()  # no carer
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-publish", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    summary = client.get(url)
    page = summary.content.decode()
    assert 'id="summary-unassigned">1<' in page
    assert "The team publishes the week with" in page
    seen = summary.context["summary"].seen
    refused = client.post(url, {"version": 0, "seen": seen})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert not RotaWeek.objects.exists()
    changed = client.post(url, {"version": 0, "seen": "0:0:0", "confirm": "yes"})
    assert changed.status_code == 409
    assert "changed since this summary" in changed.content.decode()
    client.post(url, {"version": 0, "seen": seen, "confirm": "yes"})
    assert RotaWeek.objects.get().status == RotaStatus.PUBLISHED


def test_each_member_gets_one_notice_per_publish_whatever_their_number_of_shifts(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
) -> None:
    for day in range(5):
        make_shift(cast.carer_membership, day)
        make_visit(day=day).assignments.create(member=cast.carer_membership)
    make_shift(cast.nurse_membership, 0)
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-publish", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    seen = client.get(url).context["summary"].seen
    client.post(url, {"version": 0, "seen": seen, "confirm": "yes"})
    notices = list(RotaNotice.objects.all())
    # The carer is told once; the nurse published it, so is not told.
    assert [(n.member, n.text) for n in notices] == [
        (
            cast.carer_membership,
            "The rota for the week of 25 November is published: 5 shifts and 5 visits for you.",
        )
    ]
    assert Change.objects.filter(entity="rota_notice").count() == 1


def test_a_visits_row_and_the_days_fragments_of_a_big_team_use_a_fixed_number_of_queries(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    big_team(cast.team, members=12, visits=400)
    visit = Visit.objects.filter(team=cast.team).first()
    assert visit is not None
    client.force_login(cast.nurse)
    row = reverse(
        "scheduling:visit-row",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": visit.id},
    )
    for url in (row, week_url(cast.team, monday, "?part=day&day=2030-11-27")):
        with django_assert_max_num_queries(21):  # type: ignore[attr-defined]
            assert client.get(url).status_code == 200


def test_a_second_run_while_one_runs_is_refused_in_the_planning_panel(
    client: HttpClient, cast: Cast, monday: dt.date, run: PlanRun
) -> None:
    client.force_login(cast.carer)
    url = reverse(
        "scheduling:plan-start", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    response = client.post(url, {"scope": "week"}, headers=HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="planning"')
    assert 'role="alert">Carers are already being suggested' in body
    assert "Stop and keep what was found so far" in body
    page = client.post(url, {"scope": "week"}, follow=True).content.decode()
    assert "Carers are already being suggested" in page
    assert PlanRun.objects.count() == 1


def test_accepting_the_suggestions_for_selected_visits_answers_with_the_day(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(planning, "PLAN_SECONDS", 2.0)
    make_shift(cast.carer_membership, 0)
    first = make_visit(start="09:00", end="09:30")
    second = make_visit(client=cast.other_client_same_team, start="10:00", end="10:30")
    done = planning.plan_run_start(
        team=cast.team, monday=monday, day=None, actor=cast.nurse, background=False
    )
    client.force_login(cast.nurse)
    page = client.get(week_url(cast.team, monday, "?view=list")).content.decode()
    assert page.count("Suggested: Aoife Ní Bhriain") == 2
    assert "Accept all 2 suggestions" in page
    url = reverse("scheduling:plan-accept", kwargs={"team_id": cast.team.id, "run_id": done.id})
    response = client.post(url, {"visit": f"{first.id}:1", "day": "2030-11-25"}, headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="day"')
    assert "Accepted 1 suggestion" in body
    assert body.count("Suggested: Aoife Ní Bhriain") == 1
    assert first.assignments.count() == 1
    assert second.assignments.count() == 0


def test_stop_from_the_board_asks_the_running_run_to_stop(
    client: HttpClient, cast: Cast, run: PlanRun
) -> None:
    client.force_login(cast.carer)
    url = reverse("scheduling:plan-stop", kwargs={"team_id": cast.team.id, "run_id": run.id})
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200
    assert "Stopping…" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "stopping"
    again = client.post(url, headers=HTMX)
    assert again.status_code == 400
    assert "already finished" in again.content.decode()


def board_links(page: str, address: str) -> list[str]:
    """Every link and row address of a board, resolved as the browser would at `address`."""
    found = re.findall(r'(?:href|hx-get|data-live-row-url)="([^"#][^"]*)"', page)
    return [
        urlsplit(urljoin(address, html.unescape(link).replace("{id}", str(uuid.UUID(int=1))))).path
        for link in found
    ]


@pytest.mark.parametrize("htmx", [False, True], ids=["without htmx", "with htmx"])
def test_every_link_of_the_board_leads_to_a_page_where_it_is_answered(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_visit: Callable[..., Visit],
    make_shift: Callable[..., Shift],
    htmx: bool,
) -> None:
    """The board's links are relative to the week's page. A refused action without htmx
    answers the board at the form's own address: its links must still reach the same pages."""
    make_shift(cast.carer_membership, 0)
    visit = make_visit()
    client.force_login(cast.nurse)
    week_page = week_url(cast.team, monday)
    board = client.get(week_page + "?view=list").content.decode()
    assert 'class="rota-choose"' in board
    expected = board_links(board, week_page)
    assert any(path.endswith(f"/visits/{visit.id}/") for path in expected)
    action = reverse(
        "scheduling:visit-assign", kwargs={"team_id": cast.team.id, "visit_id": visit.id}
    )
    refused = client.post(
        action,
        {"version": 7, "member": cast.carer_membership.id, "from": "week"},
        headers=HTMX if htmx else {},
    )
    assert refused.status_code == 409
    # With htmx only the row comes back, into the week's page: its links resolve there.
    address = week_page if htmx else action
    for path in board_links(refused.content.decode(), address):
        if path.startswith("/static/"):
            continue
        resolve(path)  # raises Resolver404 for a link that leads nowhere
        assert path in expected or path.startswith("/accounts/") or "/rows/" in path, path


def test_a_board_of_one_day_counts_and_lists_the_other_days_as_a_board_of_the_week(
    cast: Cast, monday: dt.date
) -> None:
    """Once the rules' results are cached, the board loads only the shown day's visits: the
    other days' tabs and the planner's unplaced visits must read as on a board of the week."""
    big_team(cast.team, members=12, visits=400)
    tuesday = monday + dt.timedelta(days=1)
    saturday_visit = Visit.objects.filter(team=cast.team, planned_start__gte=on(5, "00:00")).first()
    assert saturday_visit is not None
    saturday_visit.assignments.all().delete()
    run = planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)
    PlanRun.objects.filter(id=run.id).update(
        status=PlanRunStatus.DONE,
        unassignable=[{"visit_id": str(saturday_visit.id), "rule": "skills", "reason": "No one"}],
    )
    whole = selectors.week_board(user=cast.nurse, team_id=cast.team.id, monday=monday, day=tuesday)
    one_day = selectors.week_board(
        user=cast.nurse, team_id=cast.team.id, monday=monday, day=tuesday, all_visits=False
    )
    assert [vd.tally is None for vd in one_day.visit_days] == [
        vd.day.date == tuesday for vd in one_day.visit_days
    ]
    assert [(vd.count, vd.unassigned) for vd in one_day.visit_days] == [
        (vd.count, vd.unassigned) for vd in whole.visit_days
    ]
    assert sum(vd.unassigned for vd in whole.visit_days) > 0
    assert one_day.needing == whole.needing
    assert [(b.visit_id, v.client.full_name) for b, v in one_day.blocked] == [
        (saturday_visit.id, saturday_visit.client.full_name)
    ]
    assert [(b, v.id) for b, v in one_day.blocked] == [(b, v.id) for b, v in whole.blocked]
    assert [r.visit.id for r in one_day.shown.visits] == [r.visit.id for r in whole.shown.visits]
