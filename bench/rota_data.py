"""A full team for the rota benchmarks: 12 members with a week of shifts, 30 clients, 400 visits
(a tenth of them double-ups), most assigned. Imported by bench/week_board.py and
bench/rota_pdf.py after django.setup()."""

import datetime as dt
import random
import time

from careteams.models import Membership, Role, Team, User
from clients.models import Client
from scheduling.models import Shift, Visit, VisitAssignment

MONDAY = dt.date(2030, 11, 25)
# --world-names: names in six scripts, which the PDFs set in fallback fonts and shape.
WORLD_NAMES = ("王秀英", "فاطمة الزهراء", "Δημήτρης", "Ольга", "सुनीता", "Zoë Błaszczykowska")


def name_in_world_scripts(team: Team) -> None:
    """Give the team's members WORLD_NAMES in turn, and its clients too (from the second)."""
    members = Membership.objects.filter(team=team).select_related("user").order_by("id")
    for n, member in enumerate(members):
        member.user.first_name, member.user.last_name = WORLD_NAMES[n % len(WORLD_NAMES)], ""
        member.user.save(update_fields=["first_name", "last_name"])
    for n, client in enumerate(Client.objects.filter(team=team).order_by("id")):
        client.given_name, client.family_name = WORLD_NAMES[(n + 1) % len(WORLD_NAMES)], ""
        client.save(update_fields=["given_name", "family_name"])


def build_team(*, members: int = 12, visits: int = 400, seed: int = 7) -> tuple[Team, User]:
    """Returns the team and one member's user (who views the board)."""
    rng = random.Random(seed)
    team = Team.objects.create(name=f"Bench {members}x{visits} {time.time()}")
    zone = team.zone
    stamp = f"{time.time_ns()}"
    people = []
    for n in range(members):
        user = User.objects.create_user(
            f"bench{n}.{stamp}@example.test", None, first_name=f"Siân{n}", last_name="Ní Bhriain"
        )
        people.append(
            Membership.objects.create(
                user=user,
                team=team,
                role=Role.CARE_WORKER,
                contracted_hours=30,
                skills=["medication"],
            )
        )

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(
            MONDAY + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=zone
        )

    Shift.objects.bulk_create(
        Shift(team=team, member=p, start=at(d, 7), end=at(d, 15), break_minutes=30)
        for p in people
        for d in range(5)
    )
    clients = [
        Client.objects.create(team=team, given_name=f"Łucja{n}", family_name="Llŷr")
        for n in range(30)
    ]
    made = Visit.objects.bulk_create(
        Visit(
            team=team,
            client=rng.choice(clients),
            planned_start=at(n % 7, 7 + n % 8, (n * 5) % 60),
            planned_end=at(n % 7, 7 + n % 8, (n * 5) % 60) + dt.timedelta(minutes=25),
            carers_needed=2 if n % 10 == 0 else 1,
            required_skills=["medication"] if n % 3 == 0 else [],
        )
        for n in range(visits)
    )
    VisitAssignment.objects.bulk_create(
        VisitAssignment(team=team, visit=v, member=rng.choice(people))
        for v in made
        if rng.random() < 0.8
    )
    return team, people[0].user
