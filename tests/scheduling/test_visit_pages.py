"""The visit's pages through Django's test client: My day, the visit card, checking in and out
from it, the tasks row by row, the note from the card, and who may open what."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams.models import AccessEvent
from clients.models import Client, EmergencyContact, Note
from scheduling.models import RotaNotice, Visit, VisitStatus
from scheduling.visit_models import VisitAttendance, VisitTaskOutcome
from tests.conftest import Cast

# Visits minutes and hours from now, on the same day unless a test says otherwise: at a noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday")]


def visit_now(
    cast: Cast, client: Client | None = None, *, minutes: int = 0, **fields: object
) -> Visit:
    """A visit starting `minutes` from now (its window opens then and lasts 45 minutes)."""
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)
    client = client or cast.client
    visit = Visit.objects.create(
        team=client.team,
        client=client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        window_start=start,
        window_end=start + dt.timedelta(minutes=45),
        tasks=["Medication prompt", "Breakfast", "Check the heel dressing"],
        **fields,
    )
    visit.assignments.create(member=cast.carer_membership)
    return visit


def card_url(visit: Visit, name: str = "visit-card") -> str:
    return reverse(f"scheduling:{name}", kwargs={"team_id": visit.team_id, "visit_id": visit.id})


@pytest.fixture
def doorstep(cast: Cast) -> Client:
    client = cast.client
    client.preferred_name = "Dai"
    client.date_of_birth = dt.date(1941, 3, 9)
    client.address_line_1 = "4 Heol y Castell"
    client.town = "Caerdydd"
    client.phone = "029 2000 0000"
    client.risk_flags = ["falls", "animals"]
    client.gp_practice_name = "Canton Surgery"
    client.save()
    EmergencyContact.objects.create(
        client=client, name="Carys Llŷr", relationship="Daughter", phone="07700 900123"
    )
    return client


def test_the_visit_card_shows_the_doorstep_facts_first(
    client: HttpClient, cast: Cast, doorstep: Client
) -> None:
    visit = visit_now(cast)
    client.force_login(cast.carer)
    page = client.get(card_url(visit)).content.decode()
    for fact in (
        "Dai",
        "9 March 1941",
        "Key safe 1234",
        "Falls risk",
        "Animals in the home",
        'href="tel:02920000000"',
        "Carys Llŷr",
        "Canton Surgery",
        "geo:0,0?q=4%20Heol%20y%20Castell%2C%20Caerdydd%2C%20CF10%201AA",
        "https://www.openstreetmap.org/search?query=4+Heol+y+Castell",
    ):
        assert fact in page, fact
    assert page.index("Key safe 1234") < page.index("Medication prompt")
    assert AccessEvent.objects.filter(client_id=doorstep.id, what="visit card").exists()


def test_my_day_links_each_visit_to_its_card_and_keeps_notices_collapsed(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_now(cast)
    for text in ("You are now on a visit", "A visit moved"):
        RotaNotice.objects.create(
            team=cast.team, week_start=dt.date(2030, 1, 7), member=cast.carer_membership, text=text
        )
    client.force_login(cast.carer)
    page = client.get(reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})).content
    text = page.decode()
    assert card_url(visit) in text
    assert '<details class="nhsuk-details rota-notices"' in text
    assert text.index(card_url(visit)) < text.index("2 changes to your rota")
    assert text.count(">Seen<") == 2
    seen_all = reverse("scheduling:notices-seen", kwargs={"team_id": cast.team.id})
    assert client.post(seen_all).status_code == 302
    assert not RotaNotice.objects.filter(seen_at__isnull=True).exists()


def test_signing_in_lands_a_carer_on_my_day(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})


def test_a_check_in_far_outside_the_window_asks_for_a_reason_first(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_now(cast, minutes=150)
    client.force_login(cast.carer)
    asked = client.post(card_url(visit, "visit-check-in"), {"version": visit.version})
    assert asked.status_code == 422
    assert 'name="confirm" value="1"' in asked.content.decode()
    assert not VisitAttendance.objects.exists()
    confirmed = client.post(
        card_url(visit, "visit-check-in"),
        {"version": visit.version, "confirm": "1", "reason": "Client asked me to come early"},
    )
    assert confirmed.status_code == 302
    attendance = VisitAttendance.objects.get()
    assert attendance.confirmed_reason == "Client asked me to come early"


def test_a_check_in_on_another_day_is_refused_with_the_visits_day(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_now(cast, minutes=2 * 24 * 60)
    client.force_login(cast.carer)
    refused = client.post(
        card_url(visit, "visit-check-in"), {"version": visit.version, "confirm": "1", "reason": "x"}
    )
    assert refused.status_code == 400
    assert "a check-in is taken on that day only" in refused.content.decode()
    assert not VisitAttendance.objects.exists()


def test_a_mistaken_check_in_is_withdrawn_and_kept(client: HttpClient, cast: Cast) -> None:
    visit = visit_now(cast)
    client.force_login(cast.carer)
    client.post(card_url(visit, "visit-check-in"), {"version": visit.version})
    visit.refresh_from_db()
    page = client.get(card_url(visit)).content.decode()
    assert "Withdraw my check-in" in page
    done = client.post(
        card_url(visit, "visit-check-in-withdraw"),
        {"version": visit.version, "reason": "Wrong house"},
    )
    assert done.status_code == 302
    attendance = VisitAttendance.objects.get()
    assert attendance.withdrawn_reason == "Wrong house"
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_a_second_carer_at_a_single_visit_checks_in_as_also_attending(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_now(cast)
    client.force_login(cast.nurse)
    page = client.get(card_url(visit)).content.decode()
    assert "Check in as also attending" in page
    client.post(card_url(visit, "visit-check-in"), {"version": visit.version, "extra": "1"})
    assert VisitAttendance.objects.get().role == "extra"


def test_a_task_row_is_marked_done_or_not_done_with_htmx_or_without(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_now(cast)
    client.force_login(cast.carer)
    client.post(card_url(visit, "visit-check-in"), {"version": visit.version})
    tasks = card_url(visit, "visit-task")
    row = client.post(
        tasks, {"task_key": "visit:Breakfast", "outcome": "done"}, headers={"HX-Request": "true"}
    )
    body = row.content.decode()
    assert row.status_code == 200
    assert body.lstrip().startswith('<li class="visit-task" id="task-2">')
    assert "<h1" not in body
    refused = client.post(
        tasks,
        {"task_key": "visit:Medication prompt", "outcome": "not_done", "reason": "could_not"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 400
    assert "Say why the task could not be done." in refused.content.decode()
    plain = client.post(
        tasks,
        {
            "task_key": "visit:Medication prompt",
            "outcome": "not_done",
            "reason": "could_not",
            "note": "No tablets left in the blister pack",
        },
    )
    assert plain.status_code == 302
    assert plain["Location"].endswith("#task-1")
    assert VisitTaskOutcome.objects.count() == 2


def test_check_out_shows_the_tasks_and_asks_for_the_visit_note(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_now(cast)
    client.force_login(cast.carer)
    client.post(card_url(visit, "visit-check-in"), {"version": visit.version})
    page = client.get(card_url(visit, "visit-check-out")).content.decode()
    assert "0 of 3 done" in page
    assert "No visit note yet" in page
    note_url = reverse("clients:note-new", kwargs={"client_id": visit.client_id})
    assert f"{note_url}?visit={visit.id}" in page
    visit.refresh_from_db()
    assert (
        client.post(card_url(visit, "visit-check-out"), {"version": visit.version}).status_code
        == 302
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE


def test_the_note_written_from_the_card_is_linked_and_returns_to_the_visit(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_now(cast)
    client.force_login(cast.carer)
    note_url = reverse("clients:note-new", kwargs={"client_id": visit.client_id})
    form = client.get(f"{note_url}?visit={visit.id}").content.decode()
    assert "Back to the visit" in form
    saved = client.post(
        note_url,
        {
            "body": "Breakfast eaten, tablets taken.",
            "visit": str(visit.id),
            "note_id": "6b0f5c9e-2d7a-4f57-9a3c-1e2f3a4b5c6d",
            "written_at": timezone.now().isoformat(timespec="seconds"),
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == card_url(visit)
    assert Note.objects.get().visit_id == visit.id


@pytest.mark.parametrize("who", ["other_nurse", "family", "client_user", "coach", "outsider"])
def test_the_visit_card_and_its_actions_are_404_outside_the_team(
    client: HttpClient, cast: Cast, who: str
) -> None:
    visit = visit_now(cast)
    client.force_login(getattr(cast, who))
    assert client.get(card_url(visit)).status_code == 404
    assert client.get(card_url(visit, "visit-check-out")).status_code == 404
    for name in ("visit-check-in", "visit-check-in-withdraw", "visit-task", "visit-check-out"):
        response = client.post(
            card_url(visit, name), {"version": visit.version, "extra": "1", "reason": "x"}
        )
        assert response.status_code == 404, name
    assert not VisitAttendance.objects.exists()


def test_the_family_never_sees_the_access_notes(
    client: HttpClient, cast: Cast, doorstep: Client
) -> None:
    visit_now(cast)
    client.force_login(cast.family)
    page = client.get(reverse("clients:family-client", kwargs={"client_id": doorstep.id}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Key safe 1234" not in text
    assert "Carys" not in text
    assert "Medication prompt" not in text


def test_the_teams_day_shows_late_visits_with_whom_to_call(client: HttpClient, cast: Cast) -> None:
    cast.team.phone = "0300 123 4567"
    cast.team.save()
    late = visit_now(cast, minutes=-120)
    visit_now(cast, cast.other_client_same_team, minutes=60)
    client.force_login(cast.nurse)
    url = reverse("scheduling:team-today", kwargs={"team_id": cast.team.id})
    page = client.get(url).content.decode()
    assert "Late now" in page
    late_part = page[page.index("Late now") : page.index("Today’s visits")]
    assert "Dafydd Llŷr" in late_part
    assert "Aoife Ní Bhriain" in late_part
    assert "tel:03001234567" in late_part
    assert "Mary O&#x27;Neill" not in late_part
    fragment = client.get(url + "?part=day").content.decode()
    assert fragment.lstrip().startswith('<div id="team-day"')
    assert card_url(late) in fragment


def test_a_missed_visit_gets_its_reason_from_the_teams_day(client: HttpClient, cast: Cast) -> None:
    missed = visit_now(cast, minutes=-2 * 24 * 60)
    client.force_login(cast.nurse)
    url = reverse("scheduling:team-today", kwargs={"team_id": cast.team.id})
    assert "Record the reason" in client.get(url).content.decode()
    done = client.post(
        card_url(missed, "visit-missed"), {"version": missed.version, "reason": "in_hospital"}
    )
    assert done.status_code == 302
    missed.refresh_from_db()
    assert missed.status == VisitStatus.MISSED
    assert "Every missed visit of the last week has its reason." in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["other_nurse", "family", "coach", "outsider"])
def test_the_teams_day_is_404_outside_the_team(client: HttpClient, cast: Cast, who: str) -> None:
    missed = visit_now(cast, minutes=-2 * 24 * 60)
    client.force_login(getattr(cast, who))
    url = reverse("scheduling:team-today", kwargs={"team_id": cast.team.id})
    assert client.get(url).status_code == 404
    response = client.post(card_url(missed, "visit-missed"), {"version": 1, "reason": "other"})
    assert response.status_code == 404


def many_visits(cast: Cast, count: int) -> Visit:
    """`count` visits today for the carer, each with tasks, a note and an outcome: the page's
    queries must not grow with them."""
    first = visit_now(cast)
    for n in range(1, count):
        visit = visit_now(cast, cast.other_client_same_team, minutes=n)
        Note.objects.create(
            client=visit.client,
            author=cast.carer,
            body="Fine.",
            visit_id=visit.id,
            recorded_at=timezone.now(),
        )
        VisitTaskOutcome.objects.create(
            visit=visit,
            task_key="visit:Breakfast",
            task_label="Breakfast",
            outcome="done",
            recorded_by=cast.carer,
            recorded_at=timezone.now(),
        )
    EmergencyContact.objects.create(client=cast.client, name="Carys", phone="07700 900123")
    return first


@pytest.mark.parametrize("page", ["my-day", "visit-card", "team-today"])
def test_the_visit_pages_keep_their_query_count_with_more_visits(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Any, page: str
) -> None:
    first = many_visits(cast, 2)
    client.force_login(cast.carer)
    url = (
        card_url(first)
        if page == "visit-card"
        else reverse(f"scheduling:{page}", kwargs={"team_id": cast.team.id})
    )
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    many_visits(cast, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_my_day_marks_a_late_visit_with_whom_to_call(client: HttpClient, cast: Cast) -> None:
    cast.team.phone = "0300 123 4567"
    cast.team.save()
    visit_now(cast, minutes=-90)
    client.force_login(cast.carer)
    page = client.get(reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})).content
    text = page.decode()
    assert "Late: nobody has checked in." in text
    assert 'href="tel:03001234567"' in text
