"""Notes: older ones from the nurses, this week's from the carers at the visits, some shared
with the family, one correction by amendment and one late entry synced hours after writing."""

import datetime as dt
import uuid
from collections.abc import Sequence

from careteams.models import User
from clients.models import CareProblem, Client, ClientStatus, Note
from clients.services.notes import note_write
from demo.careplans import Template
from demo.clients import Caseload
from demo.context import Context
from demo.people import TeamWorld
from demo.week import Week
from scheduling.models import Visit, VisitStatus

WELSH_NOTES = (
    "Wedi cael brecwast a phaned. Hwyliau da heddiw.",
    "Tabledi wedi eu cymryd. Dim pendro.",
    "Wedi newid y dresin; y clwyf yn edrych yn lanach.",
)
# The family's mother: a run of notes so the family's view has a story to tell.
FAMILY_STORY = (
    (9, True, "Settled well after her grandson's visit. Ate all her lunch."),
    (6, False, "Daughter worried about her mother leaving the gas on; safety check booked."),
    (4, True, "Day centre went well: she joined in the singing."),
    (1, True, "Dressing changed on the right heel. Wound 2 x 1.5 cm and looking cleaner."),
)
AMENDMENT = (
    "Correction to my note of yesterday: the dressing was on the LEFT heel, not the right. "
    "Measurements as recorded."
)
LATE_ENTRY = (
    "Late entry, written at the visit without signal: driveway flooded after the rain, "
    "parked on the lane. Client well, all tasks done; son is visiting at the weekend."
)


def _insert(
    ctx: Context,
    client: Client,
    author: User,
    body: str,
    recorded_at: dt.datetime,
    *,
    received_at: dt.datetime | None = None,
    visit: Visit | None = None,
    shareable: bool = False,
    amends: Note | None = None,
    problems: Sequence[CareProblem] = (),
) -> Note:
    # A note written with signal reaches the server within seconds; the late entry hours later.
    received = received_at or min(
        recorded_at + dt.timedelta(seconds=ctx.rng.randint(2, 40)), ctx.now
    )
    with ctx.clock.at(received):
        note = note_write(
            client=client,
            author=author,
            body=body,
            note_id=uuid.UUID(int=ctx.rng.getrandbits(128), version=4),
            written_at=recorded_at,
            shareable=shareable,
            problems=problems,
            visit=visit,
            amends=amends,
        )
    return note


def _body(ctx: Context, world: TeamWorld, template: Template) -> str:
    if world.spec.key == "teifi" and ctx.rng.random() < 0.25:
        return ctx.rng.choice(WELSH_NOTES)
    return ctx.rng.choice(template.notes)


def _daytime(ctx: Context, world: TeamWorld, days_ago: int) -> dt.datetime:
    day = ctx.now.astimezone(world.team.zone).date() - dt.timedelta(days=days_ago)
    moment = dt.time(ctx.rng.randint(8, 19), ctx.rng.choice((5, 20, 35, 50)))
    return min(dt.datetime.combine(day, moment, tzinfo=world.team.zone), ctx.now)


def _next_morning(ctx: Context, world: TeamWorld, moment: dt.datetime) -> dt.datetime:
    day = moment.astimezone(world.team.zone).date() + dt.timedelta(days=1)
    return min(dt.datetime.combine(day, dt.time(8, 40), tzinfo=world.team.zone), ctx.now)


def _older_notes(ctx: Context, world: TeamWorld, caseload: Caseload, skip: Client | None) -> None:
    for client in caseload.clients:
        if (skip is not None and client.pk == skip.pk) or client.status == ClientStatus.DISCHARGED:
            continue
        problem, template = ctx.rng.choice(caseload.plans[client.id])
        assert client.primary_nurse is not None
        _insert(
            ctx,
            client,
            client.primary_nurse.user,
            _body(ctx, world, template),
            _daytime(ctx, world, ctx.rng.randint(7, 20)),
            shareable=ctx.rng.random() < 0.35,
            problems=[problem],
        )


def _visit_notes(ctx: Context, world: TeamWorld, caseload: Caseload, week: Week) -> None:
    done = [v for v in week.visits if v.status == VisitStatus.DONE and v.checked_out_at]
    for visit in ctx.rng.sample(done, min(len(done), 14)):
        assert visit.checked_out_at is not None
        problem, template = ctx.rng.choice(caseload.plans[visit.client_id])
        client = next(c for c in caseload.clients if c.pk == visit.client_id)
        _insert(
            ctx,
            client,
            week.carers[visit.pk][0].user,
            _body(ctx, world, template),
            visit.checked_out_at - dt.timedelta(minutes=ctx.rng.randint(1, 4)),
            visit=visit,
            shareable=ctx.rng.random() < 0.3,
            problems=[problem],
        )


def _family_story(ctx: Context, world: TeamWorld, caseload: Caseload, client: Client) -> None:
    assert client.primary_nurse is not None
    assert client.second_nurse is not None
    authors = [client.primary_nurse.user, client.second_nurse.user]
    plan = caseload.plans[client.id]
    last: Note | None = None
    for days_ago, shared, body in FAMILY_STORY:
        last = _insert(
            ctx,
            client,
            authors[days_ago % 2],
            body,
            _daytime(ctx, world, days_ago),
            shareable=shared,
            problems=[p for p, t in plan if t.key == "pressure_ulcer"] if "heel" in body else [],
        )
    assert last is not None
    _insert(
        ctx,
        client,
        last.author,
        AMENDMENT,
        _next_morning(ctx, world, last.recorded_at),
        shareable=True,
        amends=last,
    )


def _late_entry(ctx: Context, world: TeamWorld, caseload: Caseload, week: Week) -> None:
    earlier = ctx.now - dt.timedelta(hours=4)
    done = [
        v
        for v in week.visits
        if v.status == VisitStatus.DONE and v.checked_out_at and v.checked_out_at <= earlier
    ]
    visit = done[-1] if done else None
    if visit is not None and visit.checked_out_at is not None:
        client = next(c for c in caseload.clients if c.pk == visit.client_id)
        author = week.carers[visit.pk][0].user
        written = visit.checked_out_at - dt.timedelta(minutes=2)
    else:
        client = next(c for c in caseload.clients if c.status == ClientStatus.ACTIVE)
        assert client.primary_nurse is not None
        author = client.primary_nurse.user
        written = ctx.now - dt.timedelta(hours=6)
    _insert(ctx, client, author, LATE_ENTRY, written, received_at=ctx.now, visit=visit)


def build_notes(
    ctx: Context, world: TeamWorld, caseload: Caseload, week: Week, family_client: Client | None
) -> None:
    _older_notes(ctx, world, caseload, skip=family_client)
    _visit_notes(ctx, world, caseload, week)
    if family_client is not None:
        _family_story(ctx, world, caseload, family_client)
    else:
        # The rural team syncs late most often: the late entry lives there.
        _late_entry(ctx, world, caseload, week)
