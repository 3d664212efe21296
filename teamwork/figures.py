"""The team's figures over weeks and months, as pure functions of plain rows (no Django, no
I/O: teamwork.selectors.figures loads the rows). Each figure is worked out the way the team
would by hand, so a test can check it against a hand-computed week.

- Time with clients: visit hours (checked in to out when both were recorded, else planned; once
  per carer) as a share of shift hours (less breaks). Buurtzorg's productivity figure.
- Hours against contracts: shift hours against the members' contracted hours for the period.
- Continuity: distinct carers per client seen in the period (average and highest); in a week,
  the clients over the team's limit.
- Late and missed: the visit domain's own rule (scheduling.rules.lateness.visit_timing), so the
  figures agree with the today page and the weekly figures: due at the latest start (the
  window's end, else the planned start) plus the team's grace time; late when the first live
  check-in (withdrawn ones do not count) came after that, or when it is past due, not checked in
  and its day is not over yet; missed when a reason was recorded for it (or it is marked
  missed), or when a planned visit was not checked in by the end of its day in the team's
  time zone.
- Sickness absence: contracted hours lost to sickness (at most a fifth of the week per weekday,
  as the rota counts leave) as a share of contracted hours.
- Omaha outcome change: per problem rated at least twice in the period, latest minus first
  rating on each scale, averaged over those problems.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduling.rules.lateness import Timing, visit_timing
from scheduling.rules.words import gettext_noop, said, when

WORKING_WEEKDAYS = 5
SICKNESS = "sickness"
NOT_WORKED = frozenset({"cancelled", "missed"})


@dataclass(frozen=True)
class Period:
    label: str
    first_day: dt.date
    days: int
    start: dt.datetime
    end: dt.datetime

    @property
    def weeks(self) -> float:
        return self.days / 7

    @property
    def short(self) -> str:
        """For a chart's axis: the first day of a week, or a month and its year."""
        if self.days == 7:
            return when(self.first_day, "%-d %b", "j M")
        return when(self.first_day, "%b %y", "M y")


@dataclass(frozen=True)
class MemberRow:
    id: str
    contracted_hours: float


@dataclass(frozen=True)
class ShiftRow:
    member_id: str
    start: dt.datetime
    end: dt.datetime
    break_minutes: int = 0


@dataclass(frozen=True)
class AbsenceRow:
    member_id: str
    kind: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class VisitRow:
    id: str
    client_id: str
    planned_start: dt.datetime
    planned_end: dt.datetime
    status: str
    carers: tuple[str, ...]
    window_end: dt.datetime | None = None
    # The first live check-in (a withdrawn one does not count), or None.
    checked_in_at: dt.datetime | None = None
    checked_out_at: dt.datetime | None = None
    # A reason was recorded for it being missed (scheduling.models.MissedVisit).
    missed_recorded: bool = False


@dataclass(frozen=True)
class RatingRow:
    problem_id: str
    rated_on: dt.date
    knowledge: int
    behaviour: int
    status: int


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    shift_hours: float
    client_hours: float
    contracted_hours: float
    visits: int
    late: int
    missed: int
    clients: int
    carers_per_client: float | None
    most_carers: int
    over_limit: int | None  # weeks only: the team's limit is per week
    sickness_hours: float
    problems_rated: int
    knowledge_change: float | None
    behaviour_change: float | None
    status_change: float | None

    @property
    def client_share(self) -> float | None:
        """Per cent of shift hours spent with clients."""
        return 100 * self.client_hours / self.shift_hours if self.shift_hours else None

    @property
    def hours_difference(self) -> float:
        return self.shift_hours - self.contracted_hours

    @property
    def sickness_rate(self) -> float | None:
        return 100 * self.sickness_hours / self.contracted_hours if self.contracted_hours else None


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() / 3600)


def _local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def period_of(label: str, first_day: dt.date, days: int, zone: ZoneInfo) -> Period:
    return Period(
        label,
        first_day,
        days,
        _local_midnight(first_day, zone),
        _local_midnight(first_day + dt.timedelta(days=days), zone),
    )


def weeks_to(last_monday: dt.date, count: int, zone: ZoneInfo) -> list[Period]:
    """`count` weeks, oldest first, the last starting on `last_monday`."""
    mondays = [last_monday - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]
    return [
        period_of(said(gettext_noop("w/c %(day)s"), day=when(m, "%-d %b %Y", "j M Y")), m, 7, zone)
        for m in mondays
    ]


def months_to(last_first: dt.date, count: int, zone: ZoneInfo) -> list[Period]:
    """`count` calendar months, oldest first, the last starting on `last_first` (a 1st)."""
    firsts = []
    year, month = last_first.year, last_first.month
    for _ in range(count):
        firsts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    periods = []
    for first in reversed(firsts):
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        label = when(first, "%b %Y", "M Y")
        periods.append(period_of(label, first, (following - first).days, zone))
    return periods


def _within(moment: dt.datetime, period: Period) -> bool:
    return period.start <= moment < period.end


def _visit_hours(visit: VisitRow) -> float:
    if visit.checked_in_at and visit.checked_out_at and visit.checked_out_at > visit.checked_in_at:
        return _hours(visit.checked_in_at, visit.checked_out_at)
    return _hours(visit.planned_start, visit.planned_end)


def timing(visit: VisitRow, *, grace_minutes: int, zone: ZoneInfo, now: dt.datetime) -> Timing:
    """On time, late or missed, by the same rule as the visit card and the today page."""
    if visit.status == "missed" or visit.missed_recorded:
        return Timing.MISSED
    if visit.checked_in_at is None and visit.status != "planned":
        # Cancelled, or done without a recorded check-in time: there is nothing to judge by.
        return Timing.ON_TIME
    return visit_timing(
        planned_start=visit.planned_start,
        window_end=visit.window_end,
        grace_minutes=grace_minutes,
        zone=zone,
        now=now,
        checked_in_at=visit.checked_in_at,
    )


def sickness_hours(
    period: Period, members: Sequence[MemberRow], absences: Iterable[AbsenceRow], zone: ZoneInfo
) -> float:
    """Contracted hours lost to sickness: per weekday, the hours away sick, at most a fifth of
    the member's week (the rota counts leave the same way: scheduling.rules.absence_credit)."""
    contracted = {m.id: m.contracted_hours for m in members}
    sick: dict[str, list[AbsenceRow]] = defaultdict(list)
    for absence in absences:
        if absence.kind == SICKNESS and absence.member_id in contracted:
            sick[absence.member_id].append(absence)
    total = 0.0
    for member_id, rows in sick.items():
        per_day = contracted[member_id] / WORKING_WEEKDAYS
        for n in range(period.days):
            day = period.first_day + dt.timedelta(days=n)
            if day.isoweekday() > WORKING_WEEKDAYS:
                continue
            lo, hi = _local_midnight(day, zone), _local_midnight(day + dt.timedelta(days=1), zone)
            away = sum(_hours(max(a.start, lo), min(a.end, hi)) for a in rows)
            total += min(per_day, away)
    return total


def outcome_change(
    ratings: Iterable[RatingRow],
) -> tuple[int, float | None, float | None, float | None]:
    """(problems rated at least twice, average change in knowledge, behaviour, status)."""
    by_problem: dict[str, list[RatingRow]] = defaultdict(list)
    for rating in ratings:
        by_problem[rating.problem_id].append(rating)
    changes: list[tuple[int, int, int]] = []
    for rows in by_problem.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: r.rated_on)
        first, last = rows[0], rows[-1]
        changes.append(
            (
                last.knowledge - first.knowledge,
                last.behaviour - first.behaviour,
                last.status - first.status,
            )
        )
    if not changes:
        return 0, None, None, None
    count = len(changes)
    return (
        count,
        sum(c[0] for c in changes) / count,
        sum(c[1] for c in changes) / count,
        sum(c[2] for c in changes) / count,
    )


def period_figures(
    period: Period,
    *,
    zone: ZoneInfo,
    members: Sequence[MemberRow],
    shifts: Iterable[ShiftRow],
    absences: Iterable[AbsenceRow],
    visits: Iterable[VisitRow],
    ratings: Iterable[RatingRow],
    continuity_limit: int,
    now: dt.datetime,
    grace_minutes: int,
) -> PeriodFigures:
    shift_hours = sum(
        max(0.0, _hours(s.start, s.end) - s.break_minutes / 60)
        for s in shifts
        if _within(s.start, period)
    )
    in_period = [v for v in visits if _within(v.planned_start, period) and v.status != "cancelled"]
    timings = [timing(v, grace_minutes=grace_minutes, zone=zone, now=now) for v in in_period]
    worked = [
        v
        for v, t in zip(in_period, timings, strict=True)
        if v.status not in NOT_WORKED and t != Timing.MISSED
    ]
    client_hours = sum(_visit_hours(v) * len(v.carers) for v in worked)
    carers: dict[str, set[str]] = defaultdict(set)
    for visit in in_period:
        carers[visit.client_id].update(visit.carers)
    counts = [len(seen) for seen in carers.values() if seen]
    problems, knowledge, behaviour, status = outcome_change(
        r
        for r in ratings
        if period.first_day <= r.rated_on < period.first_day + dt.timedelta(days=period.days)
    )
    return PeriodFigures(
        period=period,
        shift_hours=shift_hours,
        client_hours=client_hours,
        contracted_hours=sum(m.contracted_hours for m in members) * period.weeks,
        visits=len(in_period),
        late=timings.count(Timing.LATE),
        missed=timings.count(Timing.MISSED),
        clients=len(carers),
        carers_per_client=sum(counts) / len(counts) if counts else None,
        most_carers=max(counts, default=0),
        over_limit=sum(1 for c in counts if c > continuity_limit) if period.days == 7 else None,
        sickness_hours=sickness_hours(period, members, absences, zone),
        problems_rated=problems,
        knowledge_change=knowledge,
        behaviour_change=behaviour,
        status_change=status,
    )


def trend(
    periods: Sequence[Period],
    *,
    zone: ZoneInfo,
    members: Sequence[MemberRow],
    shifts: Sequence[ShiftRow],
    absences: Sequence[AbsenceRow],
    visits: Sequence[VisitRow],
    ratings: Sequence[RatingRow],
    continuity_limit: int,
    now: dt.datetime,
    grace_minutes: int,
) -> list[PeriodFigures]:
    return [
        period_figures(
            p,
            zone=zone,
            members=members,
            shifts=shifts,
            absences=absences,
            visits=visits,
            ratings=ratings,
            continuity_limit=continuity_limit,
            now=now,
            grace_minutes=grace_minutes,
        )
        for p in periods
    ]
