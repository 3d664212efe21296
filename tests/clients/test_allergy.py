"""Allergies and sensitivities on the client record: the worked example of a kind declared
once (docs/architecture.md). The team's members see, add, change and end them on the record
page, read them through the API and write them offline through sync; anyone else gets a 404,
coaches and family see nothing of them."""

import uuid
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from careteams import feed
from careteams.models import Change
from clients.models import Allergy
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db


# The registry's walk over every kind (tests/kinds.py) makes and changes one with these.
def new(cast: Cast) -> Allergy:
    return Allergy(
        client=cast.client,
        substance="Penicillin",
        kind="allergy",
        reaction="Hives",
        severity="severe",
    )


def change(allergy: Allergy) -> None:
    allergy.severity = "life_threatening"


def page(cast: Cast, name: str = "part", **kwargs: Any) -> str:
    return reverse(
        f"clients:{name}", kwargs={"client_id": cast.client.id, "kind": "allergy", **kwargs}
    )


def added(cast: Cast) -> Allergy:
    browser = HttpClient()
    browser.force_login(cast.nurse)
    answer = browser.post(
        page(cast), {"substance": "Peanuts", "kind": "allergy", "reaction": "", "severity": "mild"}
    )
    assert answer.status_code == 302
    return Allergy.objects.get(client=cast.client, substance="Peanuts")


def test_a_member_adds_changes_and_ends_an_allergy_on_the_record(cast: Cast) -> None:
    browser = HttpClient()
    browser.force_login(cast.carer)
    allergy = added(cast)
    record = browser.get(reverse("clients:client-detail", kwargs={"client_id": cast.client.id}))
    assert "Peanuts" in record.content.decode()
    assert 'data-live-entities="allergy"' in record.content.decode()
    changed = browser.post(
        page(cast, "part-change", record_id=allergy.id),
        {
            "substance": "Peanuts",
            "kind": "allergy",
            "reaction": "Swollen lips",
            "severity": "severe",
            "version": 1,
        },
    )
    assert changed.status_code == 302
    allergy.refresh_from_db()
    assert (allergy.reaction, allergy.severity, allergy.version) == ("Swollen lips", "severe", 2)
    ended = browser.post(page(cast, "part-end", record_id=allergy.id), {"version": 2})
    assert ended.status_code == 302
    allergy.refresh_from_db()
    assert (allergy.status, allergy.version) == ("ended", 3)
    assert allergy.ended_at is not None
    assert allergy.recorded_by == cast.nurse
    entries = Change.objects.filter(entity="allergy", entity_id=allergy.id).order_by("seq")
    assert [c.version for c in entries] == [1, 2, 3]
    assert all(c.client_id == cast.client.id for c in entries)


def test_a_missing_substance_is_shown_beside_its_field(cast: Cast) -> None:
    browser = HttpClient()
    browser.force_login(cast.nurse)
    answer = browser.post(page(cast), {"substance": "  ", "kind": "allergy", "severity": "mild"})
    assert answer.status_code == 400
    assert answer.context["form"].errors["substance"]
    assert not Allergy.objects.exists()


def test_a_change_from_a_stale_page_is_a_conflict_not_an_overwrite(cast: Cast) -> None:
    allergy = added(cast)
    browser = HttpClient()
    browser.force_login(cast.nurse)
    form = {"substance": "Peanuts", "kind": "allergy", "reaction": "", "severity": "moderate"}
    assert (
        browser.post(
            page(cast, "part-change", record_id=allergy.id), {**form, "version": 1}
        ).status_code
        == 302
    )
    stale = browser.post(
        page(cast, "part-change", record_id=allergy.id), {**form, "severity": "mild", "version": 1}
    )
    assert stale.status_code == 409
    allergy.refresh_from_db()
    assert allergy.severity == "moderate"
    # The form is drawn again on the stored version: sending it now is a deliberate overwrite.
    assert stale.context["form"]["version"].value() == "2"


def test_another_teams_member_gets_404_everywhere(cast: Cast) -> None:
    allergy = added(cast)
    browser = HttpClient()
    browser.force_login(cast.other_nurse)
    assert browser.get(page(cast)).status_code == 404
    assert browser.get(page(cast, "part-change", record_id=allergy.id)).status_code == 404
    assert (
        browser.post(page(cast, "part-end", record_id=allergy.id), {"version": 1}).status_code
        == 404
    )
    api = Api(tokens.token_issue(user=cast.other_nurse, name="Other tablet").token)
    is_problem(api.get(f"/clients/{cast.client.id}/records"), 404)
    allergy.refresh_from_db()
    assert allergy.status == "active"


def test_the_api_reads_them_as_the_feed_carries_them(cast: Cast) -> None:
    allergy = added(cast)
    api = Api(tokens.token_issue(user=cast.carer, name="Tablet").token)
    answer = api.get(f"/clients/{cast.client.id}/records")
    assert answer.status_code == 200, answer.content
    (sent,) = answer.json()["kinds"]["allergy"]
    assert sent == Change.objects.get(entity="allergy", entity_id=allergy.id).data


def mutation(kind: str, data: dict[str, Any], base: int | None = None) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "kind": kind,
        "recorded_at": timezone.now().isoformat(),
        "base_version": base,
        "data": data,
    }


def push(api: Api, cast: Cast, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    answer = api.post(f"/sync/{cast.team.id}/mutations", {"mutations": list(mutations)})
    assert answer.status_code == 200, answer.content
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def test_a_device_records_changes_and_ends_one_offline(cast: Cast) -> None:
    api = Api(tokens.token_issue(user=cast.carer, name="Tablet").token)
    made = str(uuid.uuid4())
    create = mutation(
        "allergy.create",
        {
            "id": made,
            "client_id": str(cast.client.id),
            "substance": "Latex",
            "severity": "moderate",
        },
    )
    update = mutation("allergy.update", {"id": made, "reaction": "Rash"}, base=1)
    stale = mutation("allergy.update", {"id": made, "reaction": "Itch"}, base=1)
    end = mutation("allergy.end", {"id": made}, base=2)
    results = push(api, cast, create, update, stale, end)
    assert [r["status"] for r in results] == ["applied", "applied", "conflict", "applied"]
    assert [r.get("version") for r in results] == [1, 2, None, 3]
    assert results[0]["entity"] == "allergy"
    allergy = Allergy.objects.get(pk=made)
    assert (allergy.substance, allergy.reaction, allergy.status) == ("Latex", "Rash", "ended")
    assert allergy.kind == "allergy"  # the declared default


def test_a_devices_bad_data_is_rejected_beside_its_field(cast: Cast) -> None:
    api = Api(tokens.token_issue(user=cast.carer, name="Tablet").token)
    data = {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "substance": "Latex"}
    (bad,) = push(api, cast, mutation("allergy.create", {**data, "severity": "awful"}))
    assert bad["status"] == "rejected"
    assert bad["problem"]["errors"][0]["field"] == "data.severity"
    (empty,) = push(api, cast, mutation("allergy.create", {**data, "substance": " "}))
    assert empty["problem"]["errors"] == [
        {"field": "data.substance", "detail": "Enter what the client reacts to."}
    ]
    (foreign,) = push(
        api, cast, mutation("allergy.create", {**data, "client_id": str(cast.other_team_client.id)})
    )
    assert foreign["problem"]["status"] == 404
    assert not Allergy.objects.exists()


def test_coaches_and_family_follow_nothing_of_them(cast: Cast) -> None:
    added(cast)
    for user in (cast.coach, cast.family):
        viewer = feed.feed_viewer(user=user, team_id=cast.team.id)
        assert viewer is not None
        assert not feed.changes_visible_to(viewer).filter(entity="allergy").exists()
