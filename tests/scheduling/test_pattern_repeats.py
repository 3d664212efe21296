"""Visit patterns every N weeks, and the usual carers they put on their visits when free."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.errors import DomainError
from scheduling.models import Absence, Shift, Visit, VisitAssignment, VisitPattern
from scheduling.services import patterns
from scheduling.services.patterns import PatternDetails
from tests.conftest import Cast
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db
WEDNESDAY = 3


def details(**changes: object) -> PatternDetails:
    values: dict[str, object] = {
        "weekdays": [WEDNESDAY],
        "window_start": dt.time(10, 0),
        "window_end": dt.time(10, 30),
        "duration_minutes": 45,
        "required_skills": [],
        "carers_needed": 1,
        "tasks": ["Shower"],
        "valid_from": MONDAY,
        "valid_until": None,
    }
    return PatternDetails(**{**values, **changes})  # type: ignore[arg-type]


def generate(cast: Cast, weeks: int) -> list[patterns.Generated]:
    return [
        patterns.week_generate(
            team=cast.team, monday=MONDAY + dt.timedelta(weeks=n), actor=cast.nurse
        )
        for n in range(weeks)
    ]


def visit_days(cast: Cast) -> list[dt.date]:
    return [
        v.planned_start.astimezone(cast.team.zone).date()
        for v in Visit.objects.filter(team=cast.team).order_by("planned_start")
    ]


def test_a_fortnightly_pattern_makes_visits_every_other_week_over_six_weeks(cast: Cast) -> None:
    patterns.visit_pattern_create(
        team=cast.team, client=cast.client, details=details(interval_weeks=2), actor=cast.nurse
    )
    made = [result.created for result in generate(cast, 6)]
    assert made == [1, 0, 1, 0, 1, 0]
    wednesday = MONDAY + dt.timedelta(days=2)
    assert visit_days(cast) == [wednesday + dt.timedelta(weeks=n) for n in (0, 2, 4)]


def test_the_weeks_count_from_the_week_the_pattern_starts_in(cast: Cast) -> None:
    # Starting on a Thursday: its own week is week 0, so the Wednesday before it is not a visit,
    # and every third week from there is.
    thursday = MONDAY + dt.timedelta(days=3)
    patterns.visit_pattern_create(
        team=cast.team,
        client=cast.client,
        details=details(interval_weeks=3, valid_from=thursday, weekdays=[WEDNESDAY, 5]),
        actor=cast.nurse,
    )
    generate(cast, 7)
    friday = MONDAY + dt.timedelta(days=4)
    assert visit_days(cast) == [
        friday,
        friday + dt.timedelta(weeks=3) - dt.timedelta(days=2),
        friday + dt.timedelta(weeks=3),
        friday + dt.timedelta(weeks=6) - dt.timedelta(days=2),
        friday + dt.timedelta(weeks=6),
    ]


def test_making_a_pattern_fortnightly_removes_the_untouched_visits_of_its_off_weeks(
    cast: Cast,
) -> None:
    pattern = patterns.visit_pattern_create(
        team=cast.team, client=cast.client, details=details(), actor=cast.nurse
    )
    generate(cast, 2)
    patterns.visit_pattern_update(
        pattern=pattern, version=1, details=details(interval_weeks=2), actor=cast.nurse
    )
    assert [r.removed for r in generate(cast, 2)] == [0, 1]


def on_shift(cast: Cast, day: int = 2) -> None:
    for member in (cast.nurse_membership, cast.carer_membership):
        Shift.objects.create(
            team=cast.team, member=member, start=on(day, "08:00"), end=on(day, "16:00")
        )


def test_the_usual_carer_is_put_on_each_new_visit_when_free(cast: Cast) -> None:
    on_shift(cast)
    patterns.visit_pattern_create(
        team=cast.team,
        client=cast.client,
        details=details(usual_carers=[cast.carer_membership.pk, cast.nurse_membership.pk]),
        actor=cast.nurse,
    )
    [result] = generate(cast, 1)
    assert (result.created, result.assigned, result.warnings) == (1, 1, ())
    visit = Visit.objects.get(team=cast.team)
    assert [a.member for a in visit.assignments.all()] == [cast.carer_membership]


def test_a_double_up_gets_both_usual_carers(cast: Cast) -> None:
    on_shift(cast)
    patterns.visit_pattern_create(
        team=cast.team,
        client=cast.client,
        details=details(
            carers_needed=2, usual_carers=[cast.carer_membership.pk, cast.nurse_membership.pk]
        ),
        actor=cast.nurse,
    )
    [result] = generate(cast, 1)
    assert result.assigned == 2
    assert VisitAssignment.objects.filter(visit__team=cast.team).count() == 2


def test_an_absent_usual_carer_leaves_the_visit_open_with_a_warning(cast: Cast) -> None:
    on_shift(cast)
    Absence.objects.create(
        team=cast.team,
        member=cast.carer_membership,
        kind="annual_leave",
        start=on(2, "00:00"),
        end=on(3, "00:00"),
    )
    patterns.visit_pattern_create(
        team=cast.team,
        client=cast.client,
        details=details(usual_carers=[cast.carer_membership.pk]),
        actor=cast.nurse,
    )
    [result] = generate(cast, 1)
    assert (result.created, result.assigned) == (1, 0)
    assert not VisitAssignment.objects.filter(visit__team=cast.team).exists()
    assert len(result.warnings) == 1
    assert "Dafydd Llŷr" in result.warnings[0]
    assert "Aoife Ní Bhriain is away (annual leave)" in result.warnings[0]


def test_a_usual_carer_off_shift_or_on_another_visit_is_passed_over(cast: Cast) -> None:
    # The carer has no shift; the nurse is on shift but already on a visit at 10:00.
    Shift.objects.create(
        team=cast.team, member=cast.nurse_membership, start=on(2, "08:00"), end=on(2, "16:00")
    )
    other = Visit.objects.create(
        team=cast.team,
        client=cast.other_client_same_team,
        planned_start=on(2, "10:15"),
        planned_end=on(2, "11:00"),
    )
    VisitAssignment.objects.create(visit=other, member=cast.nurse_membership)
    patterns.visit_pattern_create(
        team=cast.team,
        client=cast.client,
        details=details(usual_carers=[cast.carer_membership.pk, cast.nurse_membership.pk]),
        actor=cast.nurse,
    )
    [result] = generate(cast, 1)
    assert result.assigned == 0
    assert "Aoife Ní Bhriain is not on shift" in result.warnings[0]
    assert "Siân Ellis is on another visit at that time" in result.warnings[0]


def test_usual_carers_must_be_members_of_the_team(cast: Cast) -> None:
    with pytest.raises(DomainError) as caught:
        patterns.visit_pattern_create(
            team=cast.team,
            client=cast.client,
            details=details(usual_carers=[cast.other_nurse_membership.pk]),
            actor=cast.nurse,
        )
    assert caught.value.field == "usual_carers"
    with pytest.raises(DomainError) as caught:
        patterns.visit_pattern_create(
            team=cast.team,
            client=cast.client,
            details=details(usual_carers=["not-an-id"]),
            actor=cast.nurse,
        )
    assert caught.value.field == "usual_carers"


@pytest.mark.parametrize("interval", [0, 53])
def test_a_pattern_repeats_every_1_to_52_weeks(cast: Cast, interval: int) -> None:
    with pytest.raises(DomainError) as caught:
        patterns.visit_pattern_create(
            team=cast.team,
            client=cast.client,
            details=details(interval_weeks=interval),
            actor=cast.nurse,
        )
    assert caught.value.field == "interval_weeks"


def test_the_pattern_form_sets_the_repeat_and_the_usual_carers(
    client: HttpClient, cast: Cast
) -> None:
    url = reverse("scheduling:pattern-new", kwargs={"team_id": cast.team.id})
    client.force_login(cast.nurse)
    page = client.get(url).content.decode()
    assert 'name="interval_weeks"' in page
    assert "Aoife Ní Bhriain" in page
    form = {
        "client": cast.client.pk,
        "weekdays": [WEDNESDAY],
        "interval_weeks": 2,
        "window_start": "10:00",
        "window_end": "10:30",
        "duration_minutes": 45,
        "carers_needed": 1,
        "valid_from": MONDAY.isoformat(),
        "active": "on",
        "usual_carers": [cast.carer_membership.pk],
    }
    stranger = client.post(url, {**form, "usual_carers": [cast.other_nurse_membership.pk]})
    assert stranger.status_code == 400
    assert "Choose a current member of this team." in stranger.content.decode()
    assert client.post(url, form).status_code == 302
    pattern = VisitPattern.objects.get(team=cast.team)
    assert (pattern.interval_weeks, pattern.usual_carers) == (2, [str(cast.carer_membership.pk)])
    listing = client.get(reverse("scheduling:patterns", kwargs={"team_id": cast.team.id}))
    assert "Every other week" in listing.content.decode()
    assert "Usually Aoife Ní Bhriain" in listing.content.decode()
    edit = reverse(
        "scheduling:pattern-edit", kwargs={"team_id": cast.team.id, "pattern_id": pattern.id}
    )
    assert client.get(edit).status_code == 200
    client.force_login(cast.other_nurse)
    assert client.get(edit).status_code == 404
