"""Messages and handovers: a few days of the team channel (the coach among them), a client's
channel conversation with one message shared with the family, and handover notes waiting for
the next carers, written through the messaging services at their moments."""

import datetime as dt
import uuid

from clients.models import Client
from demo.clients import Caseload
from demo.context import Context
from demo.people import People, TeamWorld
from demo.week import Week
from messaging.services import handover_write, message_post_client, message_post_team

TEAM_CHANNEL = (
    (50, "member", "Who can cover the Thursday late? I have the dentist at four."),
    (49, "member", "I can: swap me your Saturday early?"),
    (26, "coach", "Good to see the new rota working. Shall we look at the figures on Monday?"),
    (25, "member", "Yes please. Agenda item: travel time between the two villages."),
    (3, "member", "The team car is back from the garage, keys in the usual place."),
)
CLIENT_CHANNEL = (
    (30, False, "Pressure area on the sacrum looks red this morning. Can the nurse look?"),
    (28, False, "Seen it: grade 1, repositioning every two hours and a new cushion ordered."),
    (5, True, "The new cushion has arrived and is in use; skin looking better today."),
)
SHIFT_HANDOVER = "Late shift: the pharmacy delivery for tomorrow is delayed until 11:00."


def _ago(ctx: Context, hours: int) -> dt.datetime:
    return ctx.now - dt.timedelta(hours=hours, minutes=ctx.rng.randint(0, 50))


def _next_visit(ctx: Context, week: Week) -> tuple[Client, list[object]] | None:
    upcoming = sorted(
        (v for v in week.visits if v.planned_start > ctx.now and week.carers.get(v.pk)),
        key=lambda v: v.planned_start,
    )
    if not upcoming:
        return None
    return upcoming[0].client, list(week.carers[upcoming[0].pk])


def build_messages(
    ctx: Context,
    people: People,
    world: TeamWorld,
    caseload: Caseload,
    week: Week,
    family_client: Client | None,
) -> None:
    members = world.members
    for n, (hours, who, body) in enumerate(TEAM_CHANNEL):
        author = people.coach if who == "coach" else members[n % len(members)].user
        with ctx.clock.at(_ago(ctx, hours)):
            message_post_team(team=world.team, author=author, body=body, message_id=uuid.uuid4())
    client = family_client or caseload.clients[0]
    nurses = world.nurses or members
    for n, (hours, shared, body) in enumerate(CLIENT_CHANNEL):
        author = (members[-1] if n % 2 == 0 else nurses[0]).user
        with ctx.clock.at(_ago(ctx, hours)):
            message_post_client(
                client=client,
                author=author,
                body=body,
                message_id=uuid.uuid4(),
                shared_with_family=shared,
            )
    with ctx.clock.at(_ago(ctx, 2)):
        handover_write(
            team=world.team,
            author=nurses[0].user,
            body=SHIFT_HANDOVER,
            handover_id=uuid.uuid4(),
        )
    found = _next_visit(ctx, week)
    if found is None:
        return
    visited, carers = found
    writer = next((m for m in members if m not in carers), members[0])
    with ctx.clock.at(_ago(ctx, 1)):
        handover_write(
            team=world.team,
            author=writer.user,
            body=f"{visited.given_name} was unsettled last night: check the fluid chart first.",
            handover_id=uuid.uuid4(),
            client=visited,
        )
