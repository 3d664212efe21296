"""Two weeks back and two ahead: visit patterns, shifts, absences, the generated visits and who
goes to them, and what happened at the visits already past."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from careteams import timeutil
from careteams.models import Membership
from clients.models import ClientStatus
from demo.careplans import hhmm
from demo.clients import Caseload
from demo.context import Context
from demo.people import TeamWorld
from scheduling.models import AbsenceKind, RotaWeek, Shift, ShiftKind, Visit
from scheduling.selectors.visit_card import visit_tasks
from scheduling.services.attendance import visit_check_in, visit_check_out
from scheduling.services.patterns import PatternDetails, visit_pattern_create, week_generate
from scheduling.services.shifts import absence_create, shift_create
from scheduling.services.visit_records import visit_missed_record, visit_task_outcome_record
from scheduling.services.visits import visit_assign
from scheduling.services.weeks import rota_week_open, rota_week_publish
from scheduling.visit_models import MissedReason, NotDoneReason, TaskOutcome

# (start, end) local times: 8 hours with a 30-minute break, so 7.5 paid hours a shift.
HOURS = {
    ShiftKind.EARLY: ("07:30", "15:30"),
    ShiftKind.LATE: ("14:00", "22:00"),
    ShiftKind.OFFICE: ("09:00", "17:00"),
}
ROTA_LETTERS = {"E": ShiftKind.EARLY, "L": ShiftKind.LATE, "O": ShiftKind.OFFICE}
# Member index -> (kind, first day, number of days) of this week's absence, per team.
ABSENCES = {
    "riverside": {6: (AbsenceKind.ANNUAL_LEAVE, 3, 2), 7: (AbsenceKind.SICKNESS, 0, 2)},
    "teifi": {6: (AbsenceKind.ANNUAL_LEAVE, 0, 2), 5: (AbsenceKind.TRAINING, 2, 1)},
}
ABSENCE_NOTES = {
    AbsenceKind.ANNUAL_LEAVE: "Family holiday, booked in March.",
    AbsenceKind.SICKNESS: "Flu-like illness; 48 hours clear before returning.",
    AbsenceKind.TRAINING: "Catheter and continence update, Glangwili.",
}
# Unassigned on purpose in each week still to come, so the board has something to sort out.
LEFT_OPEN = 4
REST = dt.timedelta(hours=11)
# Of the visits already begun: nobody came to a few, a few more were checked in late.
MISSED_SHARE = 0.04
COULD_NOT = (
    "Skin too fragile today; told the district nurse.",
    "No supplies left in the house; ordered more.",
    "Client in too much pain to stand; GP called.",
)
MISSED_REASONS = (MissedReason.NOT_HOME, MissedReason.IN_HOSPITAL, MissedReason.DECLINED, "other")
# Changes to a published week, each a notice on the member's day.
NOTICES = 3
LATE_SHARE = 0.08


@dataclass
class Week:
    monday: dt.date
    visits: list[Visit] = field(default_factory=list)
    carers: dict[object, list[Membership]] = field(default_factory=dict)


def _local(world: TeamWorld, day: dt.date, hhmm_text: str) -> dt.datetime:
    return dt.datetime.combine(day, hhmm(hhmm_text), tzinfo=world.team.zone)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def build_patterns(ctx: Context, world: TeamWorld, caseload: Caseload) -> None:
    """One or two recurring visits a client, from the first care-plan problems that need one."""
    # How many visits a week already start at each time: new patterns go where it is quietest,
    # as a team spreads its rounds over the morning instead of promising everyone 08:15.
    busy: Counter[int] = Counter()
    for client in caseload.clients:
        taken: list[tuple[int, int]] = []
        for _, template in caseload.plans[client.id]:
            round_ = template.round
            if round_ is None or len(taken) == 2:
                continue
            slots = list(round_.slots)
            ctx.rng.shuffle(slots)
            # One client's visits never overlap: a carer needs time to leave before the next.
            fits = [
                s
                for s in slots
                if all(
                    _minutes(s) >= end + 30 or _minutes(s) + round_.minutes + 30 <= start
                    for start, end in taken
                )
            ]
            if not fits:
                continue
            start = min((_minutes(s) for s in fits), key=lambda m: busy[m])
            busy[start] += len(round_.weekdays) * round_.carers
            taken.append((start, start + round_.minutes))
            discharged = client.status == ClientStatus.DISCHARGED
            details = PatternDetails(
                weekdays=list(round_.weekdays),
                window_start=dt.time(start // 60, start % 60),
                window_end=dt.time((start + 45) // 60, (start + 45) % 60),
                duration_minutes=round_.minutes,
                required_skills=list(round_.skills),
                carers_needed=round_.carers,
                tasks=list(round_.tasks),
                active=not discharged,
                valid_from=ctx.now.date() - dt.timedelta(days=ctx.rng.randint(30, 200)),
                valid_until=ctx.now.date() - dt.timedelta(days=10) if discharged else None,
            )
            visit_pattern_create(
                team=world.team, client=client, details=details, actor=world.planner.user
            )


def build_rota(
    ctx: Context,
    world: TeamWorld,
    monday: dt.date,
    last_end: dict[object, dt.datetime],
    *,
    absences: bool,
) -> None:
    """One week of the members' usual rota. A shift that would leave less than 11 hours' rest
    after the member's last one (a Sunday late before a Monday early) is left off, as the planner
    would; this week's absences only in the week the demo is loaded."""
    actor = world.planner.user
    away: dict[object, set[int]] = defaultdict(set)
    for index, (kind, first, length) in ABSENCES[world.spec.key].items() if absences else ():
        member = world.members[index]
        absence_create(
            team=world.team,
            member=member,
            kind=kind,
            start=_local(world, monday + dt.timedelta(days=first), "00:00"),
            end=_local(world, monday + dt.timedelta(days=first + length), "00:00"),
            note=ABSENCE_NOTES[kind],
            actor=actor,
        )
        away[member.pk].update(range(first, first + length))
    for member, spec in zip(world.members, world.spec.members, strict=True):
        for day, letter in enumerate(spec.rota):
            if letter not in ROTA_LETTERS or day in away[member.pk]:
                continue
            shift_kind = ROTA_LETTERS[letter]
            start, end = HOURS[shift_kind]
            date = monday + dt.timedelta(days=day)
            starts = _local(world, date, start)
            before = last_end.get(member.pk)
            if before is not None and starts - before < REST:
                continue
            shift_create(
                team=world.team,
                member=member,
                start=starts,
                end=_local(world, date, end),
                kind=shift_kind,
                break_minutes=30,
                note="Planning the week" if shift_kind == ShiftKind.OFFICE else "",
                actor=actor,
            )
            last_end[member.pk] = _local(world, date, end)
    rota_week_open(team=world.team, monday=monday, actor=actor)


def _assign(
    ctx: Context,
    world: TeamWorld,
    visits: list[Visit],
    knows: dict[tuple[object, object], int],
) -> dict[object, list[Membership]]:
    """Greedy, like a planner with a pen: someone with the skills who already knows the client
    (from this week or the weeks before), else the least specialised, else whoever has had
    fewest visits."""
    if not visits:
        return {}
    shifts = list(
        Shift.objects.filter(
            team=world.team,
            start__lt=max(v.planned_end for v in visits),
            end__gt=visits[0].planned_start,
        ).select_related("member__user")
    )
    booked: dict[object, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    load: dict[object, int] = defaultdict(int)
    future = [v for v in visits if v.planned_start > ctx.now]
    left_open = {v.pk for v in ctx.rng.sample(future, min(LEFT_OPEN, len(future)))}
    carers: dict[object, list[Membership]] = {}
    for visit in visits:
        if visit.pk in left_open:
            continue

        def free(member: Membership, visit: Visit = visit) -> bool:
            return all(
                visit.planned_start >= end or visit.planned_end <= start
                for start, end in booked[member.pk]
            )

        # The planner's office day is for planning, not rounds.
        on_shift = [
            s.member
            for s in shifts
            if s.kind != ShiftKind.OFFICE
            and s.start <= visit.planned_start
            and visit.planned_end <= s.end
        ]
        able = [m for m in on_shift if set(visit.required_skills) <= set(m.skills) and free(m)]
        able.sort(
            key=lambda m: (
                -knows[(m.pk, visit.client_id)],
                len(m.skills) - len(visit.required_skills),
                load[m.pk],
                m.user.email,
            )
        )
        # A double-up with one carer is no visit at all: leave it open for the team instead.
        chosen = able[: visit.carers_needed] if len(able) >= visit.carers_needed else []
        for member in chosen:
            assignment = visit_assign(
                visit=visit, version=visit.version, member=member, actor=world.planner.user
            )
            visit.version = assignment.visit.version
            booked[member.pk].append((visit.planned_start, visit.planned_end))
            load[member.pk] += 1
            knows[(member.pk, visit.client_id)] += 1
        if chosen:
            carers[visit.pk] = chosen
    return carers


def _outcomes(ctx: Context, visit: Visit, carer: Membership) -> None:
    """The checklist of a visit, each task marked as the carer went: most done, now and then
    one refused, not needed or not possible (with a note)."""
    for task in visit_tasks(visit):
        roll = ctx.rng.random()
        if roll < 0.88:
            outcome, reason, note = TaskOutcome.DONE, "", ""
        else:
            outcome = TaskOutcome.NOT_DONE
            reason = ctx.rng.choice(NotDoneReason.values)
            note = ctx.rng.choice(COULD_NOT) if reason == NotDoneReason.COULD_NOT else ""
        visit_task_outcome_record(
            visit=visit,
            task_key=task.key,
            outcome=outcome,
            reason=reason,
            note=note,
            actor=carer.user,
        )


def _explain_missed(ctx: Context, world: TeamWorld, missed: list[Visit]) -> None:
    """Half the missed visits of the days gone by have their reason, recorded the next morning
    by the planner; the others wait on the team's day for someone to say why."""
    for visit in missed[::2]:
        day = visit.planned_start.astimezone(world.team.zone).date() + dt.timedelta(days=1)
        moment = dt.datetime.combine(day, dt.time(9, 5), tzinfo=world.team.zone)
        if moment > ctx.now:
            continue
        reason = ctx.rng.choice(MISSED_REASONS)
        with ctx.clock.at(moment):
            visit_missed_record(
                visit=visit,
                version=visit.version,
                reason=reason,
                note="Roads closed by flooding at the bridge." if reason == "other" else "",
                actor=world.planner.user,
            )


def _progress(ctx: Context, world: TeamWorld, span: Week) -> None:
    """What happened at the visits already begun: most done on time (checked in and out on the
    tablet, each received seconds later, the tasks of the last two days marked), some checked in
    late, a few missed (nobody came). Today, the last visit already due is not checked in yet,
    so the team's day has a late visit to show."""
    zone = world.team.zone
    today = timeutil.local_today(zone, now=ctx.now)
    outcomes_from = timeutil.day_bounds(zone, today - dt.timedelta(days=1))[0]
    grace = dt.timedelta(minutes=world.team.late_grace_minutes)
    due_today = [
        v
        for v in span.visits
        if v.planned_start.astimezone(zone).date() == today
        and (v.window_end or v.planned_start) + grace < ctx.now
        and len(span.carers.get(v.pk, [])) >= v.carers_needed
    ]
    kept_late = due_today[-1].pk if due_today else None
    missed: list[Visit] = []
    for index, visit in enumerate(span.visits):
        if len(span.carers.get(visit.pk, [])) < visit.carers_needed:
            continue
        if visit.planned_start > ctx.now:
            continue
        carer = span.carers[visit.pk][0]
        fate = ctx.rng.random()
        if fate < MISSED_SHARE or visit.pk == kept_late:
            if visit.planned_start.astimezone(zone).date() < today:
                missed.append(visit)
            continue
        latest = visit.window_end or visit.planned_start
        if fate < MISSED_SHARE + LATE_SHARE:
            checked_in = latest + grace + dt.timedelta(minutes=ctx.rng.randint(1, 25))
        else:
            checked_in = visit.planned_start + dt.timedelta(minutes=ctx.rng.randint(-5, 12))
        if checked_in > ctx.now:
            continue
        with ctx.clock.at(checked_in + dt.timedelta(seconds=2)):
            visit = visit_check_in(
                visit=visit, version=visit.version, member=carer, actor=carer.user, at=checked_in
            )
        checked_out = checked_in + (visit.planned_end - visit.planned_start)
        checked_out += dt.timedelta(minutes=ctx.rng.randint(0, 8))
        if visit.planned_start >= outcomes_from:
            with ctx.clock.at(min(checked_out, ctx.now)):
                _outcomes(ctx, visit, carer)
        if checked_out <= ctx.now:
            with ctx.clock.at(checked_out + dt.timedelta(seconds=3)):
                visit = visit_check_out(
                    visit=visit,
                    version=visit.version,
                    member=carer,
                    actor=carer.user,
                    at=checked_out,
                )
        span.visits[index] = visit
    _explain_missed(ctx, world, missed)


def build_week(ctx: Context, world: TeamWorld, caseload: Caseload) -> Week:
    """Two weeks back and two weeks ahead of the day the demo is loaded, whole weeks from
    Monday: the weeks up to next week published, the one after still a draft."""
    today = timeutil.local_today(world.team.zone, now=ctx.now)
    this_monday = timeutil.monday_of(today)
    first = timeutil.monday_of(today - dt.timedelta(days=ctx.span_days))
    last = timeutil.monday_of(today + dt.timedelta(days=ctx.span_days))
    build_patterns(ctx, world, caseload)
    last_end: dict[object, dt.datetime] = {}
    knows: dict[tuple[object, object], int] = defaultdict(int)
    span = Week(monday=this_monday)
    monday = first
    while monday <= last:
        build_rota(ctx, world, monday, last_end, absences=monday == this_monday)
        week_generate(team=world.team, monday=monday, actor=world.planner.user)
        start, end = timeutil.week_bounds(world.team.zone, monday)
        visits = list(
            Visit.objects.filter(
                team=world.team, planned_start__gte=start, planned_start__lt=end
            ).order_by("planned_start", "client__family_name")
        )
        span.visits.extend(visits)
        span.carers |= _assign(ctx, world, visits, knows)
        if monday <= this_monday + dt.timedelta(days=7):
            week = RotaWeek.objects.get(team=world.team, week_start=monday)
            rota_week_publish(
                team=world.team, monday=monday, version=week.version, actor=world.planner.user
            )
        monday += dt.timedelta(days=7)
    _progress(ctx, world, span)
    _changes_after_publishing(ctx, world, span)
    return span


def _changes_after_publishing(ctx: Context, world: TeamWorld, span: Week) -> None:
    """Visits left open in the published weeks, taken on by the carer who signs in to the demo
    (when they can do them): each change tells them with a notice on their day."""
    member = next(
        (
            m
            for m, spec in zip(world.members, world.spec.members, strict=True)
            if spec.sign_in == "carer"
        ),
        None,
    )
    if member is None:
        return
    horizon = timeutil.week_bounds(world.team.zone, span.monday + dt.timedelta(days=7))[1]
    shifts = list(Shift.objects.filter(member=member, start__gt=ctx.now, start__lt=horizon))
    booked = [
        (v.planned_start, v.planned_end) for v in span.visits if member in span.carers.get(v.pk, [])
    ]
    taken = 0
    for index, visit in enumerate(span.visits):
        if taken == NOTICES or visit.pk in span.carers or visit.carers_needed != 1:
            continue
        fits = any(s.start <= visit.planned_start and visit.planned_end <= s.end for s in shifts)
        free = all(visit.planned_start >= e or visit.planned_end <= b for b, e in booked)
        if not (fits and free and set(visit.required_skills) <= set(member.skills)):
            continue
        assignment = visit_assign(
            visit=visit, version=visit.version, member=member, actor=world.planner.user
        )
        span.visits[index] = assignment.visit
        span.carers[visit.pk] = [member]
        booked.append((visit.planned_start, visit.planned_end))
        taken += 1
