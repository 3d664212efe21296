"""Messages and handover notes through the services: who may write where, retries, the feed,
and the append-only wall (the ORM and the database both refuse a change)."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from careteams.errors import DomainError, NotFound
from careteams.models import Change
from clients.models import AppendOnlyError
from messaging import services
from messaging.models import ChannelRead, ClientMessage, HandoverNote, HandoverRead, TeamMessage
from tests.conftest import Cast
from tests.messaging.conftest import client_message, handover, team_message

pytestmark = pytest.mark.django_db


def test_a_message_about_a_client_is_in_the_feed_with_its_client(cast: Cast) -> None:
    message = client_message(cast, shared=True)
    change = Change.objects.get(entity="client_message", entity_id=message.id)
    assert change.client_id == cast.client.id
    assert change.data["body"] == message.body
    assert change.data["shared_with_family"] is True


def test_a_retried_post_with_the_same_id_writes_one_message(cast: Cast) -> None:
    message_id = uuid.uuid4()
    first = services.message_post_team(
        team=cast.team, author=cast.nurse, body="Who has the car?", message_id=message_id
    )
    again = services.message_post_team(
        team=cast.team, author=cast.nurse, body="Who has the car?", message_id=message_id
    )
    assert again.pk == first.pk
    assert TeamMessage.objects.filter(pk=message_id).count() == 1
    assert Change.objects.filter(entity="team_message", entity_id=message_id).count() == 1


def test_another_persons_message_id_is_refused_not_returned(cast: Cast) -> None:
    message = team_message(cast)
    with pytest.raises(DomainError):
        services.message_post_team(
            team=cast.team, author=cast.carer, body="Mine now", message_id=message.id
        )


def test_the_coach_writes_in_the_team_channel(cast: Cast) -> None:
    message = team_message(cast, "How did the new rota go?", author=cast.coach)
    assert message.author == cast.coach


def test_the_coach_cannot_write_in_a_clients_channel(cast: Cast) -> None:
    with pytest.raises(NotFound):
        client_message(cast, author=cast.coach)
    assert not ClientMessage.objects.exists()


def test_another_teams_nurse_cannot_write_in_either_channel(cast: Cast) -> None:
    with pytest.raises(NotFound):
        team_message(cast, author=cast.other_nurse)
    with pytest.raises(NotFound):
        client_message(cast, author=cast.other_nurse)


def test_family_cannot_write_in_the_clients_channel(cast: Cast) -> None:
    with pytest.raises(NotFound):
        client_message(cast, author=cast.family)


def test_an_empty_message_is_refused_naming_the_body(cast: Cast) -> None:
    with pytest.raises(DomainError) as refused:
        team_message(cast, "   ")
    assert refused.value.field == "body"


def test_messages_and_handovers_refuse_changes_through_the_orm(cast: Cast) -> None:
    message = client_message(cast)
    note = handover(cast, client=cast.client)
    for record in (message, note):
        record.body = "Rewritten"
        with pytest.raises(AppendOnlyError):
            record.save()
        with pytest.raises(AppendOnlyError):
            record.delete()


@pytest.mark.parametrize(
    "table", ["messaging_teammessage", "messaging_clientmessage", "messaging_handovernote"]
)
def test_the_database_refuses_to_update_or_delete_messages_and_handovers(
    cast: Cast, table: str
) -> None:
    team_message(cast)
    client_message(cast)
    handover(cast, client=cast.client)
    for sql in (f"UPDATE {table} SET body = 'x'", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert TeamMessage.objects.get().body != "x"


def test_a_handover_correction_must_be_about_the_same_client(cast: Cast) -> None:
    first = handover(cast, client=cast.client)
    with pytest.raises(DomainError) as refused:
        services.handover_write(
            team=cast.team,
            author=cast.nurse,
            body="Correction",
            handover_id=uuid.uuid4(),
            client=cast.other_client_same_team,
            amends=first,
        )
    assert refused.value.field == "amends"


def test_a_handover_about_another_teams_client_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError):
        handover(cast, client=cast.other_team_client)
    assert not HandoverNote.objects.exists()


def test_marking_a_handover_read_twice_keeps_one_read(cast: Cast) -> None:
    note = handover(cast)
    services.handover_mark_read(handover=note, actor=cast.carer)
    services.handover_mark_read(handover=note, actor=cast.carer)
    assert HandoverRead.objects.filter(handover=note, user=cast.carer).count() == 1


def test_another_team_cannot_mark_a_handover_read(cast: Cast) -> None:
    note = handover(cast)
    with pytest.raises(NotFound):
        services.handover_mark_read(handover=note, actor=cast.other_nurse)


def test_marking_a_channel_read_moves_one_mark_forward(cast: Cast) -> None:
    first = services.channel_mark_read(team=cast.team, actor=cast.carer)
    second = services.channel_mark_read(team=cast.team, actor=cast.carer)
    assert first.pk == second.pk
    assert second.version == 2
    assert ChannelRead.objects.filter(user=cast.carer).count() == 1
