"""Where the clients live (for travel between visits), where most members start their day
(for the planner's travel from home and back), and one fortnightly round with its usual
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
from scheduling.services.start_point import start_point_set

NURSES = (Role.REGISTERED_NURSE, Role.NURSING_ASSOCIATE)
# Town centres (latitude, longitude): each client lives within a couple of kilometres.
CENTRES = {
    "Shrewsbury": (52.7077, -2.7541),
    "Aberteifi": (52.0833, -4.6611),
    "Castellnewydd Emlyn": (52.0389, -4.4661),
    "Llandysul": (52.0416, -4.3070),
}
# About 2 km north-south and east-west at these latitudes.
SPREAD_LAT, SPREAD_LON = 0.018, 0.03
# Members live a little way from one of their team's clients: within about 4 km.
HOME_SPREAD_LAT, HOME_SPREAD_LON = 0.036, 0.06
# Every how many visiting members one has no start point: the planner counts their day from
# their first visit, as for anyone who never sets one.
WITHOUT_START_POINT_EVERY = 5


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


def place_start_points(world: TeamWorld, caseload: Caseload) -> None:
    """Most members who visit start their day at home, a few kilometres from one of their
    team's clients, each set by the member themself through the service (one write each); one
    in five has none."""
    homes = [(c.latitude, c.longitude) for c in caseload.clients]
    places = [(lat, lon) for lat, lon in homes if lat is not None and lon is not None]
    if not places:
        return
    rng = random.Random(f"start-points:{world.spec.key}")  # its own stream, as place_clients
    visiting = [m for m in world.members if m.role in (Role.CARE_WORKER, *NURSES)]
    for index, member in enumerate(visiting):
        if index % WITHOUT_START_POINT_EVERY == WITHOUT_START_POINT_EVERY - 1:
            continue
        near_lat, near_lon = rng.choice(places)
        start_point_set(
            user=member.user,
            latitude=near_lat + rng.uniform(-HOME_SPREAD_LAT, HOME_SPREAD_LAT),
            longitude=near_lon + rng.uniform(-HOME_SPREAD_LON, HOME_SPREAD_LON),
            version=None,
            actor=member.user,
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
    place_start_points(world, caseload)
    add_fortnightly_round(ctx, world, caseload)
