"""The medicines pages: the list beside the allergies, adding (with the allergy question),
checking by a second person, changing, stopping, stock; the team's policy in its settings;
another team's member and a coach get 404 (a coach sees no client's identity)."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Client
from clients.services.allergies import allergy_record
from medicines.models import MedicineLine, MedicinesPolicy
from tests.conftest import Cast
from tests.medicines.helpers import checked, medicine_line, prn_details

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Amoxicillin",
    "form": "capsule",
    "strength": "500 mg",
    "route": "oral",
    "dose_min": "1",
    "dose_max": "1",
    "dose_unit": "capsule",
    "times": "08:00, 20:00",
    "time_tolerance_minutes": "60",
    "support": "administer",
    "starts_on": "2026-03-01",
    "supply": "original",
    "source": "gp_letter",
    "version": "1",
}


def browser(user: object) -> HttpClient:
    made = HttpClient()
    made.force_login(user)  # type: ignore[arg-type]
    return made


def test_a_nurse_adds_a_medicine_and_a_colleague_checks_it(cast: Cast) -> None:
    nurse = browser(cast.nurse)
    answer = nurse.post(reverse("medicines:line-add", kwargs={"client_id": cast.client.id}), FORM)
    assert answer.status_code == 302
    line = MedicineLine.objects.get(name="Amoxicillin")
    assert line.times == ["08:00", "20:00"]
    page = nurse.get(reverse("medicines:list", kwargs={"client_id": cast.client.id}))
    assert "Awaiting check" in page.content.decode()
    url = reverse("medicines:line-check", kwargs={"client_id": cast.client.id, "line_id": line.id})
    nurse.post(url, {"version": line.version})
    line.refresh_from_db()
    assert line.checked_by is None  # not the one who wrote it
    browser(cast.carer).post(url, {"version": line.version})
    line.refresh_from_db()
    assert line.checked_by == cast.carer


def test_a_medicine_matching_an_allergy_asks_for_the_reason_beside_its_field(cast: Cast) -> None:
    allergy_record(client=cast.client, substance="Amoxicillin", severity="severe", actor=cast.nurse)
    nurse = browser(cast.nurse)
    url = reverse("medicines:line-add", kwargs={"client_id": cast.client.id})
    answer = nurse.post(url, FORM)
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "allergy_reason_error" in text
    assert "Amoxicillin" in text
    assert not MedicineLine.objects.exists()
    answer = nurse.post(url, {**FORM, "allergy_reason": "The GP confirmed: a rash years ago"})
    assert answer.status_code == 302


def test_a_bad_field_is_refused_beside_it(cast: Cast) -> None:
    answer = browser(cast.nurse).post(
        reverse("medicines:line-add", kwargs={"client_id": cast.client.id}),
        {**FORM, "times": "eight"},
    )
    assert answer.status_code == 400
    assert "id_times_error" in answer.content.decode()


def test_a_line_is_changed_and_stopped_from_its_page(cast: Cast) -> None:
    line = checked(cast)
    nurse = browser(cast.nurse)
    kwargs = {"client_id": cast.client.id, "line_id": line.id}
    changed = nurse.post(
        reverse("medicines:line-change", kwargs=kwargs),
        {**FORM, "name": "Ramipril", "version": line.version, "change_note": "Evening dose too"},
    )
    assert changed.status_code == 302
    line.refresh_from_db()
    assert (line.times, line.change_note, line.checked_by) == (
        ["08:00", "20:00"],
        "Evening dose too",
        None,
    )
    stale = nurse.post(
        reverse("medicines:line-stop", kwargs=kwargs),
        {"version": line.version - 1, "stopped_reason": "GP stopped it"},
    )
    assert stale.status_code == 409
    stopped = nurse.post(
        reverse("medicines:line-stop", kwargs=kwargs),
        {"version": line.version, "stopped_reason": "GP stopped it"},
    )
    assert stopped.status_code == 302
    line.refresh_from_db()
    assert line.status == "stopped"


def test_a_count_that_does_not_match_is_flagged_on_the_list(cast: Cast) -> None:
    line = checked(cast, prn_details(track_stock=True))
    nurse = browser(cast.nurse)
    url = reverse("medicines:stock-add", kwargs={"client_id": cast.client.id, "line_id": line.id})
    nurse.post(url, {"kind": "received", "quantity": "32"})
    nurse.post(url, {"kind": "counted", "quantity": "30"})
    page = nurse.get(reverse("medicines:list", kwargs={"client_id": cast.client.id}))
    assert "Count does not match" in page.content.decode()


def test_the_prn_protocol_and_the_allergies_are_on_the_line_page(cast: Cast) -> None:
    allergy_record(client=cast.client, substance="Latex", actor=cast.nurse)
    line = checked(cast, prn_details())
    page = browser(cast.carer).get(
        reverse("medicines:line", kwargs={"client_id": cast.client.id, "line_id": line.id})
    )
    text = page.content.decode()
    assert "Latex" in text
    assert "Ring the GP." in text
    assert "240 minutes" in text


def test_the_team_sets_its_medicines_policy_in_its_settings(cast: Cast) -> None:
    url = reverse("medicines:policy", kwargs={"team_id": cast.team.id})
    nurse = browser(cast.nurse)
    assert nurse.get(url).status_code == 200
    answer = nurse.post(url, {"version": "1", "missed_dose_grace_minutes": "30"})
    assert answer.status_code == 302
    policy = MedicinesPolicy.objects.get(team=cast.team)
    assert (policy.cd_witness_required, policy.missed_dose_grace_minutes) == (False, 30)


@pytest.mark.parametrize("who", ["other_nurse", "coach", "family", "client_user"])
def test_anyone_outside_the_team_gets_404_and_sees_no_identity(cast: Cast, who: str) -> None:
    Client.objects.filter(pk=cast.client.pk).update(family_name="Quarrington")
    line = medicine_line(cast)
    person = browser(getattr(cast, who))
    urls = [
        reverse("medicines:list", kwargs={"client_id": cast.client.id}),
        reverse("medicines:line", kwargs={"client_id": cast.client.id, "line_id": line.id}),
        reverse("medicines:line-add", kwargs={"client_id": cast.client.id}),
    ]
    for url in urls:
        answer = person.get(url)
        assert answer.status_code == 404
        assert "Quarrington" not in answer.content.decode()
    check = reverse(
        "medicines:line-check", kwargs={"client_id": cast.client.id, "line_id": line.id}
    )
    assert person.post(check, {"version": line.version}).status_code == 404


def test_a_line_of_another_client_is_not_found_under_this_one(cast: Cast) -> None:
    line = medicine_line(cast)
    answer = browser(cast.nurse).get(
        reverse(
            "medicines:line",
            kwargs={"client_id": cast.other_client_same_team.id, "line_id": line.id},
        )
    )
    assert answer.status_code == 404
