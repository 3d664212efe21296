"""Sync push in chunks: one transaction and one event per team per chunk, and still an answer
of its own for every mutation (docs/sync.md, "Push")."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connections, transaction

from careteams import changes
from careteams.models import Change, Team, User
from clients.models import Note
from mobile_api import push as applier
from mobile_api.models import SyncMutation
from scheduling.models import Visit
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.mobile_api.test_sync import mutation, now_on, push
from tests.mobile_api.test_sync_faults import notes, once_each

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def untimed_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks cut by their size only, however slow the machine (the time bound has its test)."""
    monkeypatch.setattr(applier, "CHUNK_SECONDS", 600.0)


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


@contextmanager
def commits_counted() -> Iterator[list[bool]]:
    """Each COMMIT of the default connection while inside, and whether it wrote a stored
    answer (a push's chunk) or something else of the request (a token's last use, say)."""
    # Any: _commit, the private method patched here, is not in django-stubs.
    database: Any = connections["default"]
    real = database._commit
    counted: list[bool] = []
    wrote_answer = False

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal wrote_answer
        wrote_answer |= sql.startswith('INSERT INTO "mobile_api_syncmutation"')
        return execute(sql, params, many, context)

    def commit() -> None:
        nonlocal wrote_answer
        counted.append(wrote_answer)
        wrote_answer = False
        real()

    database._commit = commit
    try:
        with database.execute_wrapper(watch):
            yield counted
    finally:
        del database._commit


def test_a_refused_mutation_in_the_middle_of_a_batch_rolls_back_alone_and_each_is_answered(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit(**now_on())
    first, last = notes(cast, 2)
    assignment = {"visit_id": str(visit.id), "member_id": str(cast.carer_membership.id)}
    stale = mutation("visit.assign", assignment, base=7)
    far = mutation(
        "note.create",
        {"id": str(uuid.uuid4()), "client_id": str(cast.other_team_client.id), "body": "X"},
    )
    assign = mutation("visit.assign", assignment, base=1)
    results = push(nurse, cast.team.id, first, stale, far, assign, last)
    assert [r["status"] for r in results] == [
        "applied",
        "conflict",
        "rejected",
        "applied",
        "applied",
    ]
    assert results[1]["current"]["version"] == 1
    assert results[2]["problem"]["status"] == 404
    once_each([first, last])
    visit.refresh_from_db()
    assert visit.version == 2
    stored = dict(SyncMutation.objects.values_list("mutation_id", "status"))
    assert len(stored) == 5
    assert stored[uuid.UUID(stale["mutation_id"])] == "conflict"
    # Sent again, each gets its stored answer and nothing is written twice.
    again = push(nurse, cast.team.id, first, stale, far, assign, last)
    assert [r["status"] for r in again] == [r["status"] for r in results]
    assert all(r["repeated"] for r in again)
    once_each([first, last])
    # A member of another team may not push here at all.
    is_problem(
        api_as(cast.other_nurse).post(f"/sync/{cast.team.id}/mutations", {"mutations": [first]}),
        404,
    )


@pytest.mark.django_db(transaction=True)
def test_a_failing_commit_answers_retry_for_the_whole_chunk_and_a_resend_applies_each_once(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applier, "CHUNK", 3)
    batch = notes(cast, 5)
    # Any: _commit, the private method patched here, is not in django-stubs.
    database: Any = connections["default"]
    real = database._commit
    failed: list[int] = []

    def commit() -> None:
        # The first chunk's commit fails; Django rolls its transaction back.
        if SyncMutation.objects.exists() and not failed:
            failed.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        real()

    monkeypatch.setattr(database, "_commit", commit)
    first = push(nurse, cast.team.id, *batch)
    monkeypatch.setattr(database, "_commit", real)
    assert failed == [1]
    assert [r["status"] for r in first] == ["retry"] * 3 + ["applied"] * 2
    assert {r["problem"]["status"] for r in first[:3]} == {503}
    assert SyncMutation.objects.count() == 2
    assert Note.objects.count() == 2

    again = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in again] == ["applied"] * 5
    assert [r["repeated"] for r in again] == [False] * 3 + [True] * 2
    once_each(batch)


def test_a_chunk_whose_transaction_cannot_begin_is_retry_and_the_next_chunk_still_applies(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applier, "CHUNK", 3)
    begun: list[int] = []

    class NoConnectionFirst:
        """django.db.transaction as push.py sees it: its first transaction cannot begin."""

        @staticmethod
        def atomic(*args: Any, **kwargs: Any) -> Any:
            if not begun:  # the first chunk's own transaction
                begun.append(1)
                raise OperationalError("couldn't get a connection after 10.00 sec")
            return transaction.atomic(*args, **kwargs)

    monkeypatch.setattr(applier, "transaction", NoConnectionFirst)
    batch = notes(cast, 5)
    first = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in first] == ["retry"] * 3 + ["applied"] * 2
    assert SyncMutation.objects.count() == 2
    assert [r["status"] for r in push(nurse, cast.team.id, *batch)] == ["applied"] * 5
    once_each(batch)


@pytest.mark.django_db(transaction=True)
def test_a_batch_commits_once_per_chunk_not_once_per_mutation(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applier, "CHUNK", 10)
    with commits_counted() as counted:
        push(nurse, cast.team.id, *notes(cast, 25))
    assert counted.count(True) == 3  # 10 + 10 + 5
    assert len(counted) <= 3 + 2  # and at most what any request commits besides
    with commits_counted() as counted:
        results = push(nurse, cast.team.id, *notes(cast, 10), mutation("teleport", {}))
    assert [r["status"] for r in results] == ["applied"] * 10 + ["rejected"]
    assert counted.count(True) == 2  # a refusal costs no transaction of its own
    assert Note.objects.count() == 35


@pytest.mark.django_db(transaction=True)
def test_a_chunk_whose_time_is_up_commits_early_so_other_writers_wait_less(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applier, "CHUNK_SECONDS", 0.0)  # every mutation takes longer than this
    batch = notes(cast, 4)
    with commits_counted() as counted:
        results = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in results] == ["applied"] * 4
    assert counted.count(True) == 4
    once_each(batch)


@pytest.mark.django_db(transaction=True)
def test_a_batch_tells_the_team_once_per_chunk_with_its_last_change(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        changes, "event_send", lambda *, group, message: sent.append((group, message))
    )
    push(nurse, cast.team.id, *notes(cast, 12))
    head = Team.objects.get(pk=cast.team.pk).last_change_seq
    assert [(group, message["seq"]) for group, message in sent] == [(f"team-{cast.team.id}", head)]
    assert Change.objects.filter(team=cast.team, entity="note").count() == 12

    sent.clear()
    monkeypatch.setattr(applier, "CHUNK", 5)
    push(nurse, cast.team.id, *notes(cast, 12))
    seqs = [message["seq"] for _, message in sent]
    assert len(seqs) == 3
    assert seqs == sorted(seqs)
    assert seqs[-1] == Team.objects.get(pk=cast.team.pk).last_change_seq == head + 12
    # The feed behind the events has no gap: a socket that hears only these fills the rest.
    feed = list(Change.objects.filter(team=cast.team).order_by("seq").values_list("seq", flat=True))
    assert feed == list(range(feed[0], feed[0] + len(feed)))


def test_a_database_error_that_spoils_the_chunk_is_retry_and_the_mutations_before_it_still_apply(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = notes(cast, 4)
    stored = applier._stored
    unlucky = uuid.UUID(batch[2]["mutation_id"])

    def failing(user: User, mutation_id: uuid.UUID) -> dict[str, Any] | None:
        if mutation_id == unlucky:
            # A real error of the database: on PostgreSQL it aborts the whole transaction.
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table")
        return stored(user, mutation_id)

    monkeypatch.setattr(applier, "_stored", failing)
    first = push(nurse, cast.team.id, *batch)
    assert [r["status"] for r in first] == ["applied", "applied", "retry", "applied"]
    assert not any(r.get("repeated") for r in first)
    assert SyncMutation.objects.count() == 3

    monkeypatch.setattr(applier, "_stored", stored)
    again = push(nurse, cast.team.id, *batch)
    assert [r["repeated"] for r in again] == [True, True, False, True]
    once_each(batch)
