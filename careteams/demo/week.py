"""This week: visit patterns, shifts, absences, the generated visits and who goes to them."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from careteams import timeutil
from careteams.demo.careplans import hhmm
from careteams.demo.clients import Caseload
from careteams.demo.context import Context
from careteams.demo.people import TeamWorld
from careteams.models import Membership
from clients.models import ClientStatus
from scheduling.models import AbsenceKind, Shift, ShiftKind, Visit
from scheduling.services.patterns import PatternDetails, visit_pattern_create, week_generate
from scheduling.services.shifts import absence_create, shift_create
from scheduling.services.visits import visit_assign, visit_check_in, visit_check_out
from scheduling.services.weeks import rota_week_open

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
# Unassigned on purpose, so the week board has something for the team to sort out.
LEFT_OPEN = 4


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


def build_rota(ctx: Context, world: TeamWorld, monday: dt.date) -> None:
    actor = world.planner.user
    away: dict[object, set[int]] = defaultdict(set)
    for index, (kind, first, length) in ABSENCES[world.spec.key].items():
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
            shift_create(
                team=world.team,
                member=member,
                start=_local(world, date, start),
                end=_local(world, date, end),
                kind=shift_kind,
                break_minutes=30,
                note="Planning the week" if shift_kind == ShiftKind.OFFICE else "",
                actor=actor,
            )
    rota_week_open(team=world.team, monday=monday, actor=actor)


def _assign(ctx: Context, world: TeamWorld, visits: list[Visit]) -> dict[object, list[Membership]]:
    """Greedy, like a planner with a pen: someone with the skills who already knows the client,
    else the least specialised, else whoever has had fewest visits."""
    shifts = list(Shift.objects.filter(team=world.team).select_related("member"))
    booked: dict[object, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    load: dict[object, int] = defaultdict(int)
    knows: dict[tuple[object, object], int] = defaultdict(int)
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


def _progress(ctx: Context, week: Week) -> None:
    """Visits already over were done (checked in and out on the tablet, each received seconds
    later); one is under way."""
    for index, visit in enumerate(week.visits):
        if len(week.carers.get(visit.pk, [])) < visit.carers_needed:
            continue
        carer = week.carers[visit.pk][0]
        if visit.planned_end <= ctx.now:
            checked_in = visit.planned_start + dt.timedelta(minutes=ctx.rng.randint(-5, 12))
            checked_out = visit.planned_end + dt.timedelta(minutes=ctx.rng.randint(0, 8))
            checked_out = min(checked_out, ctx.now)
            with ctx.clock.at(checked_in + dt.timedelta(seconds=2)):
                visit = visit_check_in(
                    visit=visit,
                    version=visit.version,
                    member=carer,
                    actor=carer.user,
                    at=checked_in,
                )
            with ctx.clock.at(checked_out + dt.timedelta(seconds=3)):
                visit = visit_check_out(
                    visit=visit,
                    version=visit.version,
                    member=carer,
                    actor=carer.user,
                    at=checked_out,
                )
        elif visit.planned_start <= ctx.now:
            checked_in = min(visit.planned_start + dt.timedelta(minutes=2), ctx.now)
            with ctx.clock.at(checked_in):
                visit = visit_check_in(
                    visit=visit,
                    version=visit.version,
                    member=carer,
                    actor=carer.user,
                    at=checked_in,
                )
        week.visits[index] = visit


def build_week(ctx: Context, world: TeamWorld, caseload: Caseload) -> Week:
    monday = timeutil.monday_of(timeutil.local_today(world.team.zone, now=ctx.now))
    build_patterns(ctx, world, caseload)
    build_rota(ctx, world, monday)
    week_generate(team=world.team, monday=monday, actor=world.planner.user)
    start, end = timeutil.week_bounds(world.team.zone, monday)
    visits = list(
        Visit.objects.filter(
            team=world.team, planned_start__gte=start, planned_start__lt=end
        ).order_by("planned_start", "client__family_name")
    )
    week = Week(monday=monday, visits=visits)
    week.carers = _assign(ctx, world, visits)
    _progress(ctx, week)
    return week
