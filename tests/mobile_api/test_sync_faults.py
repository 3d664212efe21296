"""Sync push under faults and bad input: each mutation is answered on its own, a fault is
`retry` (not stored), and resending converges to exactly once."""

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection

from careteams.models import Change, User
from clients.models import Note
from clients.services import notes as note_services
from mobile_api import push as applier
from mobile_api.models import SyncMutation
from mobile_api.mutations import Context
from tests.conftest import Cast
from tests.mobile_api.conftest import Api
from tests.mobile_api.test_sync import mutation, push

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def notes(cast: Cast, n: int) -> list[dict[str, Any]]:
    return [
        mutation(
            "note.create",
            {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": f"Note {i}"},
        )
        for i in range(n)
    ]


def once_each(batch: list[dict[str, Any]]) -> None:
    """Every note of the batch written once, with exactly one change in the feed."""
    ids = {uuid.UUID(m["data"]["id"]) for m in batch}
    assert set(Note.objects.values_list("id", flat=True)) == ids
    feed = Counter(Change.objects.filter(entity="note").values_list("entity_id", flat=True))
    assert feed == dict.fromkeys(ids, 1)


def test_a_database_fault_in_the_middle_of_a_batch_is_answered_retry_and_resending_converges(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    write = note_services.note_write
    calls = 0

    def flaky(**kwargs: Any) -> Note:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OperationalError("could not serialize access due to concurrent update")
        return write(**kwargs)

    monkeypatch.setattr(note_services, "note_write", flaky)
    batch = notes(cast, 3)
    first = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in first] == ["applied", "retry", "applied"]
    assert first[1]["problem"]["status"] == 503
    assert "again" in first[1]["problem"]["detail"]
    assert SyncMutation.objects.count() == 2  # the retry is not stored

    again = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in again] == ["applied"] * 3
    assert [r["repeated"] for r in again] == [True, False, True]
    once_each(batch)


def test_a_failing_read_of_the_stored_answer_costs_only_that_mutation(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = notes(cast, 3)
    stored = applier._stored
    unlucky = uuid.UUID(batch[1]["mutation_id"])

    def failing(user: User, mutation_id: uuid.UUID) -> dict[str, Any] | None:
        if mutation_id == unlucky:
            raise OperationalError("server closed the connection unexpectedly")
        return stored(user, mutation_id)

    monkeypatch.setattr(applier, "_stored", failing)
    first = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in first] == ["applied", "retry", "applied"]

    monkeypatch.setattr(applier, "_stored", stored)
    again = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in again] == ["applied"] * 3
    once_each(batch)


def test_a_fault_storing_a_refusal_is_retry_not_a_failed_batch(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = applier._store

    def failing(ctx: Context, status: str, result: dict[str, Any]) -> None:
        if status == "rejected":
            raise OperationalError("canceling statement due to lock timeout")
        store(ctx, status, result)

    monkeypatch.setattr(applier, "_store", failing)
    teleport, note = mutation("teleport", {}), notes(cast, 1)[0]
    results = push(nurse, cast.team.id, teleport, note)
    assert [r["status"] for r in results] == ["retry", "applied"]


def test_one_malformed_mutation_is_rejected_naming_its_field_and_the_good_ones_apply(
    cast: Cast, nurse: Api
) -> None:
    good = notes(cast, 2)
    not_an_object = {**notes(cast, 1)[0], "data": "x"}
    bad_id = {**notes(cast, 1)[0], "mutation_id": "not-a-uuid"}
    bad_time = {**notes(cast, 1)[0], "recorded_at": "yesterday-ish"}
    bad_version = {**notes(cast, 1)[0], "base_version": "two"}
    batch: list[Any] = [good[0], not_an_object, bad_id, bad_time, bad_version, "x", good[1]]
    results = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in results] == ["applied"] + ["rejected"] * 5 + ["applied"]
    fields = [r["problem"]["errors"][0]["field"] for r in results[1:6]]
    assert fields == [
        "mutations[1].data",
        "mutations[2].mutation_id",
        "mutations[3].recorded_at",
        "mutations[4].base_version",
        "mutations[5]",
    ]
    assert {r["problem"]["status"] for r in results[1:6]} == {422}
    assert results[1]["mutation_id"] == not_an_object["mutation_id"]
    assert results[2]["mutation_id"] is None
    once_each(good)


def test_an_amendment_before_its_note_is_retry_and_applies_once_the_note_arrives(
    cast: Cast, nurse: Api
) -> None:
    (note,) = notes(cast, 1)
    amendment = mutation(
        "note.amend",
        {
            "id": str(uuid.uuid4()),
            "client_id": str(cast.client.id),
            "amends_id": note["data"]["id"],
            "body": "Note 0, corrected",
        },
    )
    (early,) = push(nurse, cast.team.id, amendment)
    assert early["status"] == "retry"
    assert early["problem"]["errors"][0]["field"] == "data.amends_id"
    assert (early["problem"]["status"], early["problem"]["title"]) == (409, "Try again later")
    assert not SyncMutation.objects.filter(mutation_id=amendment["mutation_id"]).exists()

    assert [r["status"] for r in push(nurse, cast.team.id, note, amendment)] == [
        "applied",
        "applied",
    ]
    corrected = Note.objects.get(pk=amendment["data"]["id"])
    assert str(corrected.amends_id) == note["data"]["id"]


def test_an_amendment_of_another_teams_note_is_still_refused(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api]
) -> None:
    (far,) = [
        mutation(
            "note.create",
            {"id": str(uuid.uuid4()), "client_id": str(cast.other_team_client.id), "body": "F"},
        )
    ]
    push(api_as(cast.other_nurse), cast.other_team.id, far)
    amendment = mutation(
        "note.amend",
        {
            "id": str(uuid.uuid4()),
            "client_id": str(cast.client.id),
            "amends_id": far["data"]["id"],
            "body": "Mine now",
        },
    )
    (refused,) = push(nurse, cast.team.id, amendment)
    assert refused["status"] == "rejected"
    assert refused["problem"]["status"] == 404


@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_in_the_middle_of_a_batch_is_retry_and_the_rest_still_apply(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("cuts a PostgreSQL connection")
    write = note_services.note_write
    calls = 0

    def cut(**kwargs: Any) -> Note:
        nonlocal calls
        calls += 1
        if calls == 2:
            with connection.cursor() as cursor:  # our own session of our own test database
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return write(**kwargs)

    monkeypatch.setattr(note_services, "note_write", cut)
    batch = notes(cast, 3)
    assert [r["status"] for r in push(nurse, cast.team.id, *batch)] == [
        "applied",
        "retry",
        "applied",
    ]
    assert [r["status"] for r in push(nurse, cast.team.id, *batch)] == ["applied"] * 3
    once_each(batch)
