"""Applying a device's offline mutations, each at most once, each on its own.

A batch is applied in chunks of up to CHUNK mutations (fewer when they take longer than
CHUNK_SECONDS), each chunk in one transaction with a savepoint per mutation: one commit and
one event per team per chunk instead of one per mutation. A mutation's answer (applied,
conflict with the server's state, rejected with the problem, or, from a former member's
tablet, held for the team to review) is stored under
(user, mutation_id) in its own savepoint, so a refusal rolls back that mutation alone, and a
repeat after a lost response gets the same answer and changes nothing. A fault that is no
refusal (the database, a lock) is answered `retry` and not stored: the device sends the same
mutation again later. One bad or failing mutation, malformed ones included, never undoes or
stops another: when a fault spoils the chunk's transaction (a connection lost), the mutations
before it are applied again in a fresh one; when the commit itself fails, nothing of the
chunk is known to stand and every mutation of it is answered `retry`.

A push answers before the proxy gives up on it: each chunk waits at most
PUSH_LOCK_TIMEOUT_SECONDS for its team's lock (held by another write), and no chunk starts
after PUSH_DEADLINE_SECONDS. What a busy lock or the deadline leaves unapplied is answered
`retry` at once, every remaining mutation with it, instead of waiting once per mutation.
"""

import logging
import time
import uuid
from typing import Any

import pydantic
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext, gettext_noop

from careteams import changes, registry
from careteams.errors import Conflict, DomainError
from careteams.models import Membership, Team, User
from mobile_api import dose_mutations, mutations
from mobile_api.late import late_handler
from mobile_api.models import MutationStatus, SyncMutation
from mobile_api.mutations import Context, NotYet
from mobile_api.problems import TITLES
from mobile_api.schemas.sync import MutationIn

logger = logging.getLogger(__name__)

# Not stored, so not a MutationStatus: the answer to send the same mutation again later.
RETRY = "retry"
RETRY_TITLE = gettext_noop("Try again later")

# Services name their own parameters; a mutation carries the device's time at its top level and
# everything else under `data`, named as in the schemas of mobile_api/mutations.py. A kind kept
# on the client record needs none here: its data's fields are its model's (part_fields.py).
SYNC_FIELDS = {
    "at": "recorded_at",  # check in and out
    "written_at": "recorded_at",  # notes
    "member": "data.member_id",
    "client": "data.client_id",
    "visit": "data.visit_id",
    "problems": "data.problem_ids",
    "amends": "data.amends_id",
    "note_id": "data.id",
    **dose_mutations.SYNC_FIELDS,
}
MUTATION_FIELDS = {"mutation_id", "kind", "recorded_at", "base_version"}


def _sync_field(mutation: MutationIn, field: str) -> str:
    """The field of the mutation the device sent. `kind` alone is the mutation's own when the
    kind is unknown, else the record's (a shift's kind)."""
    if field in SYNC_FIELDS:
        return SYNC_FIELDS[field]
    if field == "kind":
        return "data.kind" if registry.mutation_writer(mutation.kind) else "kind"
    if field.startswith("data.") or field in MUTATION_FIELDS:
        return field
    return f"data.{field}"


def _problem(
    status: int, detail: str, errors: list[dict[str, Any]], title: str | None = None
) -> dict[str, Any]:
    return {
        "status": status,
        # A lazy title, in the push's language.
        "title": str(title or TITLES.get(status, gettext("Error"))),
        "detail": detail,
        "errors": errors,
    }


def _answer(mutation: MutationIn, status: str, **rest: Any) -> dict[str, Any]:
    return {
        "mutation_id": str(mutation.mutation_id),
        "kind": mutation.kind,
        "status": status,
        **rest,
    }


def _refused(mutation: MutationIn, exc: Exception) -> tuple[str, dict[str, Any]]:
    if isinstance(exc, Conflict):
        return MutationStatus.CONFLICT, _answer(
            mutation,
            MutationStatus.CONFLICT,
            current=exc.current,
            problem=_problem(409, exc.detail, []),
        )
    if isinstance(exc, pydantic.ValidationError):
        errors = [
            {"field": ".".join(["data", *(str(p) for p in e["loc"])]), "detail": e["msg"]}
            for e in exc.errors()
        ]
        problem = _problem(422, gettext("The mutation's data is not valid."), errors)
    else:
        assert isinstance(exc, DomainError)
        field = _sync_field(mutation, exc.field) if exc.field else None
        errors = [{"field": field, "detail": exc.detail}] if field else []
        status = 422 if exc.status == 400 and exc.field else exc.status
        problem = _problem(status, exc.detail, errors)
        if code := getattr(exc, "code", None):
            problem["code"] = code  # e.g. confirmation_required: send again, confirmed
    return MutationStatus.REJECTED, _answer(mutation, MutationStatus.REJECTED, problem=problem)


def _parse(raw: Any, index: int) -> MutationIn | dict[str, Any]:
    """The mutation, or the answer to one that is not one (not an object, its data not an
    object, a bad id, time or version): rejected on its own, named by its place in the batch.
    Not stored: it may have no id, and the same bytes get the same answer again."""
    if isinstance(raw, dict):
        try:
            return MutationIn.model_validate(raw)
        except pydantic.ValidationError as exc:
            errors = [
                {
                    "field": ".".join([f"mutations[{index}]", *(str(p) for p in e["loc"])]),
                    "detail": e["msg"],
                }
                for e in exc.errors()
            ]
    else:
        errors = [
            {"field": f"mutations[{index}]", "detail": gettext("A mutation is a JSON object.")}
        ]
        raw = {}
    try:
        mutation_id: str | None = str(uuid.UUID(str(raw.get("mutation_id"))))
    except ValueError:
        mutation_id = None
    kind = raw.get("kind")
    return {
        "mutation_id": mutation_id,
        "kind": kind[:40] if isinstance(kind, str) else None,
        "status": MutationStatus.REJECTED,
        "problem": _problem(
            422, "; ".join(f"{e['field']}: {e['detail']}" for e in errors[:5]), errors
        ),
    }


def _retry(
    mutation: MutationIn, status: int, detail: str, errors: list[dict[str, Any]]
) -> dict[str, Any]:
    return _answer(mutation, RETRY, problem=_problem(status, detail, errors, gettext(RETRY_TITLE)))


def _fault(mutation: MutationIn) -> dict[str, Any]:
    """A fault that is not a refusal (the database went away, a lock or serialization
    failure, a bug): nothing of the mutation stands and nothing is stored, so the device may
    send the very same mutation again later. (A connection that died is dropped by the
    mutation's transaction on its way out; the next mutation opens a fresh one.)"""
    logger.exception("Mutation %s (%s) failed", mutation.mutation_id, mutation.kind)
    detail = gettext("The server could not apply this mutation just now: send it again later.")
    return _retry(mutation, 503, detail, [])


def _busy(mutation: MutationIn) -> dict[str, Any]:
    detail = gettext("Another change of the team held it too long: send this mutation again later.")
    return _retry(mutation, 503, detail, [])


def _late(mutation: MutationIn) -> dict[str, Any]:
    detail = gettext("The server ran out of time for this push: send this mutation again later.")
    return _retry(mutation, 503, detail, [])


def _stored(user: User, mutation_id: uuid.UUID) -> dict[str, Any] | None:
    # No savepoint of its own (two round trips a mutation): a read that fails and spoils the
    # chunk's transaction is a fault like any other, and the chunk's prefix is applied again.
    found = SyncMutation.objects.filter(user=user, mutation_id=mutation_id).first()
    return None if found is None else {**found.result, "repeated": True}


def _store(ctx: Context, status: str, result: dict[str, Any]) -> None:
    SyncMutation.objects.create(
        user=ctx.user,
        mutation_id=ctx.mutation.mutation_id,
        team_id=ctx.team.id,
        kind=ctx.mutation.kind[:40],
        status=status,
        result=result,
        recorded_at=ctx.mutation.recorded_at,
    )


def _raced(user: User, mutation: MutationIn) -> dict[str, Any]:
    """The answer after an IntegrityError: usually the same mutation id arrived at once in
    another request, which stored its answer; otherwise a fault to retry."""
    try:
        again = _stored(user, mutation.mutation_id)
    except Exception:
        return _fault(mutation)
    return again if again is not None else _fault(mutation)


def _apply(ctx: Context) -> dict[str, Any]:
    """Run the mutation and store its answer, in one savepoint; raises what refused it."""
    mutation = ctx.mutation
    with transaction.atomic():
        handler = (mutations.handler if ctx.former is None else late_handler)(mutation.kind)
        if handler is None:
            known = ", ".join(sorted(registry.mutation_kinds()))
            raise DomainError(
                gettext("Unknown kind; use one of %(kinds)s.") % {"kinds": known}, field="kind"
            )
        entity, ident, version = handler(ctx)
        # A former member's item other than a note is kept, not applied: held for the team.
        status = MutationStatus.HELD if entity == "held_item" else MutationStatus.APPLIED
        result = _answer(mutation, status, entity=entity, id=str(ident), version=version)
        if ctx.former is not None and status == MutationStatus.APPLIED:
            result["late"] = True  # a former member's note: listed for the team
        _store(ctx, status, result)
    return result


def apply(
    *, user: User, team: Team, mutation: MutationIn, former: Membership | None = None
) -> dict[str, Any]:
    """Apply one well-formed mutation (or return the answer it already had), in savepoints of
    its own when called inside a chunk's transaction.

    Never raises: every mutation gets an answer of its own. `applied`, `held`, `conflict`
    and `rejected` are stored and final; `retry` (a fault, or a record it needs not there yet) is
    not stored, and the same mutation may be sent again.
    """
    ctx = Context(user, team, mutation, former)
    try:
        if (again := _stored(user, mutation.mutation_id)) is not None:
            return again
        return _apply(ctx)
    except NotYet as exc:
        # 409: the server's state (no such note yet) is why, not a fault of the server's.
        return _retry(mutation, 409, exc.detail, [{"field": exc.field, "detail": exc.detail}])
    except (DomainError, pydantic.ValidationError) as exc:
        status, result = _refused(mutation, exc)
    except IntegrityError:
        return _raced(user, mutation)
    except Exception:
        return _fault(mutation)
    try:
        with transaction.atomic():
            _store(ctx, status, result)
    except IntegrityError:
        return _raced(user, mutation)
    except Exception:
        return _fault(mutation)
    return result


# A chunk commits after CHUNK mutations, or sooner, after the first that ends CHUNK_SECONDS
# into it. Commits and events fall by up to CHUNK times, while the team row's lock (taken at the
# chunk's start, held to its commit) makes other writers of the team wait up to a chunk's
# time: the time bound keeps that wait short when the database is slow (then chunks shrink
# towards a transaction a mutation). docs/performance.md, "Push in chunks", measures the trade.
CHUNK = 50
CHUNK_SECONDS = 0.05


class _Spoilt(Exception):
    """A fault left the chunk's transaction unusable (the connection died): roll it back."""

    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


def _spoilt(answer: dict[str, Any]) -> bool:
    """Whether the fault behind a 503 `retry` left the transaction unusable. A savepoint
    rolled back cleanly after a lock timeout or a bug leaves the rest of the chunk usable."""
    if answer["status"] != RETRY or answer["problem"]["status"] != 503:
        return False
    return connection.needs_rollback or not connection.is_usable()


def _chunk(
    user: User, team: Team, chunk: list[MutationIn], lock_timeout: float, former: Membership | None
) -> dict[int, dict[str, Any]]:
    """Apply `chunk` from its start in one transaction, with its events coalesced to one per
    team after the commit, until its end or its time is up. Returns the answers by position in
    the chunk; the caller applies the unanswered ones again: those after the time ran out, and,
    when a fault spoilt the transaction at one (answered `retry`), those before it, of which
    nothing stands. Answers at least one, so the caller's work always ends. Raises TeamBusy,
    having done nothing, when the team's lock was not had within `lock_timeout` seconds."""
    answers: dict[int, dict[str, Any]] = {}
    deadline = time.monotonic() + CHUNK_SECONDS
    with changes.events_coalesced():
        try:
            with transaction.atomic():
                # Up front, outside the mutations' savepoints: their changes find it held, and
                # a wait for it is bounded once for the chunk, not once per mutation.
                changes.team_lock(team=team, timeout=lock_timeout)
                for position, mutation in enumerate(chunk):
                    answers[position] = apply(
                        user=user, team=team, mutation=mutation, former=former
                    )
                    if _spoilt(answers[position]):
                        raise _Spoilt(position)
                    if time.monotonic() > deadline:
                        break
        except _Spoilt as spoilt:
            return {spoilt.position: answers[spoilt.position]}
        except changes.TeamBusy:
            raise
        except Exception:
            # The transaction could not begin (no connection) or commit: no answer of the chunk
            # was stored and none of its changes stands, so all that ran (all, if none did) are
            # to be sent again, to apply once then.
            logger.exception("A chunk of %s mutations failed to commit", len(answers))
            return {position: _fault(chunk[position]) for position in answers or range(len(chunk))}
    return answers


def _now() -> float:
    return time.monotonic()


def apply_batch(
    *, user: User, team: Team, mutations: list[Any], former: Membership | None = None
) -> list[dict[str, Any]]:
    """Each mutation answered on its own, in order: one refused or failing loses none of the
    others. Transactions: one per CHUNK well-formed mutations (more when they are slow), plus
    one for each fault that spoils one. Within PUSH_DEADLINE_SECONDS and one chunk's time:
    what the team's busy lock or the deadline leaves is answered `retry`. `former`: the user's
    ended membership of the team, for a leaver's tablet (mobile_api/late.py)."""
    deadline = _now() + settings.PUSH_DEADLINE_SECONDS
    results: list[dict[str, Any] | None] = [None] * len(mutations)
    todo: list[tuple[int, MutationIn]] = []
    for index, raw in enumerate(mutations):
        parsed = _parse(raw, index)
        if isinstance(parsed, MutationIn):
            todo.append((index, parsed))
        else:
            results[index] = parsed
    unreached = _late
    while todo and (left := deadline - _now()) > 0:
        chunk = todo[:CHUNK]
        lock_timeout = min(settings.PUSH_LOCK_TIMEOUT_SECONDS, left)
        mutations_of_chunk = [mutation for _, mutation in chunk]
        try:
            answers = _chunk(user, team, mutations_of_chunk, lock_timeout, former)
        except changes.TeamBusy:
            logger.warning("Push of %s mutations: team %s busy", len(todo), team.pk)
            unreached = _busy
            break
        for position, answer in answers.items():
            results[chunk[position][0]] = answer
        todo = [item for n, item in enumerate(chunk) if n not in answers] + todo[CHUNK:]
    for index, mutation in todo:
        results[index] = unreached(mutation)
    answered = [result for result in results if result is not None]
    assert len(answered) == len(mutations), "every mutation is answered"
    return answered
