"""A client's own copy (subject access): every note with its amendments, equal to the record;
producing it is recorded and shown; only the client's team may produce it."""

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from fhirclient.models.bundle import Bundle

from clients.models import Allergy, CareProblem, Intervention, Note, OutcomeRating
from messaging.models import ClientMessage, HandoverNote
from scheduling.models import Visit, VisitAssignment
from scheduling.visit_models import VisitTaskOutcome
from sharing.models import OwnCopy
from tests.conftest import Cast, at
from tests.interop.conftest import consent, register
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
    VisitTaskOutcome.objects.create(
        visit=visit,
        task_key="wash",
        task_label="Help with a wash",
        outcome="done",
        recorded_by=cast.carer,
        recorded_at=START + dt.timedelta(minutes=30),
    )
    ClientMessage.objects.create(
        team=cast.team, client=cast.client, author=cast.carer, body="Prescription collected."
    )
    HandoverNote.objects.create(
        team=cast.team, client=cast.client, author=cast.carer, body="Ring the bell twice."
    )
    Allergy.objects.create(client=cast.client, substance="Penicillin", recorded_by=cast.nurse)
    consent(cast, register(cast, name="Pendyffryn Surgery"))
    return {"problem": problem, "notes": [first, amendment], "visit": visit}


def produce(client: HttpClient, cast: Cast, form: str) -> Any:
    url = reverse("sharing:own-copy-produce", kwargs={"client_id": cast.client.id})
    return client.post(url, {"format": form})


def entries(bundle: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def test_the_json_copy_holds_every_note_with_its_amendments_and_equals_the_record(
    client: HttpClient, cast: Cast
) -> None:
    made = record(cast)
    client.force_login(cast.nurse)
    response = produce(client, cast, "json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = json.loads(response.content)
    Bundle(bundle, strict=True)  # every resource an R4 (4.0.1) model accepts
    stored = Note.objects.filter(client=cast.client).order_by("recorded_at")
    documents = {d["id"]: d for d in entries(bundle, "DocumentReference")}
    assert set(documents) == {str(n.id) for n in stored}
    for note in stored:
        data = documents[str(note.id)]["content"][0]["attachment"]["data"]
        assert base64.b64decode(data).decode() == note.body
    first, amendment = made["notes"]
    assert documents[str(first.id)]["status"] == "superseded"
    replaced = documents[str(amendment.id)]["relatesTo"][0]
    assert replaced["target"]["reference"] == f"DocumentReference/{first.id}"
    assert "Someone else" not in response.content.decode()
    (patient,) = entries(bundle, "Patient")
    assert patient["id"] == str(cast.client.id)
    (condition,) = entries(bundle, "Condition")
    assert condition["id"] == str(made["problem"].id)
    assert {e["id"] for e in entries(bundle, "Encounter")} == {str(made["visit"].id)}
    said = {c["payload"][0]["contentString"] for c in entries(bundle, "Communication")}
    assert said == {"Prescription collected.", "Ring the bell twice."}
    assert [a["code"]["text"] for a in entries(bundle, "AllergyIntolerance")] == ["Penicillin"]
    assert len(entries(bundle, "Consent")) == 1
    (task,) = entries(bundle, "Task")
    assert (task["description"], task["status"]) == ("Help with a wash", "completed")
    assert task["encounter"]["reference"] == f"Encounter/{made['visit'].id}"
    audits = [a["entity"][0]["description"] for a in entries(bundle, "AuditEvent")]
    assert "own copy produced (json)" in audits


def test_the_pdf_copy_prints_every_note_and_its_amendment(client: HttpClient, cast: Cast) -> None:
    record(cast)
    client.force_login(cast.nurse)
    response = produce(client, cast, "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for words in (
        "Leg ulcer redressed.",
        "Correction: left leg, not right.",
        "Penicillin",
        "Pendyffryn Surgery",
        "Help with a wash",
        "Ring the bell twice.",
    ):
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
    bundle = json.loads(produce(client, cast, "json").content)
    audits = [a["entity"][0]["description"] for a in entries(bundle, "AuditEvent")]
    assert sorted(a for a in audits if a.startswith("own copy produced")) == [
        "own copy produced (json)",
        "own copy produced (json)",
        "own copy produced (pdf)",
    ]


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


def test_both_copies_hold_every_medicine_and_every_dose_with_its_correction(
    client: HttpClient, cast: Cast
) -> None:
    from tests.medicines.mar_world import world

    meds = world(cast)
    client.force_login(cast.nurse)
    text = pdf_text(produce(client, cast, "pdf").content)
    for words in ("Amlodipine", "Paracetamol", "Took it after breakfast", "Said it tastes bitter"):
        assert words in text
    bundle = json.loads(produce(client, cast, "json").content)
    given = entries(bundle, "MedicationAdministration")
    assert {str(dose.id) for dose in (meds.given, meds.refused, meds.corrected)} <= {
        resource["id"] for resource in given
    }
