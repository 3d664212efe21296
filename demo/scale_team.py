"""A scale team's people and caseload: the records `team_create`, `membership_create`,
`client_create`, `client_set_nurses` and the care-plan services would have written."""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from careteams import timeutil
from careteams.models import HolidayRegion, Membership, Role, Team, TeamRole, User
from careteams.skills import Skill
from clients import omaha
from clients.models import CareProblem, Client, Intervention, OutcomeRating, RiskFlag
from demo.careplans import Template
from demo.clients import (
    ACCESS_NOTES,
    INWARD_LETTERS,
    PLACES,
    RIVERSIDE_CLIENTS,
    TEIFI_CLIENTS,
    TEMPLATES,
)
from demo.context import SEED
from demo.people import TEAM_SPECS
from demo.scale_feed import Batch, TeamFeed

SCALE_DOMAIN = "scale.careteams.test"
TEAM_NAME = "Scale team {:04d}"
TIMEZONE = "Europe/London"
# Each team draws its clients' NHS numbers from a block of its own in the 999 test range, so
# teams never collide; 200 stems give about 180 valid numbers.
NHS_BLOCK = 200
MAX_TEAMS = 10**6 // NHS_BLOCK - 1
MAX_CLIENTS = 150

RN, NA, CW = Role.REGISTERED_NURSE, Role.NURSING_ASSOCIATE, Role.CARE_WORKER
# m01 is the team's planning nurse (the demo's "nurse"); the others a mix, as in the demo.
ROLES = (RN, RN, CW, CW, NA, CW, RN, CW, CW, NA, CW, CW)
# Carers here are trained for end-of-life care too (evenings need it); dressings and bloods
# are nurses' work.
NURSE_ONLY = {Skill.WOUND_CARE, Skill.VENEPUNCTURE}
OTHER_TEAM_ROLES = {1: TeamRole.MENTOR, 4: TeamRole.QUALITY, 6: TeamRole.TRAINING}
MEMBER_NAMES = [(m.first, m.last) for spec in TEAM_SPECS for m in spec.members]
CLIENT_NAMES = [(given, family) for given, family, _ in RIVERSIDE_CLIENTS + TEIFI_CLIENTS]


def member_email(member: int, team: int) -> str:
    return f"m{member:02d}.t{team:04d}@{SCALE_DOMAIN}"


@dataclass
class ScaleTeam:
    number: int
    team: Team
    feed: TeamFeed
    rng: random.Random
    now: dt.datetime
    members: list[Membership] = field(default_factory=list)
    users: dict[object, User] = field(default_factory=dict)  # by membership id
    clients: list[Client] = field(default_factory=list)
    plans: dict[object, list[tuple[CareProblem, Template]]] = field(default_factory=dict)

    @property
    def planner(self) -> Membership:
        return self.members[0]

    def user_of(self, member: Membership) -> User:
        return self.users[member.pk]

    @property
    def today(self) -> dt.date:
        return timeutil.local_today(self.team.zone, now=self.now)

    def at(self, day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
        """A moment of the team's local day, in UTC as `timezone.now()` gives the services."""
        local = dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=self.team.zone)
        return local.astimezone(dt.UTC)


def team_rng(number: int) -> random.Random:
    return random.Random(f"{SEED}:scale:{number}")


def build_people(
    number: int, *, now: dt.datetime, members: int, password_hash: str, batch: Batch
) -> ScaleTeam:
    """The team, created by an administrator's script twelve weeks ago, and its members."""
    team = Team(
        name=TEAM_NAME.format(number),
        timezone=TIMEZONE,
        holiday_country="GB",
        holiday_subdivision=HolidayRegion.ENGLAND,
    )
    world = ScaleTeam(number, team, TeamFeed(team), team_rng(number), now)
    founded = world.at(world.today - dt.timedelta(weeks=12), 9)
    team.created_at = founded
    world.feed.record(entity="team", obj=team, actor=None, at=founded)
    batch.add(team)
    batch.feeds.append(world.feed)
    all_skills = list(Skill.values)
    for index in range(members):
        first, last = world.rng.choice(MEMBER_NAMES)
        role = ROLES[index % len(ROLES)]
        user = User(
            email=member_email(index + 1, number),
            first_name=first,
            last_name=last,
            password=password_hash,
            date_joined=founded,
        )
        skills = all_skills if role != CW else [s for s in all_skills if s not in NURSE_ONLY]
        team_roles = [TeamRole.PLANNER] if index == 0 else []
        if index in OTHER_TEAM_ROLES:
            team_roles = [OTHER_TEAM_ROLES[index]]
        moment = founded + dt.timedelta(minutes=index + 1)
        membership = Membership(
            user_id=user.pk,
            team_id=team.pk,
            role=role,
            skills=skills,
            contracted_hours=Decimal(world.rng.choice(("37.5", "37.5", "30", "22.5"))),
            team_roles=[str(r) for r in team_roles],
            started_at=moment,
        )
        world.feed.record(entity="membership", obj=membership, actor=None, at=moment)
        batch.add(user, membership)
        world.members.append(membership)
        world.users[membership.pk] = user
    return world


def nhs_candidates(number: int) -> list[str]:
    """The valid NHS numbers of the team's block, in order."""
    found = []
    for offset in range(NHS_BLOCK):
        stem = f"999{(number - 1) * NHS_BLOCK + offset:06d}"
        total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            found.append(f"{stem}{check}")
    return found


def _address(world: ScaleTeam) -> dict[str, str]:
    """An address in the demo's Shrewsbury streets, as the demo makes them."""
    rng = world.rng
    town = rng.choice(sorted(PLACES["riverside"]))
    districts, streets = PLACES["riverside"][town]
    inward = f"{rng.randrange(1, 10)}{''.join(rng.choices(INWARD_LETTERS, k=2))}"
    return {
        "address_line_1": f"{rng.randrange(1, 120)} {rng.choice(streets)}",
        "town": town,
        "postcode": f"{rng.choice(districts)} {inward}",
        # Ofcom keeps 01632 960xxx for drama: these numbers ring nobody.
        "phone": f"01632 960{rng.randrange(1000):03d}",
    }


def build_caseload(world: ScaleTeam, *, count: int, numbers: list[str], batch: Batch) -> None:
    """Clients added by their primary nurse ten weeks ago, given their two named nurses a
    minute later, each with a care plan of two or three Omaha problems."""
    nurses = [m for m in world.members if m.role in (RN, NA)]
    start = world.at(world.today - dt.timedelta(weeks=10), 10)
    for index in range(count):
        given, family = world.rng.choice(CLIENT_NAMES)
        primary = nurses[index % len(nurses)]
        second = nurses[(index + 1) % len(nurses)]
        moment = start + dt.timedelta(minutes=3 * index)
        client = Client(
            team_id=world.team.pk,
            given_name=given,
            family_name=family,
            date_of_birth=dt.date(world.rng.randint(1928, 1958), world.rng.randint(1, 12), 1)
            + dt.timedelta(days=world.rng.randrange(28)),
            nhs_number=numbers[index],
            access_notes=world.rng.choice(ACCESS_NOTES),
            risk_flags=sorted(
                world.rng.sample(list(RiskFlag.values), world.rng.randint(0, 2)),
                key=RiskFlag.values.index,
            ),
            created_at=moment,
            updated_at=moment,
            **_address(world),
        )
        actor = world.user_of(primary)
        world.feed.record(entity="client", obj=client, actor=actor, at=moment, client_id=client.id)
        client.primary_nurse_id, client.second_nurse_id = primary.pk, second.pk
        client.version += 1
        client.updated_at = moment + dt.timedelta(minutes=1)
        world.feed.record(
            entity="client", obj=client, actor=actor, at=client.updated_at, client_id=client.id
        )
        batch.add(client)
        world.clients.append(client)
        keys = world.rng.sample(TEMPLATES, world.rng.choice((2, 3, 3)))
        world.plans[client.id] = _plan(world, client, keys, actor, batch)


def _plan(
    world: ScaleTeam, client: Client, templates: list[Template], rater: User, batch: Batch
) -> list[tuple[CareProblem, Template]]:
    rng = world.rng
    today = world.today
    created = client.created_at.date()
    plan = []
    for template in templates:
        ratings = rng.randint(1, 3)
        first_rating = today - dt.timedelta(weeks=ratings * 2 - 1, days=rng.randrange(5))
        identified = max(created, first_rating - dt.timedelta(days=rng.randrange(1, 10)))
        actual = rng.random() < 0.85
        problem = CareProblem(
            team_id=world.team.pk,
            client_id=client.pk,
            problem_code=template.code,
            scope=omaha.Scope.INDIVIDUAL,
            severity=omaha.Severity.ACTUAL if actual else omaha.Severity.POTENTIAL,
            signs_symptoms=sorted(set(template.signs)) if actual else [],
            identified_on=identified,
        )
        moment = max(world.at(identified, 11), client.updated_at + dt.timedelta(seconds=1))
        world.feed.record(
            entity="care_problem", obj=problem, actor=rater, at=moment, client_id=client.id
        )
        batch.add(problem)
        for step, action in enumerate(template.actions[: rng.randint(1, len(template.actions))]):
            intervention = Intervention(
                team_id=world.team.pk,
                problem_id=problem.pk,
                category=action.category,
                target=action.target,
                care_description=action.care,
                frequency=action.frequency,
            )
            world.feed.record(
                entity="intervention",
                obj=intervention,
                actor=rater,
                at=moment + dt.timedelta(seconds=step + 1),
                client_id=client.id,
            )
            batch.add(intervention)
        scores = [rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)]
        for n in range(ratings):
            rated_on = max(identified, first_rating + dt.timedelta(weeks=2 * n))
            rating = OutcomeRating(
                team_id=world.team.pk,
                problem_id=problem.pk,
                knowledge=scores[0],
                behaviour=scores[1],
                status=scores[2],
                rated_on=rated_on,
                rated_by_id=rater.pk,
            )
            rated_at = max(world.at(rated_on, 15, n), moment + dt.timedelta(minutes=1))
            world.feed.record(
                entity="outcome_rating", obj=rating, actor=rater, at=rated_at, client_id=client.id
            )
            batch.add(rating)
            scores = [min(5, s + (rng.random() < 0.5)) for s in scores]
        plan.append((problem, template))
    return plan
