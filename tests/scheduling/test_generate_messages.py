"""Generating the week from the board tells the team what the usual carers could not take."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from scheduling.models import Shift, VisitPattern
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


def test_generating_names_the_places_given_to_usual_carers_and_those_left_open(
    client: HttpClient, cast: Cast, monday: dt.date, pattern: VisitPattern
) -> None:
    pattern.usual_carers = [str(cast.nurse_membership.id)]
    pattern.save()
    # On shift Monday and Tuesday only: the other three visits stay open, each with its reason.
    for day in (0, 1):
        Shift.objects.create(
            team=cast.team,
            member=cast.nurse_membership,
            start=on(day, "07:00"),
            end=on(day, "15:00"),
        )
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-generate", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    page = client.post(url, follow=True).content.decode()
    assert "5 visits made from the patterns" in page
    assert "2 places given to usual carers" in page
    assert page.count("Left open:") == 3
    assert "Siân Ellis" in page.split("Left open:")[1]


def test_a_long_list_of_warnings_is_cut_short_and_counted(
    client: HttpClient, cast: Cast, monday: dt.date, pattern: VisitPattern
) -> None:
    for n in range(2, 5):
        VisitPattern.objects.create(
            team=cast.team,
            client=cast.client,
            weekdays=[1, 2, 3, 4, 5],
            window_start=dt.time(8 + n, 0),
            window_end=dt.time(8 + n, 30),
            duration_minutes=30,
            valid_from=pattern.valid_from,
            usual_carers=[str(cast.carer_membership.id)],
        )
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-generate", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    page = client.post(url, follow=True).content.decode()
    assert page.count("Left open:") == 10
    assert "5 more visits left open for a usual carer." in page


def test_another_teams_member_cannot_generate_the_week(
    client: HttpClient, cast: Cast, monday: dt.date, pattern: VisitPattern
) -> None:
    client.force_login(cast.other_nurse)
    url = reverse(
        "scheduling:week-generate", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    assert client.post(url).status_code == 404
