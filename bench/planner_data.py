"""A synthetic team week for the planner: members with shifts and days off, clients, visits; and,
when asked, windows the visits may move in and the members' start points."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling.planner.model import PlanInput, PlanMember, PlanRules, PlanVisit

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 11, 30, tzinfo=LONDON)
CENTRE = (52.63, 1.29)


def travel(a: tuple[float, float] | None, b: tuple[float, float] | None) -> int:
    """Straight line x 1.3 road factor at 30 km/h, as scheduling/travel.py estimates it."""
    if a is None or b is None:
        return 0
    dy = (a[0] - b[0]) * 111.0
    dx = (a[1] - b[1]) * 111.0 * math.cos(math.radians(a[0]))
    return math.ceil(math.hypot(dx, dy) * 1.3 / 30 * 60)


def _at(day: int, minute: int) -> datetime:
    return datetime.combine(
        (MONDAY + timedelta(days=day)).date(), datetime.min.time(), LONDON
    ) + timedelta(minutes=minute)


def team_week(
    members: int = 12, visits: int = 400, seed: int = 7, *, window: int = 0, homes: bool = False
) -> PlanInput:
    """The week; with `window`, every visit may start up to that many minutes after its planned
    start (as a pattern's visits are planned at the window's first minute); with `homes`, every
    member starts the day somewhere in the town. The same seed gives the same week either way."""
    week = _team_week(members, visits, seed)
    extra = random.Random(seed + 1_000_003)
    if window:
        week = replace(
            week,
            visits=tuple(
                replace(v, window_start=v.start, window_end=v.start + timedelta(minutes=window))
                for v in week.visits
            ),
        )
    if homes:
        week = replace(week, members=tuple(replace(m, home=_near(extra)) for m in week.members))
    return week


def _near(rng: random.Random) -> tuple[float, float]:
    return (CENTRE[0] + rng.uniform(-0.08, 0.08), CENTRE[1] + rng.uniform(-0.12, 0.12))


def _team_week(members: int, visits: int, seed: int) -> PlanInput:
    rng = random.Random(seed)
    roles = ["registered_nurse"] * 3 + ["nursing_associate"] + ["care_worker"] * (members - 4)
    people = []
    for k in range(members):
        off = {k % 7, (k + 3) % 7}
        late = k % 2 == 1
        shifts = tuple(
            (_at(d, 14 * 60 if late else 7 * 60), _at(d, 22 * 60 if late else 15 * 60))
            for d in range(7)
            if d not in off
        )
        skills = frozenset(
            rng.sample(["hoist", "medication", "catheter", "dementia"], k=rng.randint(1, 3))
        )
        if roles[k] == "registered_nurse":
            skills |= {"wound_care", "medication"}
        people.append(
            PlanMember(
                id=f"m{k}",
                name=f"Member {k}",
                role=roles[k],
                skills=skills,
                shifts=shifts,
                absences=(),
                contracted_minutes_per_week=rng.choice([22, 30, 37]) * 60,
                worked_minutes_before=rng.randint(30, 40) * 60 * 8,
                weeks_before=8,
            )
        )
    clients = [
        (
            f"c{k}",
            f"Client {k}",
            (CENTRE[0] + rng.uniform(-0.06, 0.06), CENTRE[1] + rng.uniform(-0.09, 0.09)),
        )
        for k in range(60)
    ]
    planned = []
    for k in range(visits):
        cid, cname, where = rng.choice(clients)
        day = rng.randrange(7)
        start = rng.randrange(7 * 60, 21 * 60, 15)
        length = rng.choice([15, 30, 30, 45, 60])
        nurse = rng.random() < 0.12
        planned.append(
            PlanVisit(
                id=f"v{k}",
                client_id=cid,
                client_name=cname,
                start=_at(day, start),
                end=_at(day, min(start + length, 22 * 60)),
                window_start=None,
                window_end=None,
                required_skills=frozenset(
                    {"wound_care"}
                    if nurse
                    else rng.sample(["hoist", "medication", "dementia"], k=1)
                )
                if rng.random() < 0.5
                else frozenset(),
                required_role="registered_nurse" if nurse else None,
                carers_needed=2 if rng.random() < 0.08 else 1,
                location=where,
            )
        )
    history = {
        (f"m{rng.randrange(members)}", c[0]): rng.randint(1, 6) for c in clients for _ in range(2)
    }
    primary = {c[0]: ("m0", "m1") if k % 2 else ("m2",) for k, c in enumerate(clients)}
    return PlanInput(
        members=tuple(people),
        visits=tuple(planned),
        rules=PlanRules(continuity_limit=6),
        travel_minutes=travel,
        history=history,
        primary=primary,
    )
