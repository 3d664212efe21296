"""The feed's one bulk path (`changes.record_many`): the invariants of `record`, many at once."""

import datetime as dt

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.db import transaction
from django.utils import timezone

from careteams import changes, registry
from careteams.incarnation import cursor_at
from careteams.models import Change
from clients.models import Client
from tests.careteams.test_changes import listen, next_event, write
from tests.conftest import Cast


def new_client(cast: Cast, name: str, **fields: str) -> Client:
    return Client.objects.create(team=cast.team, given_name=name, family_name="Test", **fields)


@pytest.mark.django_db
def test_entries_take_the_next_seqs_in_the_order_of_their_moments(cast: Cast) -> None:
    write(cast, "First")  # seq 1, through `record`
    start = timezone.now()
    with transaction.atomic():
        late, early = new_client(cast, "Late"), new_client(cast, "Early")
        written = changes.record_many(
            team=cast.team,
            entries=[
                changes.pending(
                    entity="client", obj=late, actor=cast.nurse, at=start + dt.timedelta(hours=2)
                ),
                changes.pending(
                    entity="client", obj=early, actor=None, at=start + dt.timedelta(hours=1)
                ),
            ],
        )
    assert written == 2
    rows = Change.objects.filter(team=cast.team, seq__gt=1).order_by("seq")
    assert [(c.seq, c.entity_id, c.actor_id) for c in rows] == [
        (2, early.id, None),
        (3, late.id, cast.nurse.id),
    ]
    assert [c.created_at for c in rows] == [start + dt.timedelta(hours=h) for h in (1, 2)]
    assert cast.team.last_change_seq == 3
    cast.team.refresh_from_db()
    assert cast.team.last_change_seq == 3
    write(cast, "After")  # `record` goes on from the bulk path's last seq
    assert Change.objects.filter(team=cast.team).latest("seq").seq == 4


@pytest.mark.django_db
def test_an_entry_is_the_records_state_when_it_was_made_without_server_only_fields(
    cast: Cast,
) -> None:
    with transaction.atomic():
        client = new_client(cast, "Ann", key_safe_code="4711")
        made = changes.pending(entity="client", obj=client, actor=None, at=timezone.now())
        expected = registry.get("client").serialise(client)
        client.given_name, client.version = "Renamed later", client.version + 1
        client.save()
        changes.record_many(team=cast.team, entries=[made])
    change = Change.objects.get(team=cast.team)
    assert change.data == expected
    assert change.data["given_name"] == "Ann"
    assert "key_safe_code" not in change.data
    assert change.version == 1


@pytest.mark.django_db
def test_an_object_of_another_model_than_its_entity_is_refused(cast: Cast) -> None:
    with pytest.raises(registry.UnknownEntity):
        changes.pending(entity="client", obj=cast.team, actor=None, at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_bulk_append_outside_a_transaction_is_refused(cast: Cast) -> None:
    entry = changes.pending(entity="client", obj=cast.client, actor=None, at=timezone.now())
    with pytest.raises(RuntimeError, match="inside"):
        changes.record_many(team=cast.team, entries=[entry])
    assert not Change.objects.exists()


@pytest.mark.django_db(transaction=True)
async def test_the_team_is_told_once_after_commit_of_its_last_change(cast: Cast) -> None:
    channel = await listen(cast.team)

    def load() -> Client:
        with transaction.atomic():
            clients = [new_client(cast, name) for name in ("Ann", "Bea", "Cai")]
            now = timezone.now()
            changes.record_many(
                team=cast.team,
                entries=[
                    changes.pending(
                        entity="client",
                        obj=client,
                        actor=None,
                        at=now + dt.timedelta(minutes=n),
                        client_id=client.id,
                    )
                    for n, client in enumerate(clients)
                ],
            )
            return clients[-1]

    last = await sync_to_async(load)()
    event = await next_event(channel)
    assert event is not None
    assert event.pop("cursor") == await sync_to_async(cursor_at)(team_id=cast.team.id, seq=3)
    assert event == {
        "type": "change",
        "team": str(cast.team.id),
        "seq": 3,
        "entity": "client",
        "id": str(last.id),
        "op": "upsert",
        "client": str(last.id),
    }
    assert await next_event(channel, timeout=0.3) is None
