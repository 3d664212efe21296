"""The client pages through Django's test client: who may open them, what they show, bad input
and a fixed number of queries."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams.models import AccessEvent, Change, Door
from clients.models import CareProblem, Client, FamilyAccess, Note, OutcomeRating
from scheduling.models import Visit
from tests.conftest import Cast
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db

CLIENT_PAGES = [
    "clients:client-detail",
    "clients:client-edit",
    "clients:client-nurses",
    "clients:care-plan-pdf",
    "clients:problem-new",
    "clients:notes",
    "clients:note-new",
    "clients:family-access",
]
PROBLEM_PAGES = [
    "clients:problem-detail",
    "clients:intervention-new",
    "clients:rating-new",
    "clients:problem-resolve",
]
TEAM_PAGES = ["clients:client-list", "clients:client-new", "clients:caseload"]
POST_ONLY = {
    "clients:intervention-new",
    "clients:rating-new",
    "clients:problem-resolve",
    "clients:family-revoke",
}
GET_ONLY = {
    "clients:client-detail",
    "clients:care-plan-pdf",
    "clients:notes",
    "clients:problem-detail",
    "clients:client-list",
    "clients:caseload",
}


def url_for(name: str, cast: Cast, problem: CareProblem, access: FamilyAccess) -> str:
    if name in TEAM_PAGES:
        return reverse(name, kwargs={"team_id": cast.team.id})
    kwargs: dict[str, Any] = {"client_id": cast.client.id}
    if name in PROBLEM_PAGES:
        kwargs["problem_id"] = problem.id
    if name == "clients:family-revoke":
        kwargs["access_id"] = access.id
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def access(cast: Cast) -> FamilyAccess:
    return FamilyAccess.objects.get(person=cast.family)


def test_every_page_of_the_record_opens_for_a_team_member(
    client: HttpClient, cast: Cast, problem: CareProblem, access: FamilyAccess
) -> None:
    client.force_login(cast.carer)
    for name in [*CLIENT_PAGES, "clients:problem-detail", *TEAM_PAGES]:
        assert client.get(url_for(name, cast, problem, access)).status_code == 200, name


@pytest.mark.parametrize(
    "name", [*CLIENT_PAGES, *PROBLEM_PAGES, *TEAM_PAGES, "clients:family-revoke"]
)
def test_a_carer_of_another_team_gets_404_on_every_page_of_this_client(
    client: HttpClient, cast: Cast, problem: CareProblem, access: FamilyAccess, name: str
) -> None:
    client.force_login(cast.other_nurse)
    url = url_for(name, cast, problem, access)
    if name not in POST_ONLY:
        assert client.get(url).status_code == 404
    if name not in GET_ONLY:
        data = {"version": 1, "knowledge": 3, "behaviour": 3, "status": 3, "body": "x"}
        assert client.post(url, data).status_code == 404
    assert not Change.objects.exists()


@pytest.mark.parametrize("who", ["coach", "family", "client_user", "outsider"])
def test_people_outside_the_team_get_404_on_the_full_record(
    client: HttpClient, cast: Cast, problem: CareProblem, access: FamilyAccess, who: str
) -> None:
    client.force_login(getattr(cast, who))
    for name in [*CLIENT_PAGES, "clients:problem-detail", *TEAM_PAGES]:
        assert client.get(url_for(name, cast, problem, access)).status_code == 404, name


def test_a_made_up_client_id_is_404(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    url = reverse("clients:client-detail", kwargs={"client_id": uuid.uuid4()})
    assert client.get(url).status_code == 404


def test_the_record_shows_identity_plan_notes_and_visits(
    client: HttpClient,
    cast: Cast,
    problem: CareProblem,
    make_note: Callable[..., Note],
    upcoming_visit: Visit,
) -> None:
    make_note(body="Heel dressed.")
    client.force_login(cast.nurse)
    page = client.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    text = page.content.decode()
    assert "943 476 5919" in text
    assert "Key safe 1234" in text
    assert "Siân Ellis" in text  # primary nurse
    assert "Skin" in text
    assert "lesion/pressure ulcer" in text
    assert "Dress the heel ulcer" in text
    assert "Heel dressed." in text
    assert "Aoife Ní Bhriain" in text  # the carer on the visit
    assert 'role="img"' in text
    assert "<title" in text
    assert "Ratings of Skin over time" in text


@pytest.mark.parametrize(
    "query", ["llŷr", "Dafydd", "9434765919", "943 476 5919", "cf101aa", "CF10 1AA", "cf10"]
)
def test_a_client_is_found_by_name_nhs_number_or_postcode(
    client: HttpClient, cast: Cast, query: str
) -> None:
    client.force_login(cast.nurse)
    page = client.get(
        reverse("clients:client-list", kwargs={"team_id": cast.team.id}), {"q": query}
    ).content.decode()
    assert "Llŷr, Dafydd" in page
    assert "O&#x27;Neill" not in page


def test_search_never_finds_another_teams_client(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    page = client.get(
        reverse("clients:client-list", kwargs={"team_id": cast.team.id}), {"q": "Łęcka"}
    ).content.decode()
    assert "Agnieszka" not in page
    assert "No client found" in page


def client_form(**changes: str) -> dict[str, str]:
    data = {
        "given_name": "Bronwen",
        "family_name": "Ap Ifan",
        "nhs_number": "401 023 2137",
        "postcode": "ll55 4ur",
        "status": "active",
    }
    return data | changes


def test_adding_a_client_through_the_form(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("clients:client-new", kwargs={"team_id": cast.team.id}), client_form()
    )
    assert response.status_code == 302
    added = Client.objects.get(family_name="Ap Ifan")
    assert added.team == cast.team
    assert (added.nhs_number, added.postcode) == ("4010232137", "LL55 4UR")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "401 023 2138", "not a valid NHS number"),
        ("nhs_number", "12345", "10 digits"),
        ("postcode", "ZZ", "UK postcode"),
        ("given_name", "", "This field is required"),
    ],
)
def test_bad_client_details_re_render_the_form_with_the_message(
    client: HttpClient, cast: Cast, field: str, value: str, message: str
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("clients:client-new", kwargs={"team_id": cast.team.id}),
        client_form(**{field: value}),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "<title>Error: " in text
    assert not Client.objects.filter(family_name="Ap Ifan").exists()


def test_a_stale_edit_says_someone_else_changed_it_and_overwrites_nothing(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    url = reverse("clients:client-edit", kwargs={"client_id": cast.client.id})
    data = client_form(given_name="Dafydd", family_name="Llŷr", nhs_number="9434765919")
    assert client.post(url, data | {"phone": "0111", "version": "1"}).status_code == 302
    response = client.post(url, data | {"phone": "0222", "version": "1"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    cast.client.refresh_from_db()
    assert cast.client.phone == "0111"


def test_setting_the_named_nurses(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    url = reverse("clients:client-nurses", kwargs={"client_id": cast.client.id})
    response = client.post(
        url,
        {
            "primary_nurse": cast.nurse_membership.id,
            "second_nurse": cast.carer_membership.id,
            "version": 1,
        },
    )
    assert response.status_code == 302
    cast.client.refresh_from_db()
    assert cast.client.second_nurse == cast.carer_membership
    forged = client.post(
        url, {"primary_nurse": cast.other_nurse_membership.id, "version": cast.client.version}
    )
    assert forged.status_code == 400
    assert "current member of this team" in forged.content.decode()


def test_adding_a_problem_in_two_steps(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    url = reverse("clients:problem-new", kwargs={"client_id": cast.client.id})
    step_two = client.get(url, {"problem_code": "22"}).content.decode()
    assert "expresses discomfort/pain" in step_two  # the signs of Pain, and only those
    assert "lesion/pressure ulcer" not in step_two
    response = client.post(
        url,
        {
            "problem_code": "22",
            "scope": "individual",
            "severity": "actual",
            "signs_symptoms": ["01", "03"],
            "identified_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    problem = CareProblem.objects.get(client=cast.client, problem_code="22")
    assert problem.signs_symptoms == ["01", "03"]


@pytest.mark.parametrize("code", ["43", "00", "ab", ""])
def test_an_unknown_omaha_code_gives_a_message_and_adds_nothing(
    client: HttpClient, cast: Cast, code: str
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("clients:problem-new", kwargs={"client_id": cast.client.id}),
        {"problem_code": code, "scope": "individual", "severity": "potential"},
    )
    assert response.status_code == 400
    assert "Choose one of the 42 Omaha problems" in response.content.decode()
    assert not CareProblem.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "x"])
def test_a_rating_of_0_or_6_gives_a_message_and_records_nothing(
    client: HttpClient, cast: Cast, problem: CareProblem, score: str
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse(
            "clients:rating-new", kwargs={"client_id": cast.client.id, "problem_id": problem.id}
        ),
        {
            "knowledge": score,
            "behaviour": "3",
            "status": "3",
            "rated_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Rate knowledge from 1 to 5" in response.content.decode()
    assert OutcomeRating.objects.count() == 2


def test_rating_and_resolving_through_the_problem_page(
    client: HttpClient, cast: Cast, problem: CareProblem
) -> None:
    client.force_login(cast.nurse)
    kwargs = {"client_id": cast.client.id, "problem_id": problem.id}
    today = timezone.localdate().isoformat()
    rated = client.post(
        reverse("clients:rating-new", kwargs=kwargs),
        {"knowledge": "4", "behaviour": "5", "status": "4", "rated_on": today},
    )
    assert rated.status_code == 302
    stale = client.post(
        reverse("clients:problem-resolve", kwargs=kwargs), {"resolved_on": today, "version": 9}
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    resolved = client.post(
        reverse("clients:problem-resolve", kwargs=kwargs), {"resolved_on": today, "version": 1}
    )
    assert resolved.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "resolved"


def note_data(**changes: Any) -> dict[str, Any]:
    return {"body": "Walked to the shop with her frame.", "note_id": str(uuid.uuid4())} | changes


def test_a_retried_note_post_writes_one_note(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    data = note_data(shareable="on")
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Note.objects.count() == 1
    assert Note.objects.get().shareable


def test_the_note_form_carries_a_fresh_id_and_the_time_it_was_opened(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    page = client.get(reverse("clients:note-new", kwargs={"client_id": cast.client.id}))
    text = page.content.decode()
    assert 'name="note_id"' in text
    assert 'name="written_at"' in text


def test_amending_a_note_of_another_client_gives_a_message_and_writes_nothing(
    client: HttpClient, cast: Cast, make_note: Callable[..., Note]
) -> None:
    theirs = make_note(client=cast.other_client_same_team)
    far = Note.objects.create(
        client=cast.other_team_client,
        author=cast.other_nurse,
        body="Elsewhere",
        recorded_at=timezone.now(),
    )
    client.force_login(cast.nurse)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    for other in (theirs, far):
        response = client.post(url, note_data(amends=str(other.id)))
        assert response.status_code == 400
        assert "Choose a note of this client to amend" in response.content.decode()
    assert Note.objects.count() == 2


def test_an_amended_note_stays_and_is_shown_as_amended(
    client: HttpClient, cast: Cast, make_note: Callable[..., Note]
) -> None:
    old = make_note(body="Gave 10 units.")
    client.force_login(cast.nurse)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    form = client.get(url, {"amends": str(old.id)}).content.decode()
    assert "Gave 10 units." in form
    assert (
        client.post(url, note_data(body="Correction: 8 units.", amends=old.id)).status_code == 302
    )
    page = client.get(reverse("clients:notes", kwargs={"client_id": cast.client.id})).content
    text = page.decode()
    assert "Gave 10 units." in text
    assert "Correction: 8 units." in text
    assert "Amended" in text
    assert "Amends the note of" in text


def test_a_note_received_more_than_a_day_after_it_was_written_is_a_late_entry(
    client: HttpClient, cast: Cast, make_note: Callable[..., Note]
) -> None:
    make_note(body="Written offline.", recorded_at=timezone.now() - dt.timedelta(hours=30))
    make_note(body="Written just now.")
    client.force_login(cast.nurse)
    text = client.get(reverse("clients:notes", kwargs={"client_id": cast.client.id})).content
    assert text.decode().count("Late entry") == 1


def test_a_note_against_a_visit(client: HttpClient, cast: Cast, upcoming_visit: Visit) -> None:
    client.force_login(cast.carer)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    assert client.get(url, {"visit": str(upcoming_visit.id)}).status_code == 200
    assert client.post(url, note_data(visit=upcoming_visit.id)).status_code == 302
    assert Note.objects.get().visit_id == upcoming_visit.id


def test_the_team_care_plan_pdf_prints_names_and_the_omaha_plan(
    client: HttpClient, cast: Cast, problem: CareProblem
) -> None:
    client.force_login(cast.nurse)
    response = client.get(reverse("clients:care-plan-pdf", kwargs={"client_id": cast.client.id}))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Dafydd Llŷr" in text
    assert "943 476 5919" in text
    assert "24 Skin" in text
    assert "Dress the heel ulcer" in text


@pytest.mark.clock_sensitive
def test_the_caseload_shows_clients_per_member_and_planned_hours_this_week(
    client: HttpClient, cast: Cast
) -> None:
    # Ten o'clock today in London, the week the caseload counts (in UTC, just after midnight
    # on a Monday in summer, today is still Sunday: last week).
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for minutes in (30, 60):
        Visit.objects.create(
            team=cast.team,
            client=cast.client,
            planned_start=start,
            planned_end=start + dt.timedelta(minutes=minutes),
        )
    client.force_login(cast.nurse)
    page = client.get(reverse("clients:caseload", kwargs={"team_id": cast.team.id}))
    text = page.content.decode()
    assert "Siân Ellis" in text
    assert "primary nurse for 1" in text
    assert ">1.5<" in text
    assert "Mary O&#x27;Neill" in text  # no primary nurse yet


def many_records(cast: Cast, *, problems: int, notes: int, visits: int) -> None:
    today = timezone.localdate()
    codes = [f"{n:02d}" for n in range(1, problems + 1)]
    made = CareProblem.objects.bulk_create(
        CareProblem(
            team=cast.team,
            client=cast.client,
            problem_code=code,
            severity="potential",
            identified_on=today,
        )
        for code in codes
    )
    OutcomeRating.objects.bulk_create(
        OutcomeRating(
            team=cast.team,
            problem=p,
            knowledge=3,
            behaviour=3,
            status=3,
            rated_on=today,
            rated_by=cast.nurse,
        )
        for p in made
        for _ in range(3)
    )
    for n in range(notes):
        Note.objects.create(
            client=cast.client, author=cast.nurse, body=f"Note {n}", recorded_at=timezone.now()
        )
    start = timezone.now() + dt.timedelta(hours=1)
    Visit.objects.bulk_create(
        Visit(
            team=cast.team,
            client=cast.client,
            planned_start=start + dt.timedelta(hours=n),
            planned_end=start + dt.timedelta(hours=n, minutes=30),
        )
        for n in range(visits)
    )
    # Reads by everyone who may read: the read log on the page must not grow queries either.
    AccessEvent.objects.bulk_create(
        AccessEvent(user=reader, client_id=cast.client.id, team=cast.team, what="record", door=door)
        for reader in (cast.nurse, cast.carer, cast.family, cast.other_nurse)
        for door in (Door.PAGE, Door.PDF, Door.API)
        for _ in range(5)
    )


def test_the_record_page_uses_a_fixed_number_of_queries(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    many_records(cast, problems=20, notes=40, visits=30)
    client.force_login(cast.nurse)
    url = reverse("clients:client-detail", kwargs={"client_id": cast.client.id})
    # 21: the doorstep section's emergency contacts, the task outcomes of visits and the shared
    # check-in locations, one each; the read list's partner organisations (interop), one.
    with django_assert_max_num_queries(21):
        assert client.get(url).status_code == 200


def test_the_caseload_page_uses_a_fixed_number_of_queries(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    many_records(cast, problems=2, notes=0, visits=30)
    for n in range(30):
        Client.objects.create(
            team=cast.team,
            given_name=f"C{n}",
            family_name="Pŵll",
            primary_nurse=cast.nurse_membership,
        )
    client.force_login(cast.nurse)
    url = reverse("clients:caseload", kwargs={"team_id": cast.team.id})
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_the_family_view_uses_a_fixed_number_of_queries(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    many_records(cast, problems=20, notes=40, visits=30)
    client.force_login(cast.family)
    url = reverse("clients:family-client", kwargs={"client_id": cast.client.id})
    # 20: today's visits as they happen (scheduling/selectors/family_day.py, and the carers' other
    # visits today for "on the way"), a fixed five more.
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_the_time_the_note_form_was_opened_is_kept_as_written_at(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    page = client.get(url).content.decode()
    written = page.split('name="written_at" value="')[1].split('"')[0]
    assert client.post(url, note_data(written_at=written)).status_code == 302
    note = Note.objects.get()
    assert note.recorded_at == dt.datetime.fromisoformat(written)
    assert abs(note.received_at - note.recorded_at) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("param", ["amends", "visit"])
@pytest.mark.parametrize("value", [str(uuid.UUID(int=7)), "not-an-id"])
def test_the_note_page_naming_an_unknown_note_or_visit_is_a_404(
    client: HttpClient, cast: Cast, param: str, value: str
) -> None:
    client.force_login(cast.carer)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    assert client.get(url, {param: value}).status_code == 404


def test_the_note_page_naming_a_note_or_visit_of_another_client_is_a_404(
    client: HttpClient, cast: Cast, make_note: Callable[..., Note]
) -> None:
    theirs = make_note(client=cast.other_client_same_team)
    start = timezone.now() + dt.timedelta(hours=2)
    their_visit = Visit.objects.create(
        team=cast.team,
        client=cast.other_client_same_team,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
    )
    client.force_login(cast.nurse)
    url = reverse("clients:note-new", kwargs={"client_id": cast.client.id})
    assert client.get(url, {"amends": str(theirs.id)}).status_code == 404
    assert client.get(url, {"visit": str(their_visit.id)}).status_code == 404
