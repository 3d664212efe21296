"""Doses the team must act on today (issue 25): missed doses and time-critical doses coming up,
read for a whole team at once, in a fixed number of queries, for Team today, My day and the
figures; and the runs of refusals that make an action to tell the GP (stored by teamwork).

The missed-dose rule: a scheduled dose with no outcome by the end of its window (its time plus
the line's tolerance) and the team's grace (MedicinesPolicy.missed_dose_grace_minutes) is
missed. Nothing is written when that happens: it is read from the doses and their records at
the moment of asking, so a late record (a carer catching up) takes a dose out of the missed
ones, and the pages refresh themselves at the moment the next dose turns (scheduling.hooks,
DaySection.refresh_at)."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from careteams.models import Team
from medicines.models import DoseRecord, MedicineLine
from medicines.selectors import DueDose, current_records, policy_of
from medicines.selectors.doses import DAY, sort_key, with_schedules
from medicines.timing import around, line_doses, visit_span
from medicines.vocabulary import Outcome
from scheduling.models import Visit, VisitStatus

SOON = dt.timedelta(hours=1)
REFUSALS_IN_A_ROW = 3
# How far back a run of refusals is looked for.
REFUSALS_LOOKBACK = dt.timedelta(days=30)


def team_doses(
    team: Team,
    start: dt.datetime,
    end: dt.datetime,
    client_ids: Iterable[uuid.UUID] | None = None,
    *,
    identify: bool = True,
) -> list[DueDose]:
    """Every scheduled dose of the team's clients due in [start, end), with its current record:
    three queries (lines, their schedules, records), and a fourth (the clients' visits) when a
    line is given with a visit, whatever the number of clients and doses.
    Without `identify` (the figures, which coaches read) no client is loaded: loading one is a
    read of their record (careteams/access_log.py)."""
    lines = with_schedules(MedicineLine.objects.filter(team=team, prn=False))
    if client_ids is not None:
        lines = lines.filter(client_id__in=list(client_ids))
    found = list(lines.select_related("client") if identify else lines)
    if not found:
        return []
    records = {
        (r.line_id, r.due_at): r
        for r in current_records().filter(
            line__in=found, due_at__gte=start - DAY, due_at__lt=end + DAY
        )
    }
    near = around(found, start, end, team.zone, records)
    doses = [
        DueDose.of(line, dose, records.get((line.pk, dose.due_at)))
        for line in found
        for dose in line_doses(line, start, end, near)
    ]
    return sorted(doses, key=sort_key)


def grace_of(team: Team) -> dt.timedelta:
    return dt.timedelta(minutes=policy_of(team).missed_dose_grace_minutes)


def missed_at(dose: DueDose, grace: dt.timedelta) -> dt.datetime:
    return dose.window_end + grace


def is_missed(dose: DueDose, grace: dt.timedelta, now: dt.datetime) -> bool:
    return dose.record is None and missed_at(dose, grace) <= now


def is_soon(dose: DueDose, now: dt.datetime) -> bool:
    """A time-critical dose with no outcome, due within the next hour (or due now)."""
    return (
        dose.time_critical
        and dose.record is None
        and dose.window_end >= now
        and dose.due_at <= now + SOON
    )


def covering_visit(dose: DueDose, visits: Sequence[Visit]) -> Visit | None:
    """The (not cancelled) visit to the dose's client whose span the dose's window meets."""
    for visit in visits:
        if visit.client_id != dose.line.client_id or visit.status == VisitStatus.CANCELLED:
            continue
        start, end = visit_span(visit)
        if dose.window_end >= start and dose.window_start <= end:
            return visit
    return None


@dataclass(frozen=True)
class DoseAlert:
    dose: DueDose
    visit: Visit | None
    at: dt.datetime  # missed since, or due at

    @property
    def line(self) -> MedicineLine:
        return self.dose.line


@dataclass(frozen=True)
class DoseWatch:
    missed: list[DoseAlert]
    soon: list[DoseAlert]
    next_change: dt.datetime | None  # when the next dose turns missed or comes within the hour


def _next_change(doses: list[DueDose], grace: dt.timedelta, now: dt.datetime) -> dt.datetime | None:
    moments = [missed_at(d, grace) for d in doses if d.record is None and missed_at(d, grace) > now]
    moments += [
        d.due_at - SOON
        for d in doses
        if d.time_critical and d.record is None and d.due_at - SOON > now
    ]
    return min(moments, default=None)


def dose_watch(
    *,
    team: Team,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    visits: Sequence[Visit],
    only_visits: bool = False,
) -> DoseWatch:
    """The day's missed and coming time-critical doses, each with the visit it falls in. With
    `only_visits` (My day), only those of these visits."""
    client_ids = {v.client_id for v in visits} if only_visits else None
    doses = team_doses(team, start, end, client_ids)
    grace = grace_of(team)
    alerts = [(dose, covering_visit(dose, visits)) for dose in doses]
    if only_visits:
        alerts = [(dose, visit) for dose, visit in alerts if visit is not None]
        doses = [dose for dose, _visit in alerts]
    return DoseWatch(
        missed=[
            DoseAlert(d, v, missed_at(d, grace)) for d, v in alerts if is_missed(d, grace, now)
        ],
        soon=[DoseAlert(d, v, d.due_at) for d, v in alerts if is_soon(d, now)],
        next_change=_next_change(doses, grace, now),
    )


def line_outcomes(*, line: MedicineLine, now: dt.datetime) -> list[DoseRecord]:
    """The current record of each of the line's scheduled doses due over the lookback, in the
    order the doses were due (a correction stands in for what it corrected): one query."""
    return list(
        current_records()
        .filter(line=line, due_at__isnull=False, due_at__gt=now - REFUSALS_LOOKBACK)
        .order_by("due_at", "recorded_at")
    )


def refusal_runs(records: Sequence[DoseRecord]) -> list[list[DoseRecord]]:
    """The runs of at least three refusals in a row (no other outcome between them) among one
    line's records in the order their doses were due, each oldest first. A run raises one
    action to tell the GP (teamwork/services/gp_actions.py)."""
    runs: list[list[DoseRecord]] = []
    run: list[DoseRecord] = []
    for record in [*records, None]:
        if record is not None and record.outcome == Outcome.REFUSED:
            run.append(record)
            continue
        if len(run) >= REFUSALS_IN_A_ROW:
            runs.append(run)
        run = []
    return runs


def missed_count(
    *, team: Team, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> tuple[int, int] | None:
    """How many doses due in the span were missed (by `now`), and how many of them were
    time-critical, for the figures; None when no dose was due (a team without medicines)."""
    doses = team_doses(team, start, min(end, now), identify=False)
    if not doses:
        return None
    grace = grace_of(team)
    missed = [d for d in doses if is_missed(d, grace, now)]
    return len(missed), sum(1 for d in missed if d.time_critical)
