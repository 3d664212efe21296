"""The client record's doorstep pages: GP practice, communication needs, preferred name,
emergency contacts (add, change, remove), at which visits an intervention is a task, and the
task outcomes of visits on the record."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from clients.models import CareProblem, EmergencyContact, Intervention
from scheduling.models import Visit
from scheduling.visit_models import VisitTaskOutcome
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def url(name: str, cast: Cast, **kwargs: object) -> str:
    return reverse(f"clients:{name}", kwargs={"client_id": cast.client.id, **kwargs})


@pytest.fixture
def contact(cast: Cast) -> EmergencyContact:
    return EmergencyContact.objects.create(
        client=cast.client, name="Carys Llŷr", relationship="Daughter", phone="07700 900123"
    )


@pytest.fixture
def intervention(cast: Cast) -> Intervention:
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="27", identified_on=dt.date(2026, 1, 5)
    )
    return Intervention.objects.create(
        problem=problem, category="treatments", target="49", care_description="Insulin at 08:00"
    )


def test_the_doorstep_details_are_saved_and_shown_on_the_record(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    saved = client.post(
        url("client-doorstep", cast),
        {
            "preferred_name": "Dai",
            "gp_practice_name": "Canton Surgery",
            "gp_practice_phone": "029 2022 2222",
            "communication_needs": "Hard of hearing: speak on his left side.",
            "version": cast.client.version,
        },
    )
    assert saved.status_code == 302
    page = client.get(url("client-detail", cast)).content.decode()
    for text in ("Canton Surgery", "029 2022 2222", "speak on his left side", "Dai"):
        assert text in page


def test_a_stale_doorstep_form_is_a_conflict_not_an_overwrite(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    form = {"gp_practice_name": "A", "communication_needs": "", "preferred_name": ""}
    assert client.post(url("client-doorstep", cast), {**form, "version": 1}).status_code == 302
    stale = client.post(
        url("client-doorstep", cast), {**form, "gp_practice_name": "B", "version": 1}
    )
    assert stale.status_code == 409
    cast.client.refresh_from_db()
    assert cast.client.gp_practice_name == "A"


def test_emergency_contacts_are_added_changed_and_removed(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    added = client.post(
        url("contact-new", cast),
        {
            "name": "Carys Llŷr",
            "relationship": "Daughter",
            "phone": "07700 900123",
            "may_be_told": "welfare",
        },
    )
    assert added.status_code == 302
    contact = EmergencyContact.objects.get()
    changed = client.post(
        url("contact-edit", cast, contact_id=contact.id),
        {
            "name": "Carys Llŷr",
            "relationship": "Daughter",
            "phone": "07700 900999",
            "may_be_told": "clinical",
            "order": 1,
            "version": contact.version,
        },
    )
    assert changed.status_code == 302
    contact.refresh_from_db()
    assert (contact.phone, contact.may_be_told) == ("07700 900999", "clinical")
    assert "07700 900999" in client.get(url("client-detail", cast)).content.decode()
    removed = client.post(
        url("contact-remove", cast, contact_id=contact.id), {"version": contact.version}
    )
    assert removed.status_code == 302
    assert not EmergencyContact.objects.exists()


def test_a_contact_without_a_phone_is_a_form_error(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    response = client.post(url("contact-new", cast), {"name": "Carys", "may_be_told": "welfare"})
    assert response.status_code == 400
    assert "nhsuk-error-summary" in response.content.decode()
    assert not EmergencyContact.objects.exists()


def test_an_intervention_is_put_on_morning_visits_on_two_days(
    client: HttpClient, cast: Cast, intervention: Intervention
) -> None:
    client.force_login(cast.nurse)
    schedule = url(
        "intervention-schedule",
        cast,
        problem_id=intervention.problem_id,
        intervention_id=intervention.id,
    )
    saved = client.post(
        schedule,
        {
            "parts": ["morning"],
            "weekdays": ["1", "4"],
            "every_days": 1,
            "version": intervention.version,
        },
    )
    assert saved.status_code == 302
    intervention.refresh_from_db()
    assert (intervention.visit_parts, intervention.visit_weekdays) == (["morning"], [1, 4])
    problem = client.get(
        url("problem-detail", cast, problem_id=intervention.problem_id)
    ).content.decode()
    assert "Morning visits on Mon, Thu" in problem


def test_the_record_lists_what_was_done_at_each_visit(client: HttpClient, cast: Cast) -> None:
    start = timezone.now() - dt.timedelta(hours=3)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        tasks=["Breakfast"],
    )
    VisitTaskOutcome.objects.create(
        visit=visit,
        task_key="visit:Breakfast",
        task_label="Breakfast",
        outcome="not_done",
        reason="refused",
        note="Not hungry",
        recorded_by=cast.carer,
        recorded_at=start,
    )
    client.force_login(cast.nurse)
    page = client.get(url("client-detail", cast)).content.decode()
    assert "Not done: refused (Not hungry)" in page
    assert "Aoife Ní Bhriain" in page


@pytest.mark.parametrize("who", ["other_nurse", "family", "client_user", "coach"])
def test_the_doorstep_pages_are_404_outside_the_team(
    client: HttpClient, cast: Cast, contact: EmergencyContact, intervention: Intervention, who: str
) -> None:
    client.force_login(getattr(cast, who))
    pages = [
        url("client-doorstep", cast),
        url("contact-new", cast),
        url("contact-edit", cast, contact_id=contact.id),
        url("contact-remove", cast, contact_id=contact.id),
        url(
            "intervention-schedule",
            cast,
            problem_id=intervention.problem_id,
            intervention_id=intervention.id,
        ),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"version": 1, "name": "x", "phone": "1"}).status_code == 404
    assert EmergencyContact.objects.get().name == "Carys Llŷr"


def test_the_family_view_never_shows_emergency_contacts(
    client: HttpClient, cast: Cast, contact: EmergencyContact
) -> None:
    client.force_login(cast.family)
    page = client.get(reverse("clients:family-client", kwargs={"client_id": cast.client.id}))
    assert "Carys" not in page.content.decode()
