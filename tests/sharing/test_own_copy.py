"""A client's own copy (subject access): every note with its amendments, equal to the record;
producing it is recorded and shown; only the client's team may produce it."""

import datetime as dt
import json
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Allergy, CareProblem, Intervention, Note, OutcomeRating
from messaging.models import ClientMessage, HandoverNote
from scheduling.models import Visit, VisitAssignment
from sharing.models import OwnCopy
from tests.conftest import Cast, at
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db

START = at("2030-11-25 09:00")


def record(cast: Cast) -> dict[str, Any]:
    """A record with a plan, ratings, a note and its amendment, a visit, a message, a handover,
    an allergy; and a note of another client that must not appear."""
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="27", severity="actual", identified_on=dt.date(2030, 9, 1)
    )
    Intervention.objects.create(
        problem=problem, category="treatments", target="49", care_description="Compression"
    )
    OutcomeRating.objects.create(
        problem=problem,
        knowledge=2,
        behaviour=3,
        status=2,
        rated_on=dt.date(2030, 10, 1),
        rated_by=cast.nurse,
    )
    first = Note.objects.create(
        client=cast.client, author=cast.nurse, body="Leg ulcer redressed.", recorded_at=START
    )
    amendment = Note.objects.create(
        client=cast.client,
        author=cast.nurse,
        body="Correction: left leg, not right.",
        recorded_at=START + dt.timedelta(minutes=5),
        amends=first,
    )
    Note.objects.create(
        client=cast.other_client_same_team,
        author=cast.nurse,
        body="Someone else's note.",
        recorded_at=START,
    )
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=START,
        planned_end=START + dt.timedelta(hours=1),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    ClientMessage.objects.create(
        team=cast.team, client=cast.client, author=cast.carer, body="Prescription collected."
    )
    HandoverNote.objects.create(
        team=cast.team, client=cast.client, author=cast.carer, body="Ring the bell twice."
    )
    Allergy.objects.create(client=cast.client, substance="Penicillin", recorded_by=cast.nurse)
    return {"problem": problem, "notes": [first, amendment], "visit": visit}


def produce(client: HttpClient, cast: Cast, form: str) -> Any:
    url = reverse("sharing:own-copy-produce", kwargs={"client_id": cast.client.id})
    return client.post(url, {"format": form})


def test_the_json_copy_holds_every_note_with_its_amendments_and_equals_the_record(
    client: HttpClient, cast: Cast
) -> None:
    made = record(cast)
    client.force_login(cast.nurse)
    response = produce(client, cast, "json")
    assert response.status_code == 200
    copy = json.loads(response.content)
    stored = Note.objects.filter(client=cast.client).order_by("recorded_at")
    assert [(n["id"], n["body"], n["amends"]) for n in copy["notes"]] == [
        (str(n.id), n.body, str(n.amends_id) if n.amends_id else None) for n in stored
    ]
    amendment = made["notes"][1]
    assert copy["notes"][0]["amended_by"] == [str(amendment.id)]
    assert "Someone else's note." not in response.content.decode()
    (problem,) = copy["care_plan"]
    assert problem["id"] == str(made["problem"].id)
    assert [r["status"] for r in problem["ratings"]] == [2]
    assert problem["interventions"][0]["care_description"] == "Compression"
    (visit,) = copy["visits"]
    assert visit["id"] == str(made["visit"].id)
    assert visit["carers"] == [cast.carer.get_full_name()]
    assert [m["body"] for m in copy["messages"]] == ["Prescription collected."]
    assert [h["body"] for h in copy["handover_notes"]] == ["Ring the bell twice."]
    assert [a["substance"] for a in copy["allergies"]] == ["Penicillin"]
    assert copy["client"]["nhs_number"] == cast.client.nhs_number
    assert copy["family_access"][0]["person"] == cast.family.get_full_name()
    assert copy["consents"][0]["basis"] == "client_consent"
    assert "1234" not in json.dumps(copy["client"]["key_safe_code"])


def test_the_pdf_copy_prints_every_note_and_its_amendment(client: HttpClient, cast: Cast) -> None:
    record(cast)
    client.force_login(cast.nurse)
    response = produce(client, cast, "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for words in ("Leg ulcer redressed.", "Correction: left leg, not right.", "Penicillin"):
        assert words in text
    assert "Someone else's note." not in text


def test_producing_a_copy_is_recorded_and_shown_on_the_record(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    produce(client, cast, "pdf")
    produce(client, cast, "json")
    copies = list(OwnCopy.objects.filter(client=cast.client).order_by("produced_at"))
    assert [(c.format, c.produced_by) for c in copies] == [
        ("pdf", cast.nurse),
        ("json", cast.nurse),
    ]
    page = client.get(reverse("sharing:own-copy", kwargs={"client_id": cast.client.id}))
    assert page.content.decode().count(cast.nurse.get_full_name()) >= 2
    detail = client.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    assert "client's own copy" in detail.content.decode().replace("’", "'")
    # A later copy lists the earlier ones, and itself.
    copy = json.loads(produce(client, cast, "json").content)
    assert sorted(c["format"] for c in copy["copies_produced"]) == ["json", "json", "pdf"]


def test_the_record_of_copies_is_append_only(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    produce(client, cast, "pdf")
    made = OwnCopy.objects.get()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE sharing_owncopy SET format = 'json'")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM sharing_owncopy")
    with pytest.raises(ValueError, match="never"):
        made.delete()
    assert OwnCopy.objects.get().format == "pdf"


@pytest.mark.parametrize("who", ["other_nurse", "coach", "family", "client_user"])
def test_nobody_outside_the_team_may_produce_or_see_it(
    client: HttpClient, cast: Cast, who: str
) -> None:
    client.force_login(getattr(cast, who))
    assert produce(client, cast, "json").status_code == 404
    assert produce(client, cast, "pdf").status_code == 404
    page = reverse("sharing:own-copy", kwargs={"client_id": cast.client.id})
    assert client.get(page).status_code == 404
    assert not OwnCopy.objects.exists()


def test_an_unknown_form_is_a_400_naming_the_field(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    response = produce(client, cast, "docx")
    assert response.status_code == 400
    assert "format:" in response.content.decode()
    assert not OwnCopy.objects.exists()
