"""Handover notes, messages and their read state in the entity registry (careteams.registry).

None has a registry write hook: they are written by their own pages and API routes only, so the
admin shows them read-only. The team channel is the one kind a coach follows; a client's
messages reach family only when the writer shared them.
"""

from careteams import registry
from messaging.models import ChannelRead, ClientMessage, HandoverNote, HandoverRead, TeamMessage

for entity in (
    registry.Entity(
        name="handover_note",
        plan_input=False,
        model=HandoverNote,
        team_of=lambda obj: obj.team,
        client_of=lambda obj: obj.client_id,
    ),
    registry.Entity(
        name="handover_read",
        plan_input=False,
        model=HandoverRead,
        team_of=lambda obj: obj.handover.team,
        client_of=lambda obj: obj.handover.client_id,
    ),
    registry.Entity(
        name="team_message",
        plan_input=False,
        model=TeamMessage,
        team_of=lambda obj: obj.team,
        coach=registry.ALL_FIELDS,
    ),
    registry.Entity(
        name="client_message",
        plan_input=False,
        model=ClientMessage,
        team_of=lambda obj: obj.team,
        client_of=lambda obj: obj.client_id,
        family=registry.FamilyView(
            fields=("id", "client_id", "body", "written_at", "version"),
            only_when={"shared_with_family": True},
        ),
    ),
    registry.Entity(
        name="channel_read",
        plan_input=False,
        model=ChannelRead,
        team_of=lambda obj: obj.team,
        client_of=lambda obj: obj.client_id,
    ),
):
    registry.register(entity)
