"""A scale team's week, Monday to Sunday: visit patterns, shifts, the week's draft record, the
generated visits, who goes to them and the notes of the visits already done. The records are
those `visit_pattern_create`, `shift_create`, `rota_week_open`, `week_generate`, `visit_assign`
and `note_write` would have written."""

import datetime as dt
import uuid
from collections import Counter, defaultdict

from careteams import timeutil
from careteams.models import Membership
from clients.models import CareProblem, Note, NoteProblem
from demo.careplans import Template, hhmm
from demo.scale_feed import Batch
from demo.scale_team import ScaleTeam
from demo.week import HOURS, LEFT_OPEN
from scheduling.models import RotaWeek, Shift, ShiftKind, Visit, VisitAssignment, VisitPattern

# Members on the late shift (tea and evening rounds, two of them nurses); the rest, the planner
# first, go early, when most visits are.
LATE_MEMBERS = frozenset({2, 4, 7, 9, 11})
NOTE_SHARE = 0.12
QUARTERS_A_DAY = 24 * 4
SPREAD = 90
ONE_OFF = dt.timedelta(minutes=30)
ONE_OFF_TASKS = (
    "Review the care plan with the client",
    "Blood pressure and weight check",
    "Check the medicines at home against the GP's list",
    "Falls risk check of the house",
)
SHARED_SHARE = 0.3


def _minutes(text: str) -> int:
    return hhmm(text).hour * 60 + hhmm(text).minute


def rota_plan(world: ScaleTeam, monday: dt.date) -> list[tuple[int, int, ShiftKind]]:
    """(member index, day of the week from 0, kind): five shifts a member, all early or all late
    (so the rest between shifts is kept), two days off never today, so all have rounds today."""
    off_base = (world.today - monday).days
    plan: list[tuple[int, int, ShiftKind]] = []
    for index in range(len(world.members)):
        kind = ShiftKind.LATE if index in LATE_MEMBERS else ShiftKind.EARLY
        days_off = {(off_base + 1 + index % 6) % 7, (off_base + 1 + (index + 1) % 6) % 7}
        plan.extend((index, offset, kind) for offset in range(7) if offset not in days_off)
    return plan


def _capacity(plan: list[tuple[int, int, ShiftKind]]) -> dict[int, list[int]]:
    """How many members are on shift in each quarter hour of each weekday (1 = Monday), less
    one: a planner keeps someone spare rather than promise every carer at the busiest time."""
    free = {day: [-1] * QUARTERS_A_DAY for day in range(1, 8)}
    for _, offset, kind in plan:
        start, end = (_minutes(text) // 15 for text in HOURS[kind])
        for quarter in range(start, end):
            free[offset + 1][quarter] += 1
    return free


def _starts(slots: tuple[str, ...], minutes: int) -> list[int]:
    """The round's usual times and the quarter hours up to SPREAD either side (inside the
    shifts): a team of twelve cannot all be at the door at 08:15."""
    first, last = _minutes(HOURS[ShiftKind.EARLY][0]), _minutes(HOURS[ShiftKind.LATE][1])
    usual = [_minutes(slot) for slot in slots]
    wanted = {m + step for m in usual for step in range(-SPREAD, SPREAD + 1, 15)}
    return sorted(m for m in wanted if first <= m and m + minutes <= last)


def build_patterns(
    world: ScaleTeam, plan: list[tuple[int, int, ShiftKind]], batch: Batch
) -> tuple[list[VisitPattern], dict[object, tuple[CareProblem, Template]]]:
    """A recurring visit for each care-plan problem that needs one (up to three a client, never
    overlapping), at the time near the round's usual ones where the team has most people free."""
    free = _capacity(plan)
    patterns: list[VisitPattern] = []
    made: dict[object, tuple[CareProblem, Template]] = {}
    moment = world.at(world.today - dt.timedelta(weeks=9), 14)
    for client in world.clients:
        taken: list[tuple[int, int]] = []
        for problem, template in world.plans[client.id]:
            round_ = template.round
            if round_ is None:
                continue
            span = -(-round_.minutes // 15)

            def spare(m: int, span: int = span, days: tuple[int, ...] = round_.weekdays) -> int:
                return min(min(free[day][m // 15 : m // 15 + span]) for day in days)

            fits = [
                m
                for m in _starts(round_.slots, round_.minutes)
                if all(m >= end + 30 or m + round_.minutes + 30 <= start for start, end in taken)
                and spare(m) >= round_.carers
            ]
            if not fits:
                continue
            start = max(fits, key=lambda m: (spare(m), world.rng.random()))
            for day in round_.weekdays:
                for quarter in range(start // 15, start // 15 + span):
                    free[day][quarter] -= round_.carers
            taken.append((start, start + round_.minutes))
            moment += dt.timedelta(seconds=30)
            pattern = VisitPattern(
                team_id=world.team.pk,
                client_id=client.pk,
                weekdays=sorted(set(round_.weekdays)),
                window_start=dt.time(start // 60, start % 60),
                window_end=dt.time((start + 45) // 60, (start + 45) % 60),
                duration_minutes=round_.minutes,
                required_skills=list(round_.skills),
                carers_needed=round_.carers,
                tasks=list(round_.tasks),
                valid_from=moment.date(),
            )
            world.feed.record(
                entity="visit_pattern",
                obj=pattern,
                actor=world.user_of(world.planner),
                at=moment,
                client_id=client.id,
            )
            batch.add(pattern)
            patterns.append(pattern)
            made[pattern.pk] = (problem, template)
    return patterns, made


def build_rota(
    world: ScaleTeam,
    plan: list[tuple[int, int, ShiftKind]],
    monday: dt.date,
    moment: dt.datetime,
    batch: Batch,
) -> list[Shift]:
    """The planned shifts, and the week's record as a draft (the team is still planning)."""
    shifts = []
    for index, offset, kind in plan:
        start_text, end_text = HOURS[kind]
        day = monday + dt.timedelta(days=offset)
        moment += dt.timedelta(seconds=5)
        shift = Shift(
            team_id=world.team.pk,
            member_id=world.members[index].pk,
            start=dt.datetime.combine(day, hhmm(start_text), tzinfo=world.team.zone),
            end=dt.datetime.combine(day, hhmm(end_text), tzinfo=world.team.zone),
            kind=kind,
            break_minutes=30,
        )
        world.feed.record(entity="shift", obj=shift, actor=world.user_of(world.planner), at=moment)
        batch.add(shift)
        shifts.append(shift)
    week = RotaWeek(team_id=world.team.pk, week_start=monday)
    world.feed.record(
        entity="rota_week",
        obj=week,
        actor=world.user_of(world.planner),
        at=moment + dt.timedelta(seconds=1),
    )
    batch.add(week)
    return shifts


def generate_visits(
    world: ScaleTeam, patterns: list[VisitPattern], monday: dt.date, moment: dt.datetime
) -> list[Visit]:
    """The week's visits, one per pattern and day, as `week_generate` makes them."""
    zone = world.team.zone
    visits = []
    for pattern in patterns:
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            if day.isoweekday() not in pattern.weekdays:
                continue
            start = dt.datetime.combine(day, pattern.window_start, tzinfo=zone)
            # Adding in UTC keeps a 30-minute visit 30 minutes long over a clock change.
            end = (
                start.astimezone(dt.UTC) + dt.timedelta(minutes=pattern.duration_minutes)
            ).astimezone(zone)
            visits.append(
                Visit(
                    team_id=world.team.pk,
                    client_id=pattern.client_id,
                    pattern_id=pattern.pk,
                    planned_start=start,
                    planned_end=end,
                    window_start=start,
                    window_end=dt.datetime.combine(day, pattern.window_end, tzinfo=zone),
                    required_skills=list(pattern.required_skills),
                    required_role=pattern.required_role,
                    carers_needed=pattern.carers_needed,
                    tasks=list(pattern.tasks),
                )
            )
    visits.sort(key=lambda v: (v.planned_start, str(v.client_id)))
    for visit in visits:
        world.feed.record(
            entity="visit",
            obj=visit,
            actor=world.user_of(world.planner),
            at=moment,
            client_id=visit.client_id,
        )
    return visits


def assign(
    world: ScaleTeam, visits: list[Visit], shifts: list[Shift], moment: dt.datetime, batch: Batch
) -> dict[uuid.UUID, list[Membership]]:
    """Greedy, like a planner with a pen: someone on shift with the skills and the time, who
    knows the client, with the fewest visits that day. A few future visits stay open."""
    future = [v for v in visits if v.planned_start > world.now]
    left_open = {v.pk for v in world.rng.sample(future, min(LEFT_OPEN, len(future)))}
    booked: dict[object, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    load: Counter[tuple[object, dt.date]] = Counter()
    knows: Counter[tuple[object, object]] = Counter()
    carers: dict[uuid.UUID, list[Membership]] = {}
    members = {m.pk: m for m in world.members}
    skills = {m.pk: set(m.skills) for m in world.members}
    on_day: dict[dt.date, list[Shift]] = defaultdict(list)
    for shift in shifts:
        on_day[shift.start.astimezone(world.team.zone).date()].append(shift)
    for visit in visits:
        if visit.pk in left_open:
            continue
        day = visit.planned_start.astimezone(world.team.zone).date()

        def free(member: Membership, visit: Visit = visit) -> bool:
            return all(
                visit.planned_start >= end or visit.planned_end <= start
                for start, end in booked[member.pk]
            )

        able = [
            members[s.member_id]
            for s in on_day[day]
            if s.start <= visit.planned_start
            and visit.planned_end <= s.end
            and skills[s.member_id] >= set(visit.required_skills)
            and free(members[s.member_id])
        ]
        able.sort(key=lambda m: (load[(m.pk, day)], -knows[(m.pk, visit.client_id)]))
        chosen = able[: visit.carers_needed] if len(able) >= visit.carers_needed else []
        for member in chosen:
            moment += dt.timedelta(seconds=2)
            _assign_one(world, visit, member, moment, batch)
            booked[member.pk].append((visit.planned_start, visit.planned_end))
            load[(member.pk, day)] += 1
            knows[(member.pk, visit.client_id)] += 1
        if chosen:
            carers[visit.pk] = chosen
    return carers


def add_one_offs(
    world: ScaleTeam,
    visits: list[Visit],
    carers: dict[uuid.UUID, list[Membership]],
    shifts: list[Shift],
    moment: dt.datetime,
    batch: Batch,
) -> None:
    """Today everyone is on, more than the rounds need: the planner fills each member's day
    with one-off visits (reviews, checks) in their free time, `visit_create` then `visit_assign`
    each, so that every "my day" has six to nine visits."""
    zone = world.team.zone
    planner = world.user_of(world.planner)
    today = [v for v in visits if v.planned_start.astimezone(zone).date() == world.today]
    booked: dict[object, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for visit in today:
        for member in carers.get(visit.pk, []):
            booked[member.pk].append((visit.planned_start, visit.planned_end))
    by_member = {s.member_id: s for s in shifts if s.start.astimezone(zone).date() == world.today}
    for member in world.members:
        shift = by_member[member.pk]
        want = world.rng.randint(6, 9) - len(booked[member.pk])
        start = shift.start + dt.timedelta(minutes=15)
        while want > 0 and start + ONE_OFF <= shift.end - dt.timedelta(minutes=15):
            end = start + ONE_OFF
            if any(start < b_end and b_start < end for b_start, b_end in booked[member.pk]):
                start += dt.timedelta(minutes=15)
                continue
            client = world.rng.choice(world.clients)
            moment += dt.timedelta(seconds=2)
            visit = Visit(
                team_id=world.team.pk,
                client_id=client.pk,
                planned_start=start,
                planned_end=end,
                window_start=start,
                window_end=start + dt.timedelta(minutes=30),
                tasks=[world.rng.choice(ONE_OFF_TASKS)],
                edited_by_hand=True,
            )
            world.feed.record(
                entity="visit", obj=visit, actor=planner, at=moment, client_id=client.pk
            )
            _assign_one(world, visit, member, moment + dt.timedelta(seconds=1), batch)
            visits.append(visit)
            carers[visit.pk] = [member]
            booked[member.pk].append((start, end))
            want -= 1
            start = end + dt.timedelta(minutes=15)


def _assign_one(
    world: ScaleTeam, visit: Visit, member: Membership, moment: dt.datetime, batch: Batch
) -> None:
    """What `visit_assign` writes: the assignment, then the visit's next version."""
    planner = world.user_of(world.planner)
    assignment = VisitAssignment(
        team_id=world.team.pk,
        visit_id=visit.pk,
        member_id=member.pk,
        assigned_by_id=planner.pk,
        assigned_at=moment,
    )
    world.feed.record(
        entity="visit_assignment",
        obj=assignment,
        actor=planner,
        at=moment,
        client_id=visit.client_id,
    )
    visit.version += 1
    world.feed.record(
        entity="visit", obj=visit, actor=planner, at=moment, client_id=visit.client_id
    )
    batch.add(assignment)


def write_notes(
    world: ScaleTeam,
    visits: list[Visit],
    carers: dict[uuid.UUID, list[Membership]],
    problems: dict[object, tuple[CareProblem, Template]],
    batch: Batch,
) -> None:
    """A note after some of the visits already over, by the carer who went, about the problem
    the visit is for; received a few seconds after it was written."""
    rng = world.rng
    for visit in visits:
        if visit.pattern_id is None or visit.pk not in carers or rng.random() >= NOTE_SHARE:
            continue
        recorded = (visit.planned_end + dt.timedelta(minutes=rng.randint(1, 10))).astimezone(dt.UTC)
        received = recorded + dt.timedelta(seconds=3)
        if received > world.now:
            continue
        problem, template = problems[visit.pattern_id]
        author = world.user_of(carers[visit.pk][0])
        note = Note(
            team_id=world.team.pk,
            client_id=visit.client_id,
            author_id=author.pk,
            visit_id=visit.pk,
            body=rng.choice(template.notes),
            shareable=rng.random() < SHARED_SHARE,
            recorded_at=recorded,
            received_at=received,
        )
        # The feed entry note_write builds (its times to the microsecond, its problems).
        data = {
            "id": str(note.id),
            "team_id": str(world.team.pk),
            "client_id": str(visit.client_id),
            "author_id": str(author.pk),
            "visit_id": str(visit.id),
            "body": note.body,
            "shareable": note.shareable,
            "amends_id": None,
            "problem_ids": [str(problem.id)],
            "recorded_at": recorded.isoformat(),
            "received_at": received.isoformat(),
            "version": 1,
        }
        world.feed.record(
            entity="note", obj=note, actor=author, at=received, client_id=visit.client_id, data=data
        )
        batch.add(note, NoteProblem(team_id=world.team.pk, note_id=note.pk, problem_id=problem.pk))


def build_week(world: ScaleTeam, batch: Batch) -> None:
    """This week, planned last Thursday morning: shifts, the week's record, its visits and
    carers; then what was written at the visits so far."""
    monday = timeutil.monday_of(world.today)
    planned = world.at(monday - dt.timedelta(days=4), 10)
    plan = rota_plan(world, monday)
    patterns, problems = build_patterns(world, plan, batch)
    shifts = build_rota(world, plan, monday, planned, batch)
    visits = generate_visits(world, patterns, monday, planned + dt.timedelta(hours=1))
    carers = assign(world, visits, shifts, planned + dt.timedelta(hours=2), batch)
    add_one_offs(world, visits, carers, shifts, planned + dt.timedelta(hours=3), batch)
    batch.add(*visits)
    write_notes(world, visits, carers, problems, batch)
