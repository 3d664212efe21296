"""A push behind a held team lock answers `retry` within its lock timeout, not a statement
timeout per mutation; a push past its deadline answers the rest `retry` (docs/sync.md, "Push")."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction

from careteams import changes
from careteams.models import Team, User
from clients.models import Note
from mobile_api import push as applier
from tests.conftest import Cast
from tests.mobile_api.conftest import Api
from tests.mobile_api.test_sync import push
from tests.mobile_api.test_sync_faults import notes, once_each

# Long enough that a push waiting for the holder to give up is plainly too slow.
HOLD_AT_MOST = 12.0


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


@contextmanager
def team_row_held(team: Team) -> Iterator[None]:
    """Another connection holds the team row's lock (SELECT … FOR UPDATE in its own
    transaction) until the block ends, as a long write of the same team would."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Team.objects.select_for_update().get(pk=team.pk)
                locked.set()
                release.wait(HOLD_AT_MOST)
        finally:
            connection.close()  # this thread's own connection

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10), "the holder took the team's lock"
    try:
        yield
    finally:
        release.set()
        holder.join()


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]


@pytest.mark.django_db(transaction=True)
def test_a_push_behind_a_held_team_lock_answers_retry_at_once_and_applies_once_after(
    cast: Cast, nurse: Api, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and lock_timeout (CI runs it)")
    settings.PUSH_LOCK_TIMEOUT_SECONDS = 1.0
    batch = notes(cast, 5)
    with team_row_held(cast.team):
        started = time.monotonic()
        results = push(nurse, cast.team.id, *batch)
        took = time.monotonic() - started
    assert took < settings.PUSH_LOCK_TIMEOUT_SECONDS + 2
    assert statuses(results) == ["retry"] * 5
    assert {r["problem"]["status"] for r in results} == {503}
    assert {r["problem"]["title"] for r in results} == {"Try again later"}
    assert not Note.objects.exists()

    # The lock released, the same mutations (same ids) apply, and once only.
    assert statuses(push(nurse, cast.team.id, *batch)) == ["applied"] * 5
    again = push(nurse, cast.team.id, *batch)
    assert statuses(again) == ["applied"] * 5
    assert all(r["repeated"] for r in again)
    once_each(batch)


@pytest.mark.django_db
def test_a_push_past_its_deadline_applies_no_further_chunk_and_answers_the_rest_retry(
    cast: Cast, nurse: Api, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applier, "CHUNK", 2)
    monkeypatch.setattr(applier, "CHUNK_SECONDS", 600.0)
    settings.PUSH_DEADLINE_SECONDS = 10.0
    clock = iter([0.0, 1.0, 11.0, 12.0, 13.0, 14.0])  # the start, then before each chunk
    monkeypatch.setattr(applier, "_now", lambda: next(clock))
    batch = notes(cast, 5)
    results = push(nurse, cast.team.id, *batch)
    assert statuses(results) == ["applied", "applied", "retry", "retry", "retry"]
    assert {r["problem"]["status"] for r in results[2:]} == {503}
    assert Note.objects.count() == 2

    monkeypatch.setattr(applier, "_now", time.monotonic)
    assert statuses(push(nurse, cast.team.id, *batch)) == ["applied"] * 5
    once_each(batch)


@pytest.mark.django_db
def test_a_busy_team_after_a_first_chunk_keeps_it_and_answers_every_later_mutation_retry(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On any database: the team's lock is had for the first chunk, not for the second."""
    monkeypatch.setattr(applier, "CHUNK", 2)
    monkeypatch.setattr(applier, "CHUNK_SECONDS", 600.0)
    real, calls = changes.team_lock, 0

    def busy_second_time(**kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise changes.TeamBusy(str(cast.team.pk))
        real(**kwargs)

    monkeypatch.setattr(changes, "team_lock", busy_second_time)
    batch = notes(cast, 5)
    results = push(nurse, cast.team.id, *batch)
    assert statuses(results) == ["applied", "applied", "retry", "retry", "retry"]
    assert calls == 2  # no chunk tried after the busy one
    assert Note.objects.count() == 2
    assert statuses(push(nurse, cast.team.id, *batch)) == ["applied"] * 5
    once_each(batch)
