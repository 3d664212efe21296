"""Where the clients live (for travel between visits) and one fortnightly round with its usual
carers, built through the services like the rest of the demo.

Built after the week: the round starts next week, so this week's visits and who goes to them
stay as the week builder made them; generating next week brings its first visits."""

import dataclasses
import datetime as dt
import random

from careteams import timeutil
from careteams.models import Role
from clients.models import Client, ClientStatus
from clients.services.clients import ClientDetails, client_update
from demo.clients import Caseload
from demo.context import Context
from demo.people import TeamWorld
from scheduling.services.patterns import PatternDetails, visit_pattern_create

# Town centres (latitude, longitude): each client lives within a couple of kilometres.
CENTRES = {
    "Shrewsbury": (52.7077, -2.7541),
    "Aberteifi": (52.0833, -4.6611),
    "Castellnewydd Emlyn": (52.0389, -4.4661),
    "Llandysul": (52.0416, -4.3070),
}
# About 2 km north-south and east-west at these latitudes.
SPREAD_LAT, SPREAD_LON = 0.018, 0.03


def _details(client: Client, latitude: float, longitude: float) -> ClientDetails:
    values = {f.name: getattr(client, f.name) for f in dataclasses.fields(ClientDetails)}
    values["nhs_number"] = values["nhs_number"] or ""
    values["risk_flags"] = list(values["risk_flags"] or [])
    values["latitude"], values["longitude"] = latitude, longitude
    return ClientDetails(**values)


def place_clients(world: TeamWorld, caseload: Caseload) -> None:
    # A stream of its own: placing homes must not change what the rest of the demo draws.
    rng = random.Random(f"rounds:{world.spec.key}")
    for index, client in enumerate(caseload.clients):
        centre = CENTRES.get(client.town)
        if centre is None:
            continue
        latitude = centre[0] + rng.uniform(-SPREAD_LAT, SPREAD_LAT)
        longitude = centre[1] + rng.uniform(-SPREAD_LON, SPREAD_LON)
        caseload.clients[index] = client_update(
            client=client,
            version=client.version,
            details=_details(client, latitude, longitude),
            actor=world.planner.user,
        )


def add_fortnightly_round(ctx: Context, world: TeamWorld, caseload: Caseload) -> None:
    """Shopping and company every other Tuesday and Friday, usually by two care workers."""
    client = next((c for c in caseload.clients if c.status == ClientStatus.ACTIVE), None)
    carers = [m for m in world.members if m.role == Role.CARE_WORKER][:2]
    if client is None or not carers:
        return
    next_monday = timeutil.monday_of(timeutil.local_today(world.team.zone, now=ctx.now)) + (
        dt.timedelta(days=7)
    )
    visit_pattern_create(
        team=world.team,
        client=client,
        details=PatternDetails(
            weekdays=[2, 5],
            window_start=dt.time(11, 0),
            window_end=dt.time(11, 30),
            duration_minutes=45,
            required_skills=[],
            carers_needed=1,
            tasks=["Shopping together", "Cup of tea and a chat"],
            valid_from=next_monday,
            valid_until=None,
            interval_weeks=2,
            usual_carers=[m.pk for m in carers],
        ),
        actor=world.planner.user,
    )


def build_rounds(ctx: Context, world: TeamWorld, caseload: Caseload) -> None:
    place_clients(world, caseload)
    add_fortnightly_round(ctx, world, caseload)
