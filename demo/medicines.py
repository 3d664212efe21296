"""Medicines on a few clients' records, so the demo shows the medicines list, the doses on the
visit card and the MAR chart.

Each line is transcribed by one nurse and checked by another member, as a real team would.
Scheduled lines start tomorrow at the times of the client's visits that day (one is given with
the visit of that part of the day instead), so the demo holds no dose that nobody recorded
before it was loaded (the MAR would show gaps nobody made); the when-required painkiller starts
today, since it is never due by itself.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from careteams import timeutil
from careteams.models import Membership
from clients.models import Client
from demo.clients import Caseload
from demo.context import Context
from demo.people import TeamWorld
from demo.week import Week
from medicines import services
from medicines.services.details import LineDetails
from medicines.timing import part_of
from medicines.vocabulary import VisitPart


def _visit_times(world: TeamWorld, week: Week, client: Client, day: dt.date) -> list[str]:
    zone = world.team.zone
    starts = sorted(
        visit.planned_start.astimezone(zone)
        for visit in week.visits
        if visit.client_id == client.pk and visit.planned_start.astimezone(zone).date() == day
    )
    return [f"{start:%H:%M}" for start in starts]


def _line(day: dt.date, **fields: Any) -> LineDetails:
    values: dict[str, Any] = {
        "form": "tablet",
        "route": "oral",
        "dose_min": Decimal(1),
        "dose_max": Decimal(1),
        "dose_unit": "tablet",
        "support": "administer",
        "starts_on": day,
        "supply": "blister",
        "source": "gp_letter",
        "time_tolerance_minutes": 60,
    }
    return LineDetails(**(values | fields))


def _add(world: TeamWorld, checker: Membership, client: Client, details: LineDetails) -> None:
    nurse = world.nurses[0].user
    line = services.line_add(user=nurse, client=client, details=details)
    services.line_check(user=checker.user, line=line, version=line.version)


def build_medicines(ctx: Context, world: TeamWorld, caseload: Caseload, week: Week) -> None:
    today = timeutil.local_today(world.team.zone, now=ctx.now)
    tomorrow = today + dt.timedelta(days=1)
    nurse = world.nurses[0]
    checker = next(m for m in world.members if m.pk != nurse.pk)
    # The first two clients with visits tomorrow (not every client is visited every day).
    # A short demo (tests may build a few days only) may have none.
    visited = [c for c in caseload.clients if _visit_times(world, week, c, tomorrow)][:2]
    third = next(c for c in caseload.clients if c not in visited)
    if visited:
        first = visited[0]
        times = _visit_times(world, week, first, tomorrow)
        _add(
            world,
            checker,
            first,
            _line(
                tomorrow,
                name="Ramipril",
                strength="5 mg",
                form="capsule",
                dose_unit="capsule",
                times=times[:1],
            ),
        )
        _add(
            world,
            checker,
            first,
            _line(
                tomorrow,
                name="Metformin",
                strength="500 mg",
                times=sorted({times[0], times[-1]}),
                food="with",
                instructions="With food, or straight after it.",
            ),
        )
        # Given with a visit rather than at a time: the part of the day of its first visit.
        part = part_of(dt.time.fromisoformat(times[0])) or VisitPart.MORNING
        _add(
            world,
            checker,
            first,
            _line(
                tomorrow,
                name="Levothyroxine",
                strength="50 micrograms",
                visit_part=part,
                food="without",
                instructions="On an empty stomach: half an hour before food or a hot drink.",
            ),
        )
    if len(visited) > 1:
        second = visited[1]
        times = _visit_times(world, week, second, tomorrow)
        _add(
            world,
            checker,
            second,
            _line(
                tomorrow,
                name="Co-careldopa",
                strength="25 mg/100 mg",
                ingredients="carbidopa, levodopa",
                times=times[:1],
                time_critical=True,
                time_tolerance_minutes=30,
                instructions="Parkinson's medicine: give on time.",
            ),
        )
    _add(
        world,
        checker,
        third,
        _line(
            today,
            name="Paracetamol",
            strength="500 mg",
            dose_max=Decimal(2),
            support="prompt",
            supply="original",
            prn=True,
            prn_for="Pain in the hip",
            prn_min_interval_minutes=240,
            prn_max_24h=Decimal(8),
            prn_if_ineffective="Tell the nurse; the GP may review it.",
        ),
    )
