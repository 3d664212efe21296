"""What a former member's tablet may still send (docs/sync.md, "A leaver's tablet").

A carer who wrote a note offline and was then marked as left must not lose it: the note is
written into the record as a late entry, under its author and the time it was written, when
it was written while they were a member. Nothing else of theirs is applied (a check-in or a
rating arriving now would change what the team planned on since): anything else recorded while
they were a member is held, as sent, for the team to review (tablet.services.held_item_hold),
answered `held`; what was recorded after they left is refused (`former_member`). Either answer
is final and stored, so that the tablet can tell its carer and empty its queue.
"""

import uuid
from collections.abc import Callable

from careteams import registry
from careteams.errors import NotFound
from clients.models import CareProblem, Client, Note
from clients.services import notes as note_services
from mobile_api.mutations import AmendData, Applied, Context, NoteData, NotYet
from scheduling.models import Visit
from tablet.services import held_item_hold


def _late_note(ctx: Context, data: NoteData, amends_id: uuid.UUID | None = None) -> Applied:
    former = ctx.former
    if former is None:
        raise NotFound()
    # No read scope of the author's any more: the team's own records, found by the ids the
    # tablet kept; nothing of them is sent back but the note's id.
    client = Client.objects.filter(team=ctx.team, pk=data.client_id).first()
    problems = list(CareProblem.objects.filter(client=client, id__in=data.problem_ids))
    if client is None or len(problems) != len(set(data.problem_ids)):
        # The record cannot take it as it is (its author can no longer be asked to fix it): held
        # for the team, as sent, rather than lost.
        return held(ctx)
    amends = None
    if amends_id is not None:
        amends = Note.objects.filter(client=client, pk=amends_id).first()
        if amends is None:
            raise NotYet(
                "The note this amends has not arrived yet: send this again after it.",
                field="data.amends_id",
            )
    visit = None
    if data.visit_id is not None:
        visit = Visit.objects.filter(team=ctx.team, client=client, pk=data.visit_id).first()
    note = note_services.note_write_late(
        membership=former,
        client=client,
        body=data.body,
        note_id=data.id,
        written_at=ctx.mutation.recorded_at,
        shareable=data.shareable,
        problems=problems,
        visit=visit,
        amends=amends,
    )
    return "note", note.id, note.version


def note_create_late(ctx: Context) -> Applied:
    return _late_note(ctx, NoteData.model_validate(ctx.mutation.data))


def note_amend_late(ctx: Context) -> Applied:
    data = AmendData.model_validate(ctx.mutation.data)
    return _late_note(ctx, data, data.amends_id)


def held(ctx: Context) -> Applied:
    former = ctx.former
    if former is None:
        raise NotFound()
    item = held_item_hold(
        membership=former,
        mutation_id=ctx.mutation.mutation_id,
        kind=ctx.mutation.kind,
        payload=ctx.mutation.data,
        recorded_at=ctx.mutation.recorded_at,
    )
    return "held_item", item.id, item.version


LATE_NOTES = {"note.create": note_create_late, "note.amend": note_amend_late}


def late_handler(kind: str) -> Callable[[Context], Applied] | None:
    """What a former member's mutation does: a note is written late, any other declared kind
    (careteams.registry) held; an unknown kind is refused as from anyone."""
    if registry.mutation_writer(kind) is None:
        return None
    return LATE_NOTES.get(kind, held)
