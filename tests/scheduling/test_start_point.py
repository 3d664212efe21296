"""Where a person's working day starts (issue 27): set, changed and forgotten by the person
alone, on their own page; refused when stale or off the earth; never in the change feed, never
on anyone else's page."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.errors import Conflict, DomainError, NotAllowed
from careteams.models import Change, Team
from scheduling.services.start_point import start_point_clear, start_point_set
from scheduling.start_models import StartPoint
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

PAGE = "scheduling:start-point"
FORGET = "scheduling:start-point-forget"
# Numbers found nowhere else on a page, so their absence means something.
LAT, LON = 52.73519, -2.71467


def set_own(cast: Cast, **overrides: Any) -> StartPoint:
    values: dict[str, Any] = {"latitude": LAT, "longitude": LON, "version": None}
    values |= overrides
    return start_point_set(user=cast.carer, actor=cast.carer, **values)


def stored(cast: Cast) -> tuple[float, float, int] | None:
    found = StartPoint.objects.filter(user=cast.carer).first()
    return None if found is None else (found.latitude, found.longitude, found.version)


# The service.


def test_a_carer_sets_where_their_day_starts_rounded_to_about_a_metre(cast: Cast) -> None:
    made = set_own(cast, latitude=52.7351912345, longitude=-2.7146734567)
    assert (made.latitude, made.longitude, made.version) == (52.73519, -2.71467, 1)
    assert stored(cast) == (52.73519, -2.71467, 1)


def test_changing_it_at_its_version_moves_it_and_raises_the_version(cast: Cast) -> None:
    set_own(cast)
    moved = set_own(cast, latitude=52.0, longitude=-4.5, version=1)
    assert moved.version == 2
    assert stored(cast) == (52.0, -4.5, 2)


def test_a_stale_version_is_refused_and_the_place_stays(cast: Cast) -> None:
    set_own(cast)
    set_own(cast, latitude=52.0, longitude=-4.5, version=1)
    with pytest.raises(Conflict):
        set_own(cast, latitude=51.0, longitude=-3.0, version=1)
    assert stored(cast) == (52.0, -4.5, 2)


def test_making_one_when_one_was_made_meanwhile_is_a_conflict(cast: Cast) -> None:
    set_own(cast)
    with pytest.raises(Conflict):
        set_own(cast, latitude=51.0, longitude=-3.0, version=None)
    assert stored(cast) == (LAT, LON, 1)


def test_forgetting_it_at_its_version_deletes_it_and_again_is_done_already(cast: Cast) -> None:
    set_own(cast)
    start_point_clear(user=cast.carer, version=1, actor=cast.carer)
    assert stored(cast) is None
    start_point_clear(user=cast.carer, version=1, actor=cast.carer)
    assert stored(cast) is None


def test_forgetting_at_a_stale_version_is_refused_and_the_place_stays(cast: Cast) -> None:
    set_own(cast)
    set_own(cast, version=1)
    with pytest.raises(Conflict):
        start_point_clear(user=cast.carer, version=1, actor=cast.carer)
    assert stored(cast) == (LAT, LON, 2)


@pytest.mark.parametrize("who", ["nurse", "other_nurse", "coach", "outsider"])
def test_nobody_else_sets_or_forgets_a_persons_start_point_not_even_their_planner(
    cast: Cast, who: str
) -> None:
    set_own(cast)
    someone = getattr(cast, who)
    with pytest.raises(NotAllowed):
        start_point_set(user=cast.carer, latitude=1.0, longitude=1.0, version=1, actor=someone)
    with pytest.raises(NotAllowed):
        start_point_clear(user=cast.carer, version=1, actor=someone)
    with pytest.raises(NotAllowed):
        start_point_set(user=cast.nurse, latitude=1.0, longitude=1.0, version=None, actor=None)
    assert stored(cast) == (LAT, LON, 1)
    assert not StartPoint.objects.filter(user=cast.nurse).exists()


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (None, LON, "latitude"),
        (LAT, None, "longitude"),
        (None, None, "latitude"),
        (90.5, LON, "latitude"),
        (LAT, -180.5, "longitude"),
        (float("nan"), LON, "latitude"),
        (LAT, float("inf"), "longitude"),
    ],
)
def test_half_a_place_none_or_one_off_the_earth_is_refused_naming_the_field(
    cast: Cast, latitude: float | None, longitude: float | None, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        set_own(cast, latitude=latitude, longitude=longitude)
    assert refused.value.field == field
    assert stored(cast) is None


def test_setting_changing_and_forgetting_it_write_nothing_to_the_change_feed(cast: Cast) -> None:
    seqs = dict(Team.objects.values_list("id", "last_change_seq"))
    changes = Change.objects.count()
    set_own(cast)
    set_own(cast, latitude=52.0, version=1)
    start_point_clear(user=cast.carer, version=2, actor=cast.carer)
    assert Change.objects.count() == changes
    assert dict(Team.objects.values_list("id", "last_change_seq")) == seqs


def test_the_admin_does_not_show_anyones_start_point() -> None:
    assert StartPoint not in admin.site._registry


# The page.


def test_a_signed_out_person_is_sent_to_sign_in_and_nothing_is_saved(
    client: HttpClient, cast: Cast
) -> None:
    for response in (
        client.get(reverse(PAGE)),
        client.post(reverse(PAGE), {"latitude": LAT, "longitude": LON}),
        client.post(reverse(FORGET), {"version": 1}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not StartPoint.objects.exists()


def test_the_page_says_why_it_is_asked_and_offers_the_location_only_with_its_script(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    response = client.get(reverse(PAGE))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Where you start your day" in page
    assert "The planner counts the travel from here to your first visit" in page
    assert "Only you see it." in page
    assert "data-start-point-here hidden" in page
    assert "scheduling/start-point.js" in page
    assert "Forget it" not in page  # nothing to forget yet
    assert "no-store" in response["Cache-Control"]


def test_a_carer_sets_changes_and_forgets_their_own_on_the_page(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    saved = client.post(reverse(PAGE), {"latitude": LAT, "longitude": LON, "version": ""})
    assert saved.status_code == 302
    assert stored(cast) == (LAT, LON, 1)
    page = client.get(reverse(PAGE)).content.decode()
    assert f'value="{LAT}"' in page
    assert f'value="{LON}"' in page
    assert "Forget it" in page

    moved = client.post(reverse(PAGE), {"latitude": "52.1", "longitude": "-4.6", "version": "1"})
    assert moved.status_code == 302
    assert stored(cast) == (52.1, -4.6, 2)

    forgotten = client.post(reverse(FORGET), {"version": "2"})
    assert forgotten.status_code == 302
    assert stored(cast) is None
    assert "Forget it" not in client.get(reverse(PAGE)).content.decode()


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("", LON, "Enter the latitude, like 52.4862."),
        (LAT, "", "Enter the longitude, like -1.8904."),
        ("abc", LON, "Enter the latitude as a number, like 52.4862."),
        ("NaN", LON, "Enter the latitude as a number, like 52.4862."),
        (LAT, "inf", "Enter the longitude as a number, like -1.8904."),
        ("90.01", LON, "Ensure this value is less than or equal to 90."),
        (LAT, "-180.5", "Ensure this value is greater than or equal to -180."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    client: HttpClient, cast: Cast, latitude: object, longitude: object, message: str
) -> None:
    client.force_login(cast.carer)
    response = client.post(
        reverse(PAGE), {"latitude": latitude, "longitude": longitude, "version": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert stored(cast) is None


def test_a_stale_page_is_refused_and_shows_the_stored_version_to_send_again(
    client: HttpClient, cast: Cast
) -> None:
    set_own(cast)
    set_own(cast, latitude=52.0, longitude=-4.5, version=1)  # on another page
    client.force_login(cast.carer)
    response = client.post(reverse(PAGE), {"latitude": "51", "longitude": "-3", "version": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed on another page or device" in page
    assert 'name="version" value="2"' in page
    assert stored(cast) == (52.0, -4.5, 2)
    again = client.post(reverse(PAGE), {"latitude": "51", "longitude": "-3", "version": "2"})
    assert again.status_code == 302
    assert stored(cast) == (51.0, -3.0, 3)


def test_forgetting_from_a_stale_page_is_refused_and_the_place_stays(
    client: HttpClient, cast: Cast
) -> None:
    set_own(cast)
    set_own(cast, version=1)
    client.force_login(cast.carer)
    response = client.post(reverse(FORGET), {"version": "1"})
    assert response.status_code == 409
    assert stored(cast) == (LAT, LON, 2)


def test_the_page_only_ever_shows_and_changes_the_signed_in_persons_own(
    client: HttpClient, cast: Cast
) -> None:
    set_own(cast)  # the carer's
    client.force_login(cast.nurse)  # their team's planner
    page = client.get(reverse(PAGE), {"user": str(cast.carer.pk)}).content.decode()
    assert str(LAT) not in page
    assert str(LON) not in page
    assert "Forget it" not in page
    # Naming the carer in what is sent changes nothing of theirs: the nurse sets their own.
    client.post(
        reverse(PAGE),
        {"latitude": "51", "longitude": "-3", "version": "", "user": cast.carer.pk},
    )
    assert StartPoint.objects.get(user=cast.nurse).latitude == 51.0
    assert stored(cast) == (LAT, LON, 1)
    # And forgets their own.
    client.post(reverse(FORGET), {"version": "1", "user": cast.carer.pk})
    assert not StartPoint.objects.filter(user=cast.nurse).exists()
    assert stored(cast) == (LAT, LON, 1)


@pytest.mark.parametrize("who", ["nurse", "coach"])
def test_no_other_page_of_the_team_shows_a_carers_start_point(
    client: HttpClient, cast: Cast, who: str
) -> None:
    set_own(cast)
    client.force_login(getattr(cast, who))
    for name, kwargs in (
        ("team-home", {"team_id": cast.team.id}),
        ("scheduling:week-current", {"team_id": cast.team.id}),
        ("scheduling:team-today", {"team_id": cast.team.id}),
    ):
        response = client.get(reverse(name, kwargs=kwargs), follow=True)
        page = response.content.decode()
        assert str(LAT) not in page, name
        assert str(LON) not in page, name


def test_the_security_page_links_a_member_to_it_and_not_a_family_member(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    assert reverse(PAGE) in client.get(reverse("account-security")).content.decode()
    client.force_login(cast.family)
    assert reverse(PAGE) not in client.get(reverse("account-security")).content.decode()


def test_the_page_takes_a_few_queries(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    set_own(cast)
    client.force_login(cast.carer)
    with django_assert_max_num_queries(5):
        assert client.get(reverse(PAGE)).status_code == 200
