"""Missed doses, time-critical doses coming up, and runs of refusals in a row (issue 25): the
rule with frozen clocks, where each shows (Team today, the assigned carer's My day, the
figures), the page's own refresh at the moment the next dose turns missed, and query counts that
do not grow with the doses."""

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from medicines.models import MedicinesPolicy
from medicines.selectors import doses_between
from medicines.visit_missed import (
    dose_watch,
    grace_of,
    is_missed,
    line_outcomes,
    refusal_runs,
)
from scheduling.models import Visit, VisitAssignment
from scheduling.services import visits
from tests.conftest import Cast
from tests.medicines.visit_fixtures import (
    check_in,
    clock,
    long_sessions,
    make_line,
    morning_visit,
    record,
)
from tests.scheduling.conftest import on

pytestmark = [pytest.mark.clock_sensitive, pytest.mark.usefixtures(long_sessions.__name__)]


def team_today(client: HttpClient, cast: Cast) -> str:
    answer = client.get(reverse("scheduling:team-today", kwargs={"team_id": cast.team.id}))
    assert answer.status_code == 200
    return answer.content.decode()


def my_day(client: HttpClient, cast: Cast) -> str:
    answer = client.get(reverse("scheduling:my-day", kwargs={"team_id": cast.team.id}))
    assert answer.status_code == 200
    return answer.content.decode()


def test_a_dose_is_missed_at_the_end_of_its_window_and_the_teams_grace(cast: Cast) -> None:
    make_line(cast)  # 09:00, give or take 30 minutes
    MedicinesPolicy.objects.create(team=cast.team, missed_dose_grace_minutes=45)
    [dose] = doses_between(client=cast.client, start=on(0, "00:00"), end=on(1, "00:00"))
    grace = grace_of(cast.team)
    assert not is_missed(dose, grace, on(0, "10:14"))
    assert is_missed(dose, grace, on(0, "10:15"))


def test_a_dose_recorded_late_is_no_longer_missed(cast: Cast) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    start, end = on(0, "00:00"), on(1, "00:00")
    with clock(on(0, "10:45")):
        watch = dose_watch(team=cast.team, start=start, end=end, now=on(0, "10:45"), visits=[visit])
        assert [a.line.name for a in watch.missed] == ["Amlodipine"]
        assert watch.missed[0].visit == visit
        visits.visit_check_in(
            visit=visit,
            version=visit.version,
            member=cast.carer_membership,
            actor=cast.carer,
            confirm=True,
            reason="The car broke down",
        )
        record(cast, visit, line, on(0, "09:00"), "given")
        again = dose_watch(team=cast.team, start=start, end=end, now=on(0, "10:46"), visits=[visit])
    assert again.missed == []


def test_team_today_and_the_assigned_carers_my_day_show_the_missed_dose(
    client: HttpClient, cast: Cast
) -> None:
    make_line(cast)
    morning_visit(cast)
    with clock(on(0, "10:31")):
        client.force_login(cast.nurse)
        assert "1 missed dose" in team_today(client, cast)
        assert "Amlodipine 5 mg for Dafydd Llŷr: no outcome recorded." in team_today(client, cast)
        assert "missed dose" not in my_day(client, cast)  # the nurse is not on the visit
        client.force_login(cast.carer)
        assert "1 missed dose" in my_day(client, cast)


def test_before_it_is_missed_the_page_asks_to_refresh_itself_when_it_will_be(
    client: HttpClient, cast: Cast
) -> None:
    make_line(cast)
    morning_visit(cast)
    with clock(on(0, "10:29")):
        client.force_login(cast.nurse)
        html = team_today(client, cast)
    assert "missed dose" not in html
    assert "load delay:61s" in html  # 10:30, a second after
    assert "dose_record" in html


def test_a_time_critical_dose_due_within_the_hour_shows_on_my_day_and_team_today(
    client: HttpClient, cast: Cast
) -> None:
    make_line(cast, name="Co-careldopa", strength="25/100", time_critical=True)
    morning_visit(cast)
    with clock(on(0, "08:10")):
        client.force_login(cast.carer)
        assert "Time-critical doses in the next hour" in my_day(client, cast)
        assert "09:00 Co-careldopa 25/100 for Dafydd Llŷr, within 30 minutes." in team_today(
            client, cast
        )
    with clock(on(0, "07:55")):
        assert "Time-critical doses in the next hour" not in team_today(client, cast)


def test_refusals_in_a_row_make_a_run_and_any_other_outcome_breaks_it(cast: Cast) -> None:
    """The runs teamwork raises its action to tell the GP on (tests/teamwork/test_gp_actions.py),
    in the order the doses were due, whatever order they were recorded in."""
    line = make_line(cast)
    outcomes = {0: "refused", 1: "refused", 2: "given", 3: "refused", 4: "refused"}
    for day in (4, 3, 2, 1, 0, 5):  # the fifth day's refusal arrives last
        visit = morning_visit(cast, day=day)
        with clock(on(day, "08:40")):
            check_in(cast, visit)
            record(cast, visit, line, on(day, "09:00"), outcomes.get(day, "refused"))
    records = line_outcomes(line=line, now=on(5, "10:00"))
    assert [r.due_at for r in records] == [on(day, "09:00") for day in range(6)]
    [run] = refusal_runs(records)
    assert [r.due_at for r in run] == [on(day, "09:00") for day in (3, 4, 5)]
    assert refusal_runs(records[:5]) == []


def test_the_figures_count_the_missed_doses_of_the_week(client: HttpClient, cast: Cast) -> None:
    make_line(cast, times=["09:00", "21:00"])
    make_line(cast, name="Co-careldopa", time_critical=True)
    with clock(on(1, "12:00")):
        client.force_login(cast.nurse)
        answer = client.get(
            reverse("scheduling:figures", kwargs={"team_id": cast.team.id}),
            {"week": on(0, "12:00").date().isoformat()},
        )
    # Monday 09:00, 21:00 and Tuesday 09:00 of the first; Monday and Tuesday of the second.
    assert "Doses missed: <strong>5</strong> (2 time-critical)" in answer.content.decode()


@pytest.mark.parametrize("page", ["team-today", "my-day"])
def test_the_day_pages_keep_their_query_count_with_more_doses(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Any, page: str
) -> None:
    make_line(cast)
    morning_visit(cast)
    url = reverse(f"scheduling:{page}", kwargs={"team_id": cast.team.id})
    with clock(on(0, "12:00")):
        client.force_login(cast.carer)
        with django_assert_max_num_queries(60) as few:
            assert client.get(url).status_code == 200
        for number in range(4):
            make_line(cast, name=f"Medicine {number}", times=["08:45", "09:00"])
            other = Visit.objects.create(
                team=cast.team,
                client=cast.other_client_same_team,
                planned_start=on(0, f"1{number}:00"),
                planned_end=on(0, f"1{number}:30"),
            )
            VisitAssignment.objects.create(visit=other, member=cast.carer_membership)
            make_line(cast, client=cast.other_client_same_team, times=[f"1{number}:00"])
        with django_assert_max_num_queries(len(few.captured_queries)):
            html = client.get(url).content.decode()
    assert "Medicine 3" in html
