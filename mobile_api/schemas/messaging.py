"""Channels, messages and handover notes (docs/messaging.md)."""

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Field, Schema

from careteams import limits
from mobile_api.schemas.types import AtMost, Text

MessageBody = Annotated[Text, Field(min_length=1), AtMost(limits.MESSAGE_BODY_MAX)]
HandoverBody = Annotated[Text, Field(min_length=1), AtMost(limits.HANDOVER_BODY_MAX)]


class ChannelOut(Schema):
    kind: Literal["team", "client"]
    team_id: uuid.UUID
    client_id: uuid.UUID | None = Field(description="The client's channel; null for the team's.")
    name: str
    unread: int = Field(description="Messages others wrote since you last marked it read.")
    last_at: dt.datetime | None


class MessageOut(Schema):
    id: uuid.UUID
    team_id: uuid.UUID
    client_id: uuid.UUID | None
    author_id: uuid.UUID
    author_name: str
    body: str
    shared_with_family: bool
    written_at: dt.datetime
    version: int


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for older messages; null at the end."
    )


class TeamMessageIn(Schema):
    id: uuid.UUID = Field(description="Made by the device: a retry with the same id adds nothing.")
    body: MessageBody


class ClientMessageIn(TeamMessageIn):
    shared_with_family: bool = Field(
        False, description="The client and their family may read it in their view."
    )


class ChannelReadOut(Schema):
    team_id: uuid.UUID
    client_id: uuid.UUID | None
    read_upto: dt.datetime
    version: int


class HandoverOut(Schema):
    id: uuid.UUID
    team_id: uuid.UUID
    client_id: uuid.UUID | None = Field(description="Null: a handover for the next shift.")
    author_id: uuid.UUID
    author_name: str
    body: str
    amends_id: uuid.UUID | None
    written_at: dt.datetime
    version: int


class HandoverIn(Schema):
    id: uuid.UUID = Field(description="Made by the device: a retry with the same id adds nothing.")
    body: HandoverBody
    client_id: uuid.UUID | None = Field(None, description="Null: for the next shift.")
    amends_id: uuid.UUID | None = Field(None, description="The handover note this corrects.")


class HandoverReadOut(Schema):
    handover_id: uuid.UUID
    read_at: dt.datetime


class FamilyMessageOut(Schema):
    """A message the team shared with the client and their family: the writer's first name
    only, as on the family's page."""

    id: uuid.UUID
    client_id: uuid.UUID
    author_first_name: str
    body: str
    written_at: dt.datetime


class FamilyMessagePage(Schema):
    items: list[FamilyMessageOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for older messages; null at the end."
    )
