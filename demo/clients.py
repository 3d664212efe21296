"""Each team's caseload: clients with addresses and NHS numbers, and their Omaha care plans."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from careteams.models import User
from clients import nhs_number, omaha
from clients.models import CareProblem, Client, ClientStatus, ConsentBasis, Relationship, RiskFlag
from clients.services import care_plan
from clients.services import family as family_services
from clients.services.clients import (
    ClientDetails,
    client_account_link,
    client_create,
    client_set_nurses,
)
from demo.careplans import EVERYDAY, Template
from demo.context import Context
from demo.nursing import NURSING
from demo.people import People, TeamWorld

# (given name, family name, care-plan template keys). The first two Riverside clients are the
# family member's mother and the client with a sign-in of their own.
RIVERSIDE_CLIENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Halina", "Kowalczyk", ("memory", "pressure_ulcer", "medication")),
    ("Eileen", "Ní Mhurchú", ("legs", "lonely")),
    ("Arthur", "Pennington", ("insulin", "legs")),
    ("Margaret", "Hollis", ("personal_care", "nutrition")),
    ("Stanisław", "Nowak", ("transfers", "catheter")),
    ("Joan", "Whitfield", ("medication", "lonely")),
    ("Bernard", "Ó Ceallaigh", ("palliative", "personal_care")),
    ("Doreen", "Ashworth", ("memory", "nutrition")),
    ("Kenneth", "Marsh", ("stoma",)),
    ("Patricia", "Quinn", ("insulin", "breathing")),
    ("Wiesława", "Zając", ("personal_care", "pressure_ulcer")),
    ("Harold", "Greaves", ("breathing", "medication")),
    ("Mary", "O'Neill", ("transfers", "pressure_ulcer", "memory")),
    ("Irene", "Fairbairn", ("nutrition",)),
    ("Desmond", "Clarke", ("catheter", "medication")),
    ("Bríd", "Ní Dhomhnaill", ("personal_care",)),
    ("Sylvia", "Brookes", ("legs", "insulin")),
    ("Frank", "Lovell", ("memory", "personal_care")),
    ("Hilda", "Trent", ("medication",)),
    ("Teresa", "Kamińska", ("stoma", "lonely")),
)
TEIFI_CLIENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Gwilym", "Jones", ("insulin", "legs")),
    ("Megan", "Llywelyn", ("memory", "nutrition")),
    ("Eirlys", "Puw", ("personal_care", "medication")),
    ("Idris", "Bowen", ("transfers", "pressure_ulcer")),
    ("Myfanwy", "Rees", ("medication", "lonely")),
    ("Glenys", "Parry", ("breathing",)),
    ("Emrys", "ap Hywel", ("palliative",)),
    ("Nest", "Griffiths", ("memory", "personal_care")),
    ("Tegwen", "Morris", ("stoma", "medication")),
    ("Huw", "Llewelyn", ("catheter",)),
    ("Olwen", "Bevan", ("legs", "lonely")),
    ("Ieuan", "Phillips", ("insulin",)),
    ("Lowri", "Dafis", ("pressure_ulcer", "nutrition")),
    ("Aneurin", "Howells", ("transfers", "catheter")),
    ("Enid", "Pugh", ("personal_care",)),
    ("Wyn", "Tudur", ("medication", "breathing")),
    ("Alwen", "Lewis", ("memory",)),
    ("Dilys", "Hopcyn", ("legs",)),
    ("Bronwen", "Siôn", ("personal_care", "medication", "lonely")),
    ("Janina", "Wójcik", ("insulin", "nutrition")),
)

TEMPLATES = EVERYDAY + NURSING
BY_KEY = {t.key: t for t in TEMPLATES}

# Town: (postcode districts, streets). Real districts, invented house numbers.
PLACES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "riverside": {
        "Shrewsbury": (
            ("SY1", "SY2", "SY3"),
            ("Mill Lane", "Coleham Head", "Abbey Foregate", "Belle Vue Road", "Severn Street"),
        ),
    },
    "teifi": {
        "Aberteifi": (("SA43",), ("Stryd Fawr", "Heol y Bont", "Teras Pendre", "Lôn Glan Teifi")),
        "Castellnewydd Emlyn": (("SA38",), ("Heol Sycamorwydden", "Maes y Deri", "Stryd y Bont")),
        "Llandysul": (("SA44",), ("Heol y Gogledd", "Ffordd yr Eglwys", "Maes yr Haf")),
    },
}
HOUSE_NAMES = ("Bryn Awel", "Rose Cottage", "Flat 2", "Ty Gwyn", "The Old Forge", "Flat 7")
# Postcode inward letters never use C, I, K, M, O or V.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
ACCESS_NOTES = (
    "Key safe by the back door; code from the planner.",
    "Ring twice and wait: she takes a while to reach the door.",
    "Parking on the lane only, the drive is shared. Friendly spaniel, keep the gate shut.",
    "Daughter lets us in on weekdays; key safe at weekends.",
    "Door on the latch in the mornings. Please take shoes off.",
    "Lives upstairs, no lift: hoist and sling are in the bedroom.",
    "Ground-floor flat at the back; buzz number 7.",
)


@dataclass
class Caseload:
    clients: list[Client] = field(default_factory=list)
    plans: dict[object, list[tuple[CareProblem, Template]]] = field(default_factory=dict)


def nhs_numbers(ctx: Context, count: int) -> list[str]:
    """Distinct numbers in the 999 range, which NHS England keeps for testing."""
    found: list[str] = []
    while len(found) < count:
        stem = f"999{ctx.rng.randrange(10**6):06d}"
        total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        digits = f"{stem}{check}"
        if check != 10 and digits not in found:
            assert nhs_number.is_valid(digits)
            found.append(digits)
    return found


def _address(ctx: Context, key: str) -> dict[str, Any]:
    town = ctx.rng.choice(sorted(PLACES[key]))
    districts, streets = PLACES[key][town]
    inward = f"{ctx.rng.randrange(1, 10)}{''.join(ctx.rng.choices(INWARD_LETTERS, k=2))}"
    return {
        "address_line_1": f"{ctx.rng.randrange(1, 120)} {ctx.rng.choice(streets)}",
        "address_line_2": ctx.rng.choice(HOUSE_NAMES) if ctx.rng.random() < 0.3 else "",
        "town": town,
        "postcode": f"{ctx.rng.choice(districts)} {inward}",
        # Ofcom keeps 01632 960xxx for drama: these numbers ring nobody.
        "phone": f"01632 960{ctx.rng.randrange(1000):03d}",
    }


def _plan(
    ctx: Context, world: TeamWorld, client: Client, keys: tuple[str, ...], rater: User
) -> list[tuple[CareProblem, Template]]:
    today = ctx.now.date()
    plan = []
    for key in keys:
        template = BY_KEY[key]
        ratings = ctx.rng.randint(2, 4)
        first_rating = today - dt.timedelta(weeks=ratings * 2 - 1, days=ctx.rng.randrange(5))
        actual = ctx.rng.random() < 0.85
        problem = care_plan.problem_add(
            client=client,
            problem_code=template.code,
            scope=omaha.Scope.INDIVIDUAL,
            severity=omaha.Severity.ACTUAL if actual else omaha.Severity.POTENTIAL,
            # Signs and symptoms are recorded for actual problems only.
            signs_symptoms=list(template.signs) if actual else [],
            identified_on=first_rating - dt.timedelta(days=ctx.rng.randrange(1, 10)),
            actor=rater,
        )
        for action in template.actions[: ctx.rng.randint(1, len(template.actions))]:
            care_plan.intervention_add(
                problem=problem,
                category=action.category,
                target=action.target,
                care_description=action.care,
                frequency=action.frequency,
                actor=rater,
            )
        # A series every fortnight, usually getting slowly better: knowledge first.
        scores = [ctx.rng.randint(1, 3), ctx.rng.randint(1, 3), ctx.rng.randint(1, 3)]
        for n in range(ratings):
            care_plan.rating_add(
                problem=problem,
                knowledge=scores[0],
                behaviour=scores[1],
                status=scores[2],
                rated_on=first_rating + dt.timedelta(weeks=2 * n),
                actor=rater,
            )
            scores = [min(5, s + (ctx.rng.random() < 0.5)) for s in scores]
        plan.append((problem, template))
    return plan


# The Active Offer in the Welsh team (issue 30): Megan, living with dementia, needs care in
# Cymraeg; Gwilym and Emrys prefer it; the team asked everyone else, who chose English.
LANGUAGES = {"Megan": ("cy", True), "Gwilym": ("cy", False), "Emrys": ("cy", False)}


def _language(team_key: str, given: str) -> tuple[str, bool]:
    """The language a client prefers and whether they need it; not recorded outside Wales."""
    if team_key != "teifi":
        return "", False
    return LANGUAGES.get(given, ("en", False))


def build_caseload(ctx: Context, people: People, world: TeamWorld) -> Caseload:
    specs = RIVERSIDE_CLIENTS if world.spec.key == "riverside" else TEIFI_CLIENTS
    numbers = nhs_numbers(ctx, len(specs))
    nurses = world.nurses
    caseload = Caseload()
    for index, ((given, family, keys), number) in enumerate(zip(specs, numbers, strict=True)):
        primary = nurses[index % len(nurses)]
        second = nurses[(index + 1) % len(nurses)]
        # Two clients in hospital and one who has moved to a care home keep the lists honest.
        status = ClientStatus.ACTIVE
        if index in (9, 17):
            status = ClientStatus.PAUSED
        elif index == 14 and world.spec.key == "teifi":
            status = ClientStatus.DISCHARGED
        is_signed_in = world.spec.key == "riverside" and index == 1
        language, needed = _language(world.spec.key, given)
        details = ClientDetails(
            given_name=given,
            family_name=family,
            preferred_name={"Margaret": "Peggy", "Gwilym": "Gwil"}.get(given, ""),
            date_of_birth=dt.date(ctx.rng.randint(1928, 1958), ctx.rng.randint(1, 12), 1)
            + dt.timedelta(days=ctx.rng.randrange(28)),
            nhs_number=number,
            access_notes=ctx.rng.choice(ACCESS_NOTES),
            status=status,
            risk_flags=sorted(ctx.rng.sample(list(RiskFlag.values), ctx.rng.randint(0, 3))),
            **_address(ctx, world.spec.key),
            language=language,
            language_needed=needed,
        )
        actor = primary.user
        client = client_create(team=world.team, details=details, actor=actor)
        client = client_set_nurses(
            client=client, version=client.version, primary=primary, second=second, actor=actor
        )
        if is_signed_in:
            client = client_account_link(
                client=client, version=client.version, user=people.client, actor=actor
            )
        caseload.clients.append(client)
        caseload.plans[client.id] = _plan(ctx, world, client, keys, primary.user)
    return caseload


def grant_family_access(ctx: Context, people: People, world: TeamWorld, client: Client) -> None:
    """Invited by the planner, accepted by the daughter the same day, 24 days ago."""
    with ctx.clock.at(ctx.now - dt.timedelta(days=24, hours=2)):
        _, token = family_services.family_invite(
            client=client,
            email=people.family.email,
            relationship=Relationship.CHILD,
            consent_basis=ConsentBasis.LPA_HEALTH,
            actor=world.planner.user,
        )
    with ctx.clock.at(ctx.now - dt.timedelta(days=24)):
        family_services.family_accept(token=token, user=people.family)
