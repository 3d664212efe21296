"""What a carer needs on the doorstep: the team's phone, each client's GP practice, emergency
contacts and communication needs, and at which visits each intervention is a task."""

import datetime as dt

from careteams.services import team_contact_update
from clients.models import ClientStatus, DisclosureLevel, Intervention
from clients.services.care_plan import intervention_schedule_set
from clients.services.doorstep import client_doorstep_update, emergency_contact_add
from demo.clients import Caseload
from demo.context import Context
from demo.people import TeamWorld

TEAM_PHONES = {
    "riverside": ("0161 496 0123", "8am to 8pm every day; out of hours, call 111"),
    "teifi": ("01239 496 021", "8yb i 8yh bob dydd / 8am to 8pm every day"),
}
GP_PRACTICES = {
    "riverside": (
        ("Riverside Medical Centre", "0161 496 0456"),
        ("Canal Street Surgery", "0161 496 0789"),
        ("Mill Lane Health Centre", "0161 496 0321"),
    ),
    "teifi": (
        ("Meddygfa Teifi", "01239 496 100"),
        ("Feddygfa Emlyn", "01559 496 200"),
    ),
}
COMMUNICATION = (
    "Hard of hearing: face her and speak clearly; hearing aid in the left ear.",
    "Polish is his first language; his daughter translates when she is there.",
    "Cymraeg yw ei iaith gyntaf: siaradwch Gymraeg os gallwch.",
    "Poor sight: say who you are as you come in.",
    "Word-finding difficulty after a stroke: give him time, yes/no questions help.",
    "",
    "",
    "",
)
RELATIONS = ("Daughter", "Son", "Niece", "Neighbour", "Husband", "Wife", "Friend")
CONTACT_NAMES = ("Helen", "David", "Katarzyna", "Rhian", "Seán", "Mark", "Bethan", "Agata")
# At which visits an intervention is a task: (parts of the day, ISO weekdays, every N days).
SCHEDULES: tuple[tuple[list[str], list[int], int], ...] = (
    ([], [], 1),  # every visit
    (["morning"], [], 1),
    (["morning"], [1, 4], 1),
    (["evening"], [], 1),
    ([], [], 2),
    ([], [], 1),
)


def build_doorstep(ctx: Context, world: TeamWorld, caseload: Caseload) -> None:
    team = world.team
    phone, hours = TEAM_PHONES[world.spec.key]
    team_contact_update(
        team=team,
        version=team.version,
        phone=phone,
        phone_hours=hours,
        late_grace_minutes=30,
        actor=world.planner.user,
    )
    team.refresh_from_db()
    practices = GP_PRACTICES[world.spec.key]
    for index, client in enumerate(caseload.clients):
        actor = client.primary_nurse.user if client.primary_nurse else world.planner.user
        practice, practice_phone = practices[index % len(practices)]
        client = client_doorstep_update(
            client=client,
            version=client.version,
            gp_practice_name=practice,
            gp_practice_phone=practice_phone,
            communication_needs=ctx.rng.choice(COMMUNICATION),
            preferred_name=client.preferred_name,
            actor=actor,
        )
        caseload.clients[index] = client
        if client.status == ClientStatus.DISCHARGED:
            continue
        for order in range(1, ctx.rng.choice((2, 2, 3))):
            emergency_contact_add(
                client=client,
                name=f"{ctx.rng.choice(CONTACT_NAMES)} {client.family_name}",
                relationship=ctx.rng.choice(RELATIONS),
                phone=f"07700 900{ctx.rng.randrange(1000):03d}",
                may_be_told=ctx.rng.choice(DisclosureLevel.values),
                order=order,
                actor=actor,
            )
        for intervention in Intervention.objects.filter(problem__client=client).order_by("id"):
            parts, weekdays, every = ctx.rng.choice(SCHEDULES)
            if not parts and not weekdays and every == 1:
                continue
            intervention_schedule_set(
                intervention=intervention,
                version=intervention.version,
                parts=parts,
                weekdays=weekdays,
                every_days=every,
                every_days_from=ctx.now.date() - dt.timedelta(days=30) if every > 1 else None,
                actor=actor,
            )
