"""The family's view of today: the visits as they happen, the same time on the page and in the
PDF, how to reach the team; never access notes, emergency contacts or task notes."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from clients.models import EmergencyContact
from scheduling.models import Visit, VisitStatus
from scheduling.visit_models import VisitTaskOutcome
from tests.conftest import Cast
from tests.scheduling.pdftext import pdf_text

# Visits a hundred minutes ago, ten minutes ago and tomorrow: about one day, at its noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday")]


def visit_at(cast: Cast, minutes: int, **fields: Any) -> Visit:
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        window_start=start,
        window_end=start + dt.timedelta(minutes=45),
        **fields,
    )
    visit.assignments.create(member=cast.carer_membership)
    return visit


def family_page(client: HttpClient, cast: Cast) -> str:
    client.force_login(cast.family)
    url = reverse("clients:family-client", kwargs={"client_id": cast.client.id})
    return client.get(url).content.decode()


def test_the_family_sees_a_late_visit_and_what_the_team_does_about_it(
    client: HttpClient, cast: Cast
) -> None:
    cast.team.phone = "0300 123 4567"
    cast.team.phone_hours = "8am to 8pm every day"
    cast.team.save()
    visit = visit_at(cast, -100)
    # Assigned when it was planned, not as cover after it fell due.
    visit.assignments.update(assigned_at=visit.planned_start - dt.timedelta(days=1))
    page = family_page(client, cast)
    assert "Running late: nobody has arrived yet." in page
    # Nothing is claimed that the records do not show (no call to the carer is recorded).
    assert "checking with" not in page
    assert "The team can see that this visit is late." in page
    assert 'href="tel:03001234567"' in page
    assert "8am to 8pm every day" in page


def test_the_family_sees_who_arrived(client: HttpClient, cast: Cast) -> None:
    arrived = timezone.now() - dt.timedelta(minutes=5)
    visit_at(cast, -10, status=VisitStatus.IN_PROGRESS, checked_in_at=arrived)
    page = family_page(client, cast)
    assert "Aoife arrived and is there now." in page


def test_the_page_and_the_pdf_give_the_same_time_for_a_visit(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_at(cast, 24 * 60)
    zone = cast.team.zone
    assert visit.window_start is not None
    assert visit.window_end is not None
    words = (
        f"Between {visit.window_start.astimezone(zone):%H:%M} and "
        f"{visit.window_end.astimezone(zone):%H:%M}"
    )
    page = family_page(client, cast)
    pdf = client.get(reverse("clients:family-care-plan-pdf", kwargs={"client_id": cast.client.id}))
    assert words in page
    assert words in " ".join(pdf_text(pdf.content).split())


def test_the_family_never_sees_access_notes_contacts_or_task_notes(
    client: HttpClient, cast: Cast
) -> None:
    visit = visit_at(cast, -20, status=VisitStatus.IN_PROGRESS, checked_in_at=timezone.now())
    EmergencyContact.objects.create(client=cast.client, name="Carys", phone="07700 900123")
    VisitTaskOutcome.objects.create(
        visit=visit,
        task_key="visit:Wash",
        task_label="Wash",
        outcome="not_done",
        reason="could_not",
        note="Bruise on the left hip",
        recorded_by=cast.carer,
        recorded_at=timezone.now(),
    )
    page = family_page(client, cast)
    for secret in ("Key safe 1234", "Carys", "Bruise on the left hip", "Wash"):
        assert secret not in page, secret


def test_the_family_view_keeps_a_fixed_number_of_queries(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    client.force_login(cast.family)
    url = reverse("clients:family-client", kwargs={"client_id": cast.client.id})
    visit_at(cast, -60)
    visit_at(cast, 24 * 60)  # a coming one too, so the first count includes every prefetch
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(8):
        visit_at(cast, n * 45 - 200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
