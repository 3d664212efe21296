"""Every write of handover notes, messages and read state: checked, saved and in the feed.

Handover notes and messages carry an id made by the page or device that wrote them, so a
retried request finds what it already wrote instead of writing it twice.
"""

import datetime as dt
import uuid
from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from careteams import access, changes, limits
from careteams.errors import DomainError, NotFound
from careteams.models import Team, User
from careteams.versioning import change_record, versioned_save
from clients.models import Client
from messaging.models import ChannelRead, ClientMessage, HandoverNote, HandoverRead, TeamMessage

# Marked for the catalogue; translated where raised here (the API raises them as written).
NOT_THE_SAME_CLIENT = gettext_noop("Choose a handover note about the same client to correct.")
RETRY_REFUSED = gettext_noop("This could not be saved: reload the page and write it again.")


def _body(body: str, limit: int) -> str:
    text = body.strip()
    if not text:
        raise DomainError(_("Write something before sending it."), field="body")
    if len(text) > limit:
        raise DomainError(limits.too_long(limit), field="body")
    return text


def _once[M: models.Model](
    model: type[M], pk: uuid.UUID, *, same: Callable[[M], bool], write: Callable[[], M]
) -> M:
    """The record `pk` if a retry already wrote it (someone else's id is refused, never
    returned), else what `write` makes; two retries at once end with the one record."""
    found = model._default_manager.filter(pk=pk).first()
    if found is not None:
        if not same(found):
            raise DomainError(_(RETRY_REFUSED))
        return found
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        found = model._default_manager.filter(pk=pk).first()
        if found is None:
            raise
        if not same(found):
            raise DomainError(_(RETRY_REFUSED)) from None
        return found


def require_channel_reader(*, actor: User, team: Team) -> None:
    """The team channel is the members' and the team's coach's; anyone else gets NotFound."""
    if not access.teams_visible_to(actor).filter(id=team.id).exists():
        raise NotFound()


# Handover notes ------------------------------------------------------------------------------


def handover_write(
    *,
    team: Team,
    author: User,
    body: str,
    handover_id: uuid.UUID,
    client: Client | None = None,
    amends: HandoverNote | None = None,
) -> HandoverNote:
    """A handover note for the next carer(s): about `client`, or for the next shift."""
    access.require_member_of(author, team.id)
    if client is not None and client.team_id != team.id:
        raise DomainError(_("Choose a client of this team."), field="client")
    client_id = client.id if client is not None else None
    if amends is not None and (amends.team_id != team.id or amends.client_id != client_id):
        raise DomainError(_(NOT_THE_SAME_CLIENT), field="amends")
    text = _body(body, limits.HANDOVER_BODY_MAX)

    def write() -> HandoverNote:
        note = HandoverNote.objects.create(
            id=handover_id,
            team=team,
            author=author,
            client=client,
            body=text,
            amends=amends,
            written_at=timezone.now(),
        )
        changes.record(
            team=team,
            entity="handover_note",
            obj=note,
            actor=author,
            client_id=client.id if client else None,
        )
        return note

    return _once(
        HandoverNote,
        handover_id,
        same=lambda found: found.team_id == team.id and found.author_id == author.pk,
        write=write,
    )


def handover_mark_read(*, handover: HandoverNote, actor: User) -> HandoverRead:
    """The actor has read the handover: it leaves their My day and visit cards. Idempotent."""
    access.require_member_of(actor, handover.team_id)
    found = HandoverRead.objects.filter(handover=handover, user=actor).first()
    if found is not None:
        return found

    def write() -> HandoverRead:
        read = HandoverRead.objects.create(
            team_id=handover.team_id, handover=handover, user=actor, read_at=timezone.now()
        )
        changes.record(
            team=handover.team,
            entity="handover_read",
            obj=read,
            actor=actor,
            client_id=handover.client_id,
        )
        return read

    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        return HandoverRead.objects.get(handover=handover, user=actor)


# Messages ------------------------------------------------------------------------------------


def message_post_team(*, team: Team, author: User, body: str, message_id: uuid.UUID) -> TeamMessage:
    """A message in the team channel, by a member or the team's coach."""
    require_channel_reader(actor=author, team=team)
    text = _body(body, limits.MESSAGE_BODY_MAX)

    def write() -> TeamMessage:
        message = TeamMessage.objects.create(
            id=message_id, team=team, author=author, body=text, written_at=timezone.now()
        )
        changes.record(team=team, entity="team_message", obj=message, actor=author)
        return message

    return _once(
        TeamMessage,
        message_id,
        same=lambda found: found.team_id == team.id and found.author_id == author.pk,
        write=write,
    )


def message_post_client(
    *,
    client: Client,
    author: User,
    body: str,
    message_id: uuid.UUID,
    shared_with_family: bool = False,
) -> ClientMessage:
    """A message in a client's channel, by a member of the client's team (never a coach)."""
    access.require_member_of(author, client.team_id)
    text = _body(body, limits.MESSAGE_BODY_MAX)

    def write() -> ClientMessage:
        message = ClientMessage.objects.create(
            id=message_id,
            team_id=client.team_id,
            client=client,
            author=author,
            body=text,
            shared_with_family=shared_with_family,
            written_at=timezone.now(),
        )
        changes.record(
            team=client.team,
            entity="client_message",
            obj=message,
            actor=author,
            client_id=client.id,
        )
        return message

    return _once(
        ClientMessage,
        message_id,
        same=lambda found: found.client_id == client.id and found.author_id == author.pk,
        write=write,
    )


def channel_mark_read(*, team: Team, actor: User, client: Client | None = None) -> ChannelRead:
    """The actor has read the channel up to now (the team's, or `client`'s). Moving it again
    is harmless: a retry marks the same messages read."""
    if client is None:
        require_channel_reader(actor=actor, team=team)
    else:
        access.require_member_of(actor, client.team_id)
        if client.team_id != team.id:
            raise NotFound()
    now = timezone.now()
    with transaction.atomic():
        read = (
            ChannelRead.objects.select_for_update()
            .filter(team=team, client=client, user=actor)
            .first()
        )
        if read is None:
            try:
                with transaction.atomic():
                    read = ChannelRead.objects.create(
                        team=team, client=client, user=actor, read_upto=now
                    )
            except IntegrityError:
                read = ChannelRead.objects.select_for_update().get(
                    team=team, client=client, user=actor
                )
                _advance(read, now, actor)
            else:
                change_record(entity="channel_read", obj=read, actor=actor)
        else:
            _advance(read, now, actor)
    return read


def _advance(read: ChannelRead, now: dt.datetime, actor: User) -> None:
    read.read_upto = max(read.read_upto, now)
    versioned_save(read, entity="channel_read", actor=actor, update_fields=["read_upto"])
