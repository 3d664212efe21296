"""The member's calendar address: iCalendar that parses, follows the clock change, names no
client, ends when revoked, and never shows another member's rota."""

import datetime as dt
from typing import Any

import icalendar
import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Membership
from clients.models import Client
from scheduling.models import Shift, Visit, VisitAssignment
from sharing.models import CalendarFeed
from sharing.services.calendar import calendar_feed_create, calendar_feed_revoke
from tests.conftest import Cast, at

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]

# The Friday before the October clock change (Sunday 27 October 2030, 02:00 BST to 01:00 GMT).
NOW = at("2030-10-25 09:00")


def feed_of(member: Membership) -> str:
    _, token = calendar_feed_create(membership=member, actor=member.user)
    return reverse("sharing:calendar-feed", kwargs={"token": token})


def visit(cast: Cast, client: Client, start: dt.datetime, minutes: int = 45, **kw: Any) -> Visit:
    made = Visit.objects.create(
        team=cast.team,
        client=client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=minutes),
        **kw,
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


def events(response: Any) -> list[icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(icalendar.Calendar.from_ical(response.content).events)


@pytest.fixture(autouse=True)
def _friday_before_the_clocks_go_back() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_night_shift_across_the_clock_change_lasts_its_nine_real_hours(
    client: HttpClient, cast: Cast
) -> None:
    night = Shift.objects.create(
        team=cast.team,
        member=cast.carer_membership,
        kind="night",
        start=at("2030-10-26 22:00"),
        end=at("2030-10-27 06:00"),
    )
    calendar = icalendar.Calendar.from_ical(client.get(feed_of(cast.carer_membership)).content)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    (event,) = calendar.events
    assert str(event["UID"]) == f"shift-{night.id}@careteams"
    start, end = event.start, event.end
    assert isinstance(start, dt.datetime)
    assert isinstance(end, dt.datetime)
    assert start.tzinfo is not None
    # Real hours: Python subtracts two times of one zone by their wall clocks.
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=9)
    assert str(event["SUMMARY"]) == "Shift: Night 22:00–06:00"


def test_visits_are_numbered_in_the_day_and_name_no_client(client: HttpClient, cast: Cast) -> None:
    Client.objects.filter(pk=cast.client.pk).update(
        address_line_1="7 Zebedee Row", town="Cardiff", preferred_name="Teggy"
    )
    mine = [
        visit(cast, cast.client, at("2030-10-28 08:15")),
        visit(cast, cast.other_client_same_team, at("2030-10-28 10:00"), minutes=30),
        visit(cast, cast.client, at("2030-10-28 12:00"), status="cancelled"),
    ]
    response = client.get(feed_of(cast.carer_membership))
    found = {str(e["UID"]): e for e in events(response)}
    assert (
        str(found[f"visit-{mine[0].id}@careteams"]["SUMMARY"]) == "Visit 08:15–09:00 (1 of 2 today)"
    )
    assert (
        str(found[f"visit-{mine[1].id}@careteams"]["SUMMARY"]) == "Visit 10:00–10:30 (2 of 2 today)"
    )
    cancelled = found[f"visit-{mine[2].id}@careteams"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    text = response.content.decode()
    for person in Client.objects.all():
        for mark in (
            person.given_name,
            person.family_name,
            person.preferred_name,
            person.address_line_1,
            person.town,
            person.postcode,
            person.nhs_number,
        ):
            if mark:
                assert mark not in text, mark
    assert str(cast.client.id) not in text


def test_a_change_raises_the_sequence_and_keeps_the_uid(client: HttpClient, cast: Cast) -> None:
    made = visit(cast, cast.client, at("2030-10-29 09:00"))
    url = feed_of(cast.carer_membership)
    (before,) = events(client.get(url))
    Visit.objects.filter(pk=made.pk).update(version=made.version + 1)
    (after,) = events(client.get(url))
    assert str(before["UID"]) == str(after["UID"])
    assert int(str(after["SEQUENCE"])) == int(str(before["SEQUENCE"])) + 1


def test_only_the_coming_four_weeks_are_in_the_feed(client: HttpClient, cast: Cast) -> None:
    for start in ("2030-10-24 09:00", "2030-10-25 07:00", "2030-11-21 09:00", "2030-11-22 09:00"):
        Shift.objects.create(
            team=cast.team,
            member=cast.carer_membership,
            start=at(start),
            end=at(start) + dt.timedelta(hours=1),
        )
    starts = sorted(e.start for e in events(client.get(feed_of(cast.carer_membership))))
    assert starts == [at("2030-10-25 07:00"), at("2030-11-21 09:00")]


def test_a_revoked_or_replaced_address_is_404(client: HttpClient, cast: Cast) -> None:
    first = feed_of(cast.carer_membership)
    second = feed_of(cast.carer_membership)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    calendar_feed_revoke(membership=cast.carer_membership, actor=cast.carer)
    assert client.get(second).status_code == 404
    made_up = reverse("sharing:calendar-feed", kwargs={"token": "not-a-real-token"})
    assert client.get(made_up).status_code == 404


def test_an_ended_membership_ends_its_address(client: HttpClient, cast: Cast) -> None:
    url = feed_of(cast.carer_membership)
    Membership.objects.filter(pk=cast.carer_membership.pk).update(ended_at=NOW)
    assert client.get(url).status_code == 404


def test_another_members_address_never_shows_my_rota(client: HttpClient, cast: Cast) -> None:
    mine = Shift.objects.create(
        team=cast.team,
        member=cast.carer_membership,
        start=at("2030-10-28 07:00"),
        end=at("2030-10-28 15:00"),
    )
    visit(cast, cast.client, at("2030-10-28 09:00"))
    theirs = events(client.get(feed_of(cast.nurse_membership)))
    assert theirs == []
    assert str(mine.id) not in client.get(feed_of(cast.nurse_membership)).content.decode()


def test_nobody_may_make_or_revoke_another_members_address(cast: Cast) -> None:
    from careteams.errors import NotFound

    with pytest.raises(NotFound):
        calendar_feed_create(membership=cast.carer_membership, actor=cast.nurse)
    with pytest.raises(NotFound):
        calendar_feed_revoke(membership=cast.carer_membership, actor=cast.nurse)


def test_the_feed_reads_in_three_queries_however_many_events(
    client: HttpClient, cast: Cast, django_assert_num_queries: Any
) -> None:
    url = feed_of(cast.carer_membership)
    for day in range(20):
        start = at("2030-10-26 08:00") + dt.timedelta(days=day)
        Shift.objects.create(
            team=cast.team,
            member=cast.carer_membership,
            start=start,
            end=start + dt.timedelta(hours=8),
        )
        visit(cast, cast.client, start + dt.timedelta(hours=1))
    with django_assert_num_queries(3):
        assert len(events(client.get(url))) == 40


def test_the_security_page_makes_shows_once_and_revokes_the_address(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    page = reverse("sharing:calendar")
    assert "Make an address" in client.get(page).content.decode()
    made = client.post(page, {"membership": cast.carer_membership.pk, "action": "create"})
    text = made.content.decode()
    feed = CalendarFeed.objects.get(membership=cast.carer_membership, revoked_at__isnull=True)
    url = text.split('value="http://testserver')[1].split('"')[0]
    assert url.startswith("/calendar/")
    assert url.endswith(".ics")
    assert client.get(url).status_code == 200
    assert url not in client.get(page).content.decode()  # shown only once
    client.post(page, {"membership": cast.carer_membership.pk, "action": "revoke"})
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(url).status_code == 404


def test_the_security_page_refuses_another_members_membership(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    answer = client.post(
        reverse("sharing:calendar"), {"membership": cast.carer_membership.pk, "action": "create"}
    )
    assert answer.status_code == 404
    assert not CalendarFeed.objects.exists()
