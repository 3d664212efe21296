"""The change feed: gap-free per-team sequence, one Change per write, events after commit."""

import asyncio
import threading
from typing import Any

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.layers import get_channel_layer
from django.db import connections, transaction

from careteams import changes
from careteams.incarnation import cursor_at
from careteams.models import Change, Team
from clients.models import Client
from tests.conftest import Cast


async def listen(team: Team) -> str:
    layer = get_channel_layer()
    channel: str = await layer.new_channel()
    await layer.group_add(changes.team_group(team.id), channel)
    return channel


async def next_event(channel: str, timeout: float = 0.5) -> dict[str, Any] | None:
    try:
        event: dict[str, Any] = await asyncio.wait_for(
            get_channel_layer().receive(channel), timeout
        )
    except TimeoutError:
        return None
    return event


def write(cast: Cast, name: str) -> Client:
    with transaction.atomic():
        client = Client.objects.create(team=cast.team, given_name=name, family_name="Test")
        changes.record(
            team=cast.team, entity="client", obj=client, actor=cast.nurse, client_id=client.id
        )
    return client


@pytest.mark.django_db
def test_each_write_takes_the_next_number_of_its_teams_feed(cast: Cast) -> None:
    for name in ("Ann", "Bea", "Cai"):
        write(cast, name)
    seqs = list(Change.objects.filter(team=cast.team).values_list("seq", flat=True))
    assert seqs == [1, 2, 3]
    cast.team.refresh_from_db()
    assert cast.team.last_change_seq == 3
    assert not Change.objects.filter(team=cast.other_team).exists()


@pytest.mark.django_db
def test_a_change_carries_the_records_state_and_who_made_it(cast: Cast) -> None:
    client = write(cast, "Ann")
    change = Change.objects.get(team=cast.team)
    assert change.entity == "client"
    assert change.entity_id == client.id
    assert change.client_id == client.id
    assert change.actor == cast.nurse
    assert change.version == 1
    assert change.data["given_name"] == "Ann"
    assert change.data["team_id"] == str(cast.team.id)


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(cast: Cast) -> None:
    with pytest.raises(RuntimeError, match="inside"):
        changes.record(team=cast.team, entity="client", obj=cast.client, actor=None)


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_change_and_no_gap(cast: Cast) -> None:
    def write_and_fail() -> None:
        with transaction.atomic():
            write(cast, "Lost")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        write_and_fail()
    write(cast, "Kept")
    assert list(Change.objects.values_list("seq", "data__given_name")) == [(1, "Kept")]


@pytest.mark.django_db(transaction=True)
async def test_the_event_is_sent_to_the_team_after_commit(cast: Cast) -> None:
    channel = await listen(cast.team)
    client = await sync_to_async(write)(cast, "Ann")
    event = await next_event(channel)
    assert event is not None
    # The cursor after it, made from the change as written, is the one read back from the feed.
    assert event.pop("cursor") == await sync_to_async(cursor_at)(team_id=cast.team.id, seq=1)
    assert event == {
        "type": "change",
        "team": str(cast.team.id),
        "seq": 1,
        "entity": "client",
        "id": str(client.id),
        "op": "upsert",
        "client": str(client.id),
    }


@pytest.mark.django_db(transaction=True)
async def test_nothing_is_sent_while_the_transaction_is_open(cast: Cast) -> None:
    channel = await listen(cast.team)
    written = threading.Event()
    commit = threading.Event()

    def write_and_wait() -> None:
        with transaction.atomic():
            client = Client.objects.create(team=cast.team, given_name="Ann", family_name="Test")
            changes.record(team=cast.team, entity="client", obj=client, actor=None)
            written.set()
            commit.wait(5)

    writing = asyncio.ensure_future(sync_to_async(write_and_wait)())
    await asyncio.to_thread(written.wait, 5)
    assert await next_event(channel, timeout=0.3) is None
    commit.set()
    await writing
    assert await next_event(channel) is not None


@pytest.mark.django_db(transaction=True)
async def test_nothing_is_sent_when_the_transaction_rolls_back(cast: Cast) -> None:
    channel = await listen(cast.team)

    def write_and_fail() -> None:
        with transaction.atomic():
            write(cast, "Lost")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await sync_to_async(write_and_fail)()
    assert await next_event(channel) is None
    assert not await Change.objects.aexists()


@pytest.mark.django_db(transaction=True)
async def test_a_bulk_load_tells_each_team_once_with_its_last_change(cast: Cast) -> None:
    channel = await listen(cast.team)

    def load() -> None:
        with changes.events_coalesced(), transaction.atomic():
            for name in ("Ann", "Bea", "Cai"):
                write(cast, name)

    await sync_to_async(load)()
    event = await next_event(channel)
    assert (event or {}).get("seq") == 3
    assert await next_event(channel, timeout=0.3) is None
    await sync_to_async(write)(cast, "Dee")  # after the load, each change is told again
    assert (await next_event(channel) or {}).get("seq") == 4


@pytest.mark.django_db(transaction=True)
async def test_another_teams_listeners_hear_nothing(cast: Cast) -> None:
    channel = await listen(cast.other_team)
    await sync_to_async(write)(cast, "Ann")
    assert await next_event(channel) is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_a_sequence_without_gaps_or_duplicates(cast: Cast) -> None:
    """On PostgreSQL (CI) the writers really race for the team's row lock; on SQLite they
    queue for the database's write lock."""
    writers, writes_each = 8, 25
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(writes_each):
                write(cast, f"W{n}-{i}")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(Change.objects.filter(team=cast.team).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * writes_each + 1))
    cast.team.refresh_from_db()
    assert cast.team.last_change_seq == writers * writes_each
    # Commit order is sequence order: ids (assigned at insert) rise with seq within the team.
    ids = list(Change.objects.filter(team=cast.team).order_by("seq").values_list("id", flat=True))
    assert ids == sorted(ids)


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_first_to_commit_and_takes_the_next_number(
    cast: Cast,
) -> None:
    """`record` takes the team's head in one UPDATE: the row stays locked until the first
    writer commits, against another `record` and against a push's `team_lock` alike."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (CI runs it); SQLite takes the whole database")
    recorded, release, second_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                write(cast, "First")
                recorded.set()
                release.wait(10)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            write(cast, "Second")
            second_done.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    holder = threading.Thread(target=first)
    holder.start()
    assert recorded.wait(10)
    with transaction.atomic(), pytest.raises(changes.TeamBusy):
        changes.team_lock(team=cast.team, timeout=0.2)
    waiter = threading.Thread(target=second)
    waiter.start()
    assert not second_done.wait(0.5), "the second writer waited for the first's lock"
    release.set()
    holder.join()
    waiter.join()

    assert errors == []
    feed = Change.objects.filter(team=cast.team).order_by("seq")
    assert [(c.seq, c.data["given_name"]) for c in feed] == [(1, "First"), (2, "Second")]
    cast.team.refresh_from_db()
    assert cast.team.last_change_seq == 2
