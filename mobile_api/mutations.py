"""What each kind of offline mutation does: its data's schema and the service it calls.

Which kinds of mutation exist, and which kind of record each writes, is declared with the
record's kind (`registry.Entity.mutations`); the handlers of the first kinds are here (`KINDS`),
a kind kept on the client record gets generic ones made from its declared fields
(mobile_api/part_mutations.py). Applying a batch (each mutation at most once, each on its own,
and the answers) is mobile_api/push.py.
"""

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from ninja import Field, Schema

from careteams import limits, registry
from careteams.errors import DomainError, NotFound
from careteams.models import Membership, Team, User
from careteams.registry import EntityName
from clients.models import CareProblem, Client, Note
from clients.selectors import records
from clients.services import care_plan as plan_services
from clients.services import notes as note_services
from mobile_api import dose_mutations, part_mutations
from mobile_api.schemas.clients import NoteBody
from mobile_api.schemas.rota import RotaNote, ShiftKindIn
from mobile_api.schemas.sync import MutationIn
from mobile_api.schemas.types import UtcDatetime
from mobile_api.schemas.visits import MissedIn, NotDoneIn, OutcomeIn, Reason, TaskKey, TaskNote
from scheduling import selectors as rota
from scheduling.models import Visit
from scheduling.services import shifts as shift_services
from scheduling.services import visit_records
from scheduling.services import visits as visit_services


class NoteData(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    body: NoteBody
    shareable: bool = False
    problem_ids: list[uuid.UUID] = Field(default_factory=list, max_length=42)
    visit_id: uuid.UUID | None = None


class AmendData(NoteData):
    amends_id: uuid.UUID


class VisitData(Schema):
    visit_id: uuid.UUID


class CheckInData(VisitData):
    # Far outside the window a check-in is rejected with code confirmation_required until it
    # is sent again (a new mutation id) with confirm and a reason.
    confirm: bool = False
    reason: Reason = ""
    extra: bool = False
    # The device's location, only if the carer chose to share it (both or neither).
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None


class WithdrawData(VisitData):
    reason: Reason


class TaskOutcomeData(VisitData):
    id: uuid.UUID
    task_key: TaskKey
    outcome: OutcomeIn
    reason: NotDoneIn = ""
    note: TaskNote = ""


class MissedData(VisitData):
    id: uuid.UUID
    reason: MissedIn
    note: Reason = ""


class AssignData(VisitData):
    member_id: uuid.UUID


class RatingData(Schema):
    problem_id: uuid.UUID
    knowledge: int = Field(ge=1, le=5)
    behaviour: int = Field(ge=1, le=5)
    status: int = Field(ge=1, le=5)
    rated_on: dt.date


class ShiftData(Schema):
    member_id: uuid.UUID
    start: UtcDatetime
    end: UtcDatetime
    kind: ShiftKindIn = "early"
    break_minutes: int = Field(0, ge=0, le=limits.BREAK_MINUTES_MAX)
    note: RotaNote = ""


class ShiftUpdateData(ShiftData):
    shift_id: uuid.UUID


class ShiftDeleteData(Schema):
    shift_id: uuid.UUID


@dataclass(frozen=True)
class Context:
    user: User
    team: Team
    mutation: MutationIn
    # The user's ended membership when they are no longer a member: a leaver's tablet sending
    # what it kept (mobile_api/late.py).
    former: Membership | None = None

    def version(self) -> int:
        if self.mutation.base_version is None:
            raise DomainError(
                gettext("Say which version this change is based on."), field="base_version"
            )
        return self.mutation.base_version

    def member(self, member_id: uuid.UUID, field: str = "data.member_id") -> Membership:
        member = Membership.objects.active().filter(team=self.team, pk=member_id).first()
        if member is None:
            raise DomainError(gettext("Choose a current member of this team."), field=field)
        return member

    def me(self) -> Membership:
        return rota.membership_in(user=self.user, team=self.team)

    def visit(self, visit_id: uuid.UUID) -> Visit:
        return rota.visit_get(user=self.user, team=self.team, visit_id=visit_id)

    def client(self, client_id: uuid.UUID) -> Client:
        client = records.client_get(user=self.user, client_id=client_id)
        if client.team_id != self.team.id:
            raise NotFound()
        return client


Applied = tuple[EntityName, uuid.UUID, int]  # a registered entity, its id, its version


def _note(ctx: Context, data: NoteData, amends_id: uuid.UUID | None = None) -> Applied:
    client = ctx.client(data.client_id)
    problems = list(CareProblem.objects.filter(client=client, id__in=data.problem_ids))
    if len(problems) != len(set(data.problem_ids)):
        raise DomainError(
            gettext("Choose problems of this client's care plan."), field="data.problem_ids"
        )
    amends = None
    if amends_id is not None:
        amends = records.note_get(user=ctx.user, client=client, note_id=amends_id)
    visit = None
    if data.visit_id is not None:
        visit = records.visit_get(user=ctx.user, client=client, visit_id=data.visit_id)
    note = note_services.note_write(
        client=client,
        author=ctx.user,
        body=data.body,
        note_id=data.id,
        written_at=ctx.mutation.recorded_at,
        shareable=data.shareable,
        problems=problems,
        visit=visit,
        amends=amends,
    )
    return "note", note.id, note.version


def note_create(ctx: Context) -> Applied:
    return _note(ctx, NoteData.model_validate(ctx.mutation.data))


def note_amend(ctx: Context) -> Applied:
    data = AmendData.model_validate(ctx.mutation.data)
    if not Note.objects.filter(pk=data.amends_id).exists():
        # Sent before the note it amends (another device's, or a push cut short): it may
        # well arrive, so this is not a refusal for good.
        raise NotYet(
            "The note this amends has not arrived yet: send this again after it.",
            field="data.amends_id",
        )
    return _note(ctx, data, data.amends_id)


def _visit_step(service: Callable[..., Visit]) -> Callable[[Context], Applied]:
    def apply(ctx: Context) -> Applied:
        data = VisitData.model_validate(ctx.mutation.data)
        visit = service(
            visit=ctx.visit(data.visit_id),
            version=ctx.version(),
            member=ctx.me(),
            actor=ctx.user,
            at=ctx.mutation.recorded_at,
        )
        return "visit", visit.id, visit.version

    return apply


def visit_check_in(ctx: Context) -> Applied:
    data = CheckInData.model_validate(ctx.mutation.data)
    visit = visit_services.visit_check_in(
        visit=ctx.visit(data.visit_id),
        version=ctx.version(),
        member=ctx.me(),
        actor=ctx.user,
        at=ctx.mutation.recorded_at,
        confirm=data.confirm,
        reason=data.reason,
        extra=data.extra,
        where=visit_services.DeviceLocation(data.latitude, data.longitude, data.accuracy_m),
    )
    return "visit", visit.id, visit.version


def visit_withdraw(ctx: Context) -> Applied:
    data = WithdrawData.model_validate(ctx.mutation.data)
    visit = visit_services.visit_check_in_withdraw(
        visit=ctx.visit(data.visit_id),
        version=ctx.version(),
        member=ctx.me(),
        actor=ctx.user,
        reason=data.reason,
    )
    return "visit", visit.id, visit.version


def visit_task_outcome(ctx: Context) -> Applied:
    data = TaskOutcomeData.model_validate(ctx.mutation.data)
    outcome = visit_records.visit_task_outcome_record(
        visit=ctx.visit(data.visit_id),
        task_key=data.task_key,
        outcome=data.outcome,
        reason=data.reason,
        note=data.note,
        actor=ctx.user,
        at=ctx.mutation.recorded_at,
        outcome_id=data.id,
    )
    return "visit_task_outcome", outcome.id, outcome.version


def visit_missed(ctx: Context) -> Applied:
    data = MissedData.model_validate(ctx.mutation.data)
    missed = visit_records.visit_missed_record(
        visit=ctx.visit(data.visit_id),
        version=ctx.version(),
        reason=data.reason,
        note=data.note,
        actor=ctx.user,
        at=ctx.mutation.recorded_at,
        record_id=data.id,
    )
    return "missed_visit", missed.id, missed.version


def visit_assign(ctx: Context) -> Applied:
    data = AssignData.model_validate(ctx.mutation.data)
    assignment = visit_services.visit_assign(
        visit=ctx.visit(data.visit_id),
        version=ctx.version(),
        member=ctx.member(data.member_id),
        actor=ctx.user,
    )
    return "visit", data.visit_id, assignment.visit.version


def visit_unassign(ctx: Context) -> Applied:
    data = AssignData.model_validate(ctx.mutation.data)
    visit_services.visit_unassign(
        visit=ctx.visit(data.visit_id),
        version=ctx.version(),
        member=ctx.member(data.member_id),
        actor=ctx.user,
    )
    return (
        "visit",
        data.visit_id,
        Visit.objects.values_list("version", flat=True).get(pk=data.visit_id),
    )


def outcome_rate(ctx: Context) -> Applied:
    """A K/B/S rating added to a problem's series (append-only, so it never conflicts)."""
    data = RatingData.model_validate(ctx.mutation.data)
    client_id = (
        CareProblem.objects.filter(pk=data.problem_id).values_list("client_id", flat=True).first()
    )
    if client_id is None:
        raise NotFound()
    problem = records.problem_get(client=ctx.client(client_id), problem_id=data.problem_id)
    rating = plan_services.rating_add(
        problem=problem,
        knowledge=data.knowledge,
        behaviour=data.behaviour,
        status=data.status,
        rated_on=data.rated_on,
        actor=ctx.user,
    )
    return "outcome_rating", rating.id, rating.version


def shift_create(ctx: Context) -> Applied:
    data = ShiftData.model_validate(ctx.mutation.data)
    shift = shift_services.shift_create(
        team=ctx.team,
        member=ctx.member(data.member_id),
        start=data.start,
        end=data.end,
        kind=data.kind,
        break_minutes=data.break_minutes,
        note=data.note,
        actor=ctx.user,
    )
    return "shift", shift.id, shift.version


def shift_update(ctx: Context) -> Applied:
    data = ShiftUpdateData.model_validate(ctx.mutation.data)
    shift = shift_services.shift_update(
        shift=rota.shift_get(user=ctx.user, team=ctx.team, shift_id=data.shift_id),
        version=ctx.version(),
        member=ctx.member(data.member_id),
        start=data.start,
        end=data.end,
        kind=data.kind,
        break_minutes=data.break_minutes,
        note=data.note,
        actor=ctx.user,
    )
    return "shift", shift.id, shift.version


def shift_delete(ctx: Context) -> Applied:
    data = ShiftDeleteData.model_validate(ctx.mutation.data)
    shift = rota.shift_get(user=ctx.user, team=ctx.team, shift_id=data.shift_id)
    shift_services.shift_delete(shift=shift, version=ctx.version(), actor=ctx.user)
    return "shift", data.shift_id, ctx.version()


# The handlers of their own, by the mutation's kind; each kind is declared with the kind of
# record it writes (tests/mobile_api/test_sync_kinds.py checks the two agree).
KINDS: dict[str, Callable[[Context], Applied]] = {
    "note.create": note_create,
    "note.amend": note_amend,
    "visit.check_in": visit_check_in,
    "visit.withdraw": visit_withdraw,
    "visit.check_out": _visit_step(functools.partial(visit_services.visit_check_out, offline=True)),
    "visit.task_outcome": visit_task_outcome,
    "visit.missed": visit_missed,
    "visit.assign": visit_assign,
    "visit.unassign": visit_unassign,
    "outcome.rate": outcome_rate,
    "shift.create": shift_create,
    "shift.update": shift_update,
    "shift.delete": shift_delete,
    **dose_mutations.KINDS,
}


def handler(kind: str) -> Callable[[Context], Applied] | None:
    """The handler of a declared kind of mutation (its own, or its ClientPart's generic one),
    or None for a kind no declaration names."""
    if registry.mutation_writer(kind) is None:
        return None
    return KINDS.get(kind) or part_mutations.handler(kind)


class NotYet(Exception):
    """The mutation needs a record that has not arrived yet (an amendment sent before its
    note): answered `retry` and not stored, so the same mutation succeeds once it has."""

    def __init__(self, detail: str, *, field: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
