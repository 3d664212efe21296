"""The rota pages through Django's test client: who may open them, what they show, bad input."""

import datetime as dt
import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams.models import HolidayRegion, Team
from scheduling.models import RotaStatus, RotaWeek, Shift, Visit, VisitPattern
from tests.conftest import Cast, at
from tests.scheduling.conftest import big_team
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def week_url(team: Team, monday: dt.date) -> str:
    return reverse("scheduling:week", kwargs={"team_id": team.id, "week": monday.isoformat()})


def page_urls(
    cast: Cast, monday: dt.date, shift: Shift, visit: Visit, pattern: VisitPattern
) -> list[str]:
    team = {"team_id": cast.team.id}
    week = {**team, "week": monday.isoformat()}
    return [
        reverse("scheduling:week-current", kwargs=team),
        reverse("scheduling:week", kwargs=week),
        reverse("scheduling:week-pdf", kwargs=week),
        reverse(
            "scheduling:member-week-pdf", kwargs={**week, "member_id": cast.carer_membership.id}
        ),
        reverse("scheduling:shift-new", kwargs=team),
        reverse("scheduling:shift-edit", kwargs={**team, "shift_id": shift.id}),
        reverse("scheduling:absence-new", kwargs=team),
        reverse("scheduling:visit-new", kwargs=team),
        reverse("scheduling:visit", kwargs={**team, "visit_id": visit.id}),
        reverse("scheduling:patterns", kwargs=team),
        reverse("scheduling:pattern-new", kwargs=team),
        reverse("scheduling:pattern-edit", kwargs={**team, "pattern_id": pattern.id}),
        reverse("scheduling:my-day", kwargs=team),
        reverse("scheduling:swaps", kwargs=team),
        reverse("scheduling:figures", kwargs=team),
    ]


@pytest.fixture
def records(
    cast: Cast,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
    pattern: VisitPattern,
) -> tuple[Shift, Visit, VisitPattern]:
    return make_shift(cast.carer_membership, 0), make_visit(), pattern


def test_every_rota_page_opens_for_a_team_member(
    client: HttpClient, cast: Cast, monday: dt.date, records: tuple[Shift, Visit, VisitPattern]
) -> None:
    client.force_login(cast.carer)
    for url in page_urls(cast, monday, *records):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["other_nurse", "family", "client_user", "outsider"])
def test_every_rota_page_is_404_for_people_outside_the_team(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    records: tuple[Shift, Visit, VisitPattern],
    who: str,
) -> None:
    client.force_login(getattr(cast, who))
    for url in page_urls(cast, monday, *records):
        assert client.get(url).status_code == 404, url


def test_every_rota_action_is_404_for_a_member_of_another_team(
    client: HttpClient, cast: Cast, monday: dt.date, records: tuple[Shift, Visit, VisitPattern]
) -> None:
    shift, visit, _ = records
    team = {"team_id": cast.team.id}
    week = {**team, "week": monday.isoformat()}
    actions = [
        reverse("scheduling:week-generate", kwargs=week),
        reverse("scheduling:week-copy-shifts", kwargs=week),
        reverse("scheduling:week-publish", kwargs=week),
        reverse("scheduling:shift-delete", kwargs={**team, "shift_id": shift.id}),
        reverse("scheduling:shift-offer", kwargs={**team, "shift_id": shift.id}),
        reverse("scheduling:visit-assign", kwargs={**team, "visit_id": visit.id}),
        reverse("scheduling:visit-cancel", kwargs={**team, "visit_id": visit.id}),
        reverse("scheduling:visit-check-in", kwargs={**team, "visit_id": visit.id}),
    ]
    client.force_login(cast.other_nurse)
    for url in actions:
        assert (
            client.post(url, {"version": 1, "member": cast.other_nurse_membership.id}).status_code
            == 404
        ), url
    assert not RotaWeek.objects.exists()
    assert not visit.assignments.exists()


def test_the_coach_reads_figures_and_the_rota_pdf_but_not_the_board(
    client: HttpClient, cast: Cast, monday: dt.date, records: tuple[Shift, Visit, VisitPattern]
) -> None:
    client.force_login(cast.coach)
    team = {"team_id": cast.team.id}
    assert client.get(reverse("scheduling:figures", kwargs=team)).status_code == 200
    pdf = client.get(reverse("scheduling:week-pdf", kwargs={**team, "week": monday.isoformat()}))
    assert pdf.status_code == 200
    assert client.get(week_url(cast.team, monday)).status_code == 404
    assert client.get(reverse("scheduling:my-day", kwargs=team)).status_code == 404


def test_the_board_shows_members_shifts_visits_and_problems(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
) -> None:
    make_shift(cast.carer_membership, 0)
    make_visit(required_skills=["insulin"])
    client.force_login(cast.nurse)
    page = client.get(week_url(cast.team, monday) + "?view=list").content.decode()
    assert "Aoife Ní Bhriain" in page
    assert "Siân Ellis" in page
    assert "07:00–15:00" in page
    assert "Dafydd Llŷr" in page
    assert "Needs 1 carer" in page
    assert "has no carer" in page  # the planning warning
    assert "Draft" in page


def test_assigning_from_the_board_changes_the_problem_list(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
) -> None:
    make_shift(cast.carer_membership, 0)
    visit = make_visit(required_skills=["insulin"])
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:visit-assign", kwargs={"team_id": cast.team.id, "visit_id": visit.id}),
        {
            "version": visit.version,
            "member": cast.carer_membership.id,
            "from": "week",
            "next": week_url(cast.team, monday),
            # A missing skill is a hard rule: the choice is made with its reason.
            "reason": "Trained last week, the record is not updated yet",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "has no carer" not in page
    assert "does not have a skill" in page
    assert "insulin administration" in page


def test_assigning_a_member_of_another_team_shows_the_message_and_changes_nothing(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:visit-assign", kwargs={"team_id": cast.team.id, "visit_id": visit.id}),
        {"version": visit.version, "member": cast.other_nurse_membership.id, "from": "week"},
    )
    assert response.status_code == 400
    assert "Choose a current member of this team." in response.content.decode()
    assert not visit.assignments.exists()


def test_a_stale_assignment_is_refused_and_shows_the_current_state(
    client: HttpClient, cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    client.force_login(cast.nurse)
    url = reverse("scheduling:visit-assign", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    # Nobody is on shift then: each choice comes with its reason.
    client.post(url, {"version": 1, "member": cast.carer_membership.id, "reason": "Cover"})
    response = client.post(
        url, {"version": 1, "member": cast.nurse_membership.id, "reason": "Cover"}
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert "Aoife Ní Bhriain" in response.content.decode()
    assert visit.assignments.count() == 1


def test_a_shift_ending_before_it_starts_gives_a_message_beside_the_field(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:shift-new", kwargs={"team_id": cast.team.id}),
        {
            "member": cast.carer_membership.id,
            "day": "2030-11-25",
            "start_time": "15:00",
            "end_time": "07:00",
            "kind": "early",
            "break_minutes": 30,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end must be after the start" in page
    assert 'href="#id_end_time"' in page
    assert not Shift.objects.exists()


def test_a_night_shift_past_midnight_is_saved_with_ends_the_next_day(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:shift-new", kwargs={"team_id": cast.team.id}),
        {
            "member": cast.carer_membership.id,
            "day": "2026-10-24",
            "start_time": "22:00",
            "end_time": "07:00",
            "ends_next_day": "on",
            "kind": "night",
            "break_minutes": 30,
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert (shift.end - shift.start).total_seconds() == 10 * 3600


def test_a_time_skipped_by_the_clocks_is_refused(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:shift-new", kwargs={"team_id": cast.team.id}),
        {
            "member": cast.carer_membership.id,
            "day": "2026-03-29",
            "start_time": "01:30",
            "end_time": "07:00",
            "kind": "night",
            "break_minutes": 0,
        },
    )
    assert response.status_code == 400
    assert "does not exist on 29 March 2026" in response.content.decode()


def test_a_shift_for_a_member_of_another_team_is_refused_by_the_form(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:shift-new", kwargs={"team_id": cast.team.id}),
        {
            "member": cast.other_nurse_membership.id,
            "day": "2030-11-25",
            "start_time": "07:00",
            "end_time": "15:00",
            "kind": "early",
            "break_minutes": 30,
        },
    )
    assert response.status_code == 400
    assert "Choose a current member of this team." in response.content.decode()
    assert not Shift.objects.exists()


def test_a_visit_for_another_teams_client_is_refused_by_the_form(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("scheduling:visit-new", kwargs={"team_id": cast.team.id}),
        {
            "client": cast.other_team_client.id,
            "day": "2030-11-25",
            "start_time": "09:00",
            "end_time": "09:30",
            "carers_needed": 1,
        },
    )
    assert response.status_code == 400
    assert "Choose a client of this team." in response.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("week", ["2030-02-30", "not-a-week", "2030-13-01"])
def test_a_week_that_does_not_exist_is_404_with_a_message(
    client: HttpClient, cast: Cast, week: str
) -> None:
    client.force_login(cast.nurse)
    response = client.get(
        reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": week})
    )
    assert response.status_code == 404
    publish = client.post(
        reverse("scheduling:week-publish", kwargs={"team_id": cast.team.id, "week": week}),
        {"version": 0},
    )
    assert publish.status_code == 404
    assert not RotaWeek.objects.exists()


def test_a_day_inside_a_week_goes_to_its_monday(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    wednesday = monday + dt.timedelta(days=2)
    response = client.get(
        reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": wednesday.isoformat()})
    )
    assert response.status_code == 302
    assert response["Location"] == week_url(cast.team, monday)


def test_bank_holidays_follow_the_teams_nation(client: HttpClient, cast: Cast) -> None:
    st_andrews_week = dt.date(2026, 11, 30)
    client.force_login(cast.other_nurse)
    scottish = client.get(week_url(cast.other_team, st_andrews_week)).content.decode()
    assert "Saint Andrew" in scottish
    assert "Bank holiday" in scottish
    client.force_login(cast.nurse)
    english = client.get(week_url(cast.team, st_andrews_week)).content.decode()
    assert "Saint Andrew" not in english


def test_northern_ireland_has_st_patricks_day_and_england_does_not(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    week = dt.date(2026, 3, 16)
    assert "Saint Patrick" not in client.get(week_url(cast.team, week)).content.decode()
    cast.team.holiday_subdivision = HolidayRegion.NORTHERN_IRELAND
    cast.team.save()
    assert "Saint Patrick" in client.get(week_url(cast.team, week)).content.decode()


def test_publishing_shows_a_summary_first_then_marks_the_week_published(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-publish", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    summary = client.get(url)
    assert summary.status_code == 200
    assert "Publish the week of Monday 25 November 2030?" in summary.content.decode()
    assert RotaWeek.objects.count() == 0
    seen = summary.context["summary"].seen
    page = client.post(url, {"version": 0, "seen": seen}, follow=True).content.decode()
    assert "Published" in page
    assert RotaWeek.objects.get().status == RotaStatus.PUBLISHED
    twice = client.post(url, {"version": 1, "seen": seen})
    assert twice.status_code == 400
    assert "already published" in twice.content.decode()
    stale = client.post(url, {"version": 0, "seen": seen})
    assert stale.status_code == 409


def test_generating_from_the_board_makes_the_weeks_visits(
    client: HttpClient, cast: Cast, monday: dt.date, pattern: VisitPattern
) -> None:
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:week-generate", kwargs={"team_id": cast.team.id, "week": monday.isoformat()}
    )
    page = client.post(url, follow=True).content.decode()
    assert "5 visits made from the patterns" in page
    client.post(url)
    assert Visit.objects.count() == 5


@pytest.mark.clock_sensitive
def test_my_day_lists_my_visits_in_order_and_checks_in(
    client: HttpClient, cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    today = timezone.localdate()  # London's, as my day's; the machine's may be another
    later = make_visit(day=0, start="11:00", end="11:30")
    earlier = make_visit(client=cast.other_client_same_team, day=0, start="08:00", end="08:30")
    for visit in (later, earlier):
        visit.planned_start = visit.planned_start.replace(
            year=today.year, month=today.month, day=today.day
        )
        visit.planned_end = visit.planned_end.replace(
            year=today.year, month=today.month, day=today.day
        )
        visit.tasks = ["Medication prompt"]
        visit.save()
        visit.assignments.create(member=cast.carer_membership)
    client.force_login(cast.carer)
    url = reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
    page = client.get(url).content.decode()
    assert page.index("Mary O&#x27;Neill") < page.index("Dafydd Llŷr")
    assert "CF10 1AA" in page
    assert "Medication prompt" in page
    check_in = reverse(
        "scheduling:visit-check-in", kwargs={"team_id": cast.team.id, "visit_id": earlier.id}
    )
    # 08:00 is far from now at most hours of the day: the guard asks why, and a reason is given.
    answer = {"version": earlier.version, "confirm": "1", "reason": "Visit moved by the family"}
    assert client.post(check_in, answer).status_code == 302
    earlier.refresh_from_db()
    assert earlier.checked_in_at is not None


def test_figures_name_clients_for_members_and_number_them_for_coaches(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    make_visit().assignments.create(member=cast.nurse_membership)
    url = reverse("scheduling:figures", kwargs={"team_id": cast.team.id}) + f"?week={monday}"
    client.force_login(cast.nurse)
    page = client.get(url).content.decode()
    assert "Dafydd Llŷr" in page
    assert "100%" in page
    client.force_login(cast.coach)
    page = client.get(url).content.decode()
    assert "Llŷr" not in page
    assert "Client 1" in page


def test_the_rota_pdf_prints_every_name_as_written(
    client: HttpClient, cast: Cast, monday: dt.date, make_shift: Callable[..., Shift]
) -> None:
    make_shift(cast.carer_membership, 0)
    client.force_login(cast.nurse)
    response = client.get(
        reverse("scheduling:week-pdf", kwargs={"team_id": cast.team.id, "week": monday.isoformat()})
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Aoife Ní Bhriain" in text
    assert "Siân Ellis" in text
    assert "07:00–15:00 Early" in text


def test_the_week_board_of_a_big_team_uses_a_fixed_number_of_queries(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    big_team(cast.team, members=12, visits=400)
    assert Visit.objects.filter(team=cast.team).count() == 400
    client.force_login(cast.nurse)
    # 16, 2 for the 16 weeks before (rota-rules), 1 for the latest "Suggest carers" run.
    with django_assert_max_num_queries(19):  # type: ignore[attr-defined]
        response = client.get(week_url(cast.team, monday))
    assert response.status_code == 200
    # A day at a time: the week (header and 14 members), then Monday's visits on the rota grid
    # (the board's main view), not all 400.
    on_monday = set(
        Visit.objects.filter(
            team=cast.team, planned_start__lt=at(f"{monday + dt.timedelta(days=1)} 00:00")
        ).values_list("id", flat=True)
    )
    page = response.content.decode()
    assert page.count('<tr class="nhsuk-table__row') == 15
    assert {uuid.UUID(v) for v in re.findall(r'data-v="([^"]+)"', page)} == on_monday
    # The list of visits, the accessible alternative, is as cheap (one more query and write:
    # the session remembers the choice).
    with django_assert_max_num_queries(21):  # type: ignore[attr-defined]
        listed = client.get(week_url(cast.team, monday) + "?view=list").content.decode()
    assert listed.count('<tr id="visit-') == len(on_monday)


def test_the_first_response_of_a_big_teams_board_stays_under_100_kb(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    """12 members and 400 visits: the board used to send about 470 KB, twice per assignment."""
    big_team(cast.team, members=12, visits=400)
    client.force_login(cast.nurse)
    for day in range(7):
        day_url = f"{week_url(cast.team, monday)}?day={monday + dt.timedelta(days=day)}"
        size = len(client.get(day_url).content)
        assert size < 100_000, f"day {day}: {size} bytes"


def test_the_carer_list_is_sent_once_not_once_per_visit(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    big_team(cast.team, members=12, visits=400)
    client.force_login(cast.nurse)
    page = client.get(week_url(cast.team, monday) + "?view=list").content.decode()
    members = cast.team.memberships.filter(ended_at__isnull=True).count()
    assert page.count("<select") == 1
    assert page.count("<option") == members + 1  # and "Choose a member"
