"""'Suggest carers': a background run of the planner, and the team's decisions on its proposals.

A run is a `PlanRun` row, and the row is all of its state: progress, the stop request and the
proposals live in the database, so that any ASGI worker can show it, stop it or accept from it,
and each change reaches every open board through the feed (entity `plan_run`). The solving
itself is a thread of the worker that started it; one run at a time per team (a partial unique
index). A worker that dies mid-run leaves a row whose heartbeat stops: after `LOST_AFTER` it
counts as failed and a new run may start.

Nothing is assigned by a run. Accepting calls `visit_assign` once per carer, each visit in its
own transaction (`visit_assign_at` when the planner moved the visit within its window: the new
time and the carers in one write); a proposal whose visit changed since the run read it is
refused with a clear message, never applied to a visit the planner did not see.
"""

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import changes, dates
from careteams.errors import DomainError
from careteams.models import Membership, Team, User
from careteams.versioning import versioned_save
from scheduling.models import PLAN_RUN_ACTIVE, PlanRun, PlanRunStatus, Visit
from scheduling.selectors.planning import plan_input, result_rows
from scheduling.services.common import lock_team, require_writer, violates
from scheduling.services.visits import visit_assign, visit_assign_at

logger = logging.getLogger(__name__)

# The planner's time limit per run: a team week gets a good answer within it (issue 15).
PLAN_SECONDS = 10.0
# Progress is written at most this often: each write is a feed entry and a board refresh.
PROGRESS_EVERY = 1.0
# How often the solving thread looks at its row for a stop request (from any worker).
STOP_POLL_SECONDS = 0.5
# A running row whose heartbeat is older than this died with its worker.
LOST_AFTER = dt.timedelta(seconds=PLAN_SECONDS * 6)


def _record(run: PlanRun, actor: User | None) -> None:
    changes.record(team=run.team, entity="plan_run", obj=run, actor=actor)


def _lost(run: PlanRun, now: dt.datetime) -> bool:
    return run.active and now - run.updated_at > LOST_AFTER


def plan_run_start(
    *, team: Team, monday: dt.date, day: dt.date | None, actor: User, background: bool = True
) -> PlanRun:
    """Start suggesting carers for the week (or one day of it) in a background thread.

    `background=False` solves in the caller's thread (management commands, tests of the run)."""
    require_writer(actor=actor, team=team)
    dates.require_in_range(monday, field="week")
    if monday.isoweekday() != 1:
        raise DomainError(_("A week starts on a Monday."), field="week")
    if day is not None and not monday <= day < monday + dt.timedelta(days=7):
        raise DomainError(_("Choose a day of this week."), field="day")
    now = timezone.now()
    try:
        with transaction.atomic():
            lock_team(team)
            current = PlanRun.objects.filter(team=team, status__in=PLAN_RUN_ACTIVE).first()
            if current is not None and _lost(current, now):
                _finish(current, PlanRunStatus.FAILED, "its server stopped while it ran.", None)
            elif current is not None:
                when = timezone.localtime(current.started_at, team.zone)
                raise DomainError(
                    _(
                        "Carers are already being suggested (started at %(time)s): wait for "
                        "it to finish, or stop it."
                    )
                    % {"time": f"{when:%H:%M}"}
                )
            run = PlanRun.objects.create(
                team=team,
                week_start=monday,
                day=day,
                started_by=actor,
                updated_at=now,
                message="Reading the week",
            )
            _record(run, actor)
            if background:
                transaction.on_commit(lambda: _launch(run.pk))
    except IntegrityError as error:
        if violates(error, "plan_run_one_active_per_team"):
            raise DomainError(_("Carers are already being suggested: wait for it.")) from error
        raise
    if not background:
        plan_run_execute(run_id=run.pk)
        run.refresh_from_db()
    return run


def _launch(run_id: uuid.UUID) -> None:
    thread = threading.Thread(
        target=_in_thread, args=(run_id,), name=f"plan-run-{run_id}", daemon=True
    )
    thread.start()


def _in_thread(run_id: uuid.UUID) -> None:
    """The thread's own database connection is opened for it and closed after it."""
    try:
        plan_run_execute(run_id=run_id)
    finally:
        connection.close()


def plan_run_stop(*, run: PlanRun, actor: User) -> PlanRun:
    """Ask a running run to stop: the solving thread (in whichever worker) sees it within
    STOP_POLL_SECONDS and keeps the best proposals found so far."""
    require_writer(actor=actor, team=run.team)
    with transaction.atomic():
        run = PlanRun.objects.select_for_update().select_related("team").get(pk=run.pk)
        if run.status != PlanRunStatus.RUNNING:
            raise DomainError(_("This run has already finished."))
        run.status = PlanRunStatus.STOPPING
        run.message = "Stopping: keeping what was found so far"
        versioned_save(run, entity="plan_run", actor=actor)
    return run


def plan_run_execute(*, run_id: uuid.UUID) -> None:
    """The run itself: read the week, solve, store the proposals. Errors end the run as failed
    (and are logged), never silently."""
    # Imported here: OR-Tools takes a while to load, and only a worker that plans needs it.
    from scheduling.planner.solve import plan

    run = PlanRun.objects.select_related("team", "started_by").get(pk=run_id)
    try:
        built = plan_input(user=run.started_by, team=run.team, monday=run.week_start, day=run.day)
        progress = _Progress(run.pk)
        watcher = threading.Thread(target=progress.watch, name=f"plan-stop-{run_id}", daemon=True)
        watcher.start()
        try:
            result = plan(
                built.data,
                seconds=PLAN_SECONDS,
                on_progress=progress.report,
                should_stop=progress.should_stop,
            )
        finally:
            progress.finished.set()
            watcher.join()
        proposals, unassignable = result_rows(result, built.versions)
    except Exception as error:
        logger.exception("Plan run %s failed", run_id)
        with transaction.atomic():
            run = PlanRun.objects.select_for_update().select_related("team").get(pk=run_id)
            words = f"the planner stopped with an error ({error})."
            _finish(run, PlanRunStatus.FAILED, words, None)
        return
    with transaction.atomic():
        run = PlanRun.objects.select_for_update().select_related("team").get(pk=run_id)
        stopped = run.status == PlanRunStatus.STOPPING or result.status == "stopped"
        run.proposals = proposals
        run.unassignable = unassignable
        run.solver_status = result.status
        _finish(
            run,
            PlanRunStatus.STOPPED if stopped else PlanRunStatus.DONE,
            f"{len(proposals)} suggestion{'s' if len(proposals) != 1 else ''}, "
            f"{len(unassignable)} visit{'s' if len(unassignable) != 1 else ''} no one can take",
            None,
        )


def _finish(run: PlanRun, status: str, message: str, actor: User | None) -> None:
    now = timezone.now()
    run.status = status
    run.message = message[:200]
    run.progress = 1.0 if status == PlanRunStatus.DONE else run.progress
    run.finished_at = now
    run.updated_at = now
    versioned_save(run, entity="plan_run", actor=actor)


class _Progress:
    """The planner's callbacks: progress written to the row (and so to every board) at most
    every PROGRESS_EVERY seconds, and the stop request read from the row."""

    def __init__(self, run_id: uuid.UUID) -> None:
        self.run_id = run_id
        self.written = 0.0
        self.stopping = threading.Event()
        self.finished = threading.Event()

    def report(self, fraction: float, words: str) -> None:
        now = time.monotonic()
        if now - self.written < PROGRESS_EVERY and fraction < 1:
            return
        self.written = now
        with transaction.atomic():
            run = PlanRun.objects.select_for_update().select_related("team").get(pk=self.run_id)
            if run.status != PlanRunStatus.RUNNING:
                return
            run.progress = min(1.0, max(run.progress, fraction))
            run.message = words[:200]
            run.updated_at = timezone.now()
            versioned_save(run, entity="plan_run", actor=None)

    def watch(self) -> None:
        """One thread reads the stop request from the row while the planner runs. The planner
        asks should_stop() from threads of its own, one per solve: were they to read the row,
        each would open a database connection and keep it (the pool would run dry)."""
        try:
            while not self.finished.wait(STOP_POLL_SECONDS):
                if self.stop_requested():
                    self.stopping.set()
                    return
        finally:
            connection.close()

    def stop_requested(self) -> bool:
        status = PlanRun.objects.filter(pk=self.run_id).values_list("status", flat=True)
        return status.first() != PlanRunStatus.RUNNING

    def should_stop(self) -> bool:
        return self.stopping.is_set()


@dataclass(frozen=True)
class Decision:
    """What became of one proposal the team accepted."""

    visit_id: uuid.UUID
    label: str
    ok: bool
    detail: str = ""


def _open(run: PlanRun, visit_ids: Sequence[uuid.UUID] | None) -> list[dict[str, Any]]:
    wanted = None if visit_ids is None else {str(v) for v in visit_ids}
    return [
        item
        for item in run.proposals
        if item["state"] == "open" and (wanted is None or item["visit_id"] in wanted)
    ]


Label = Callable[[Visit], str]


def plan_proposals_accept(
    *, run: PlanRun, visit_ids: Sequence[uuid.UUID] | None, actor: User, label: Label
) -> list[Decision]:
    """Accept the run's open proposals (all, or those of `visit_ids`): for each visit, its
    carers through `visit_assign` (with its new time through `visit_assign_at`), in one
    transaction per visit (a double-up gets both or neither). A visit changed since the run
    read it (its version) is refused."""
    require_writer(actor=actor, team=run.team)
    if run.active:
        raise DomainError(_("The suggestions are still being worked out."))
    chosen = _open(run, visit_ids)
    if not chosen:
        raise DomainError(_("There is no open suggestion for the chosen visits."), field="visit")
    visits = {
        str(v.pk): v
        for v in Visit.objects.filter(
            team=run.team, pk__in=[item["visit_id"] for item in chosen]
        ).select_related("client", "team")
    }
    members = {
        str(m.pk): m
        for m in Membership.objects.filter(team=run.team, ended_at__isnull=True).select_related(
            "user"
        )
    }
    decisions: dict[str, tuple[str, str]] = {}
    results = []
    for item in chosen:
        visit = visits.get(item["visit_id"])
        if visit is None:
            decisions[item["visit_id"]] = ("refused", "the visit is no longer on the rota.")
            results.append(
                Decision(uuid.UUID(item["visit_id"]), _("A visit"), False, _("it is gone."))
            )
            continue
        try:
            _accept_one(visit, item, members, actor)
        except DomainError as error:
            decisions[item["visit_id"]] = ("refused", error.detail)
            results.append(Decision(visit.pk, label(visit), False, error.detail))
        else:
            decisions[item["visit_id"]] = ("accepted", "")
            results.append(Decision(visit.pk, label(visit), True))
    _mark(run, decisions, actor)
    return results


def _accept_one(
    visit: Visit, item: dict[str, Any], members: dict[str, Membership], actor: User
) -> None:
    if visit.version != item["visit_version"]:
        raise DomainError(
            _(
                "the visit changed after the suggestion was made (its time, carers or status); "
                "suggest carers again or assign by hand."
            )
        )
    carers = [members.get(member_id) for member_id in item["member_ids"]]
    if None in carers:
        raise DomainError(_("the suggested carer is no longer a member of the team."))
    chosen = [m for m in carers if m is not None]
    if item.get("start"):
        start = dt.datetime.fromisoformat(item["start"])
        visit_assign_at(
            visit=visit, version=visit.version, start=start, members=chosen, actor=actor
        )
        return
    with transaction.atomic():
        version = visit.version
        for member in chosen:
            visit_assign(visit=visit, version=version, member=member, actor=actor)
            version += 1


def plan_proposals_dismiss(*, run: PlanRun, actor: User) -> PlanRun:
    """None of them: the open proposals are set aside; the visits stay as they are."""
    require_writer(actor=actor, team=run.team)
    if run.active:
        raise DomainError(_("The suggestions are still being worked out: stop the run instead."))
    _mark(run, {item["visit_id"]: ("dismissed", "") for item in _open(run, None)}, actor)
    run.refresh_from_db()
    return run


def _mark(run: PlanRun, decisions: dict[str, tuple[str, str]], actor: User) -> None:
    if not decisions:
        return
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().select_related("team").get(pk=run.pk)
        for item in locked.proposals:
            if item["visit_id"] in decisions and item["state"] == "open":
                item["state"], item["note"] = decisions[item["visit_id"]]
        versioned_save(locked, entity="plan_run", actor=actor)
