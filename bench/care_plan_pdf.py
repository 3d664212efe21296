"""The care-plan PDF of a client with a full plan: time to build, for the team and the family.

A client with 12 active problems (3 interventions and 20 ratings each), 2 resolved problems and
10 coming visits; the family member has live access.

DATABASE_URL=sqlite:////tmp/care-plan-bench.sqlite3 .venv/bin/python manage.py migrate
DATABASE_URL=sqlite:////tmp/care-plan-bench.sqlite3 .venv/bin/python bench/care_plan_pdf.py
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.rota_data import name_in_world_scripts  # noqa: E402
from careteams.models import Membership, Role, Team, User  # noqa: E402
from clients import omaha  # noqa: E402
from clients.models import (  # noqa: E402
    CareProblem,
    Client,
    FamilyAccess,
    Intervention,
    OutcomeRating,
)
from clients.omaha_signs import signs_for  # noqa: E402
from scheduling.models import Visit, VisitAssignment  # noqa: E402

ACTIVE, RESOLVED, INTERVENTIONS, RATINGS, VISITS = 12, 2, 3, 20, 10


def build() -> tuple[Client, User, User]:
    stamp = time.time_ns()
    team = Team.objects.create(name=f"Bench care plan {stamp}")
    nurse = User.objects.create_user(f"nurse.{stamp}@example.test", None, first_name="Siân")
    family = User.objects.create_user(f"family.{stamp}@example.test", None, first_name="Łukasz")
    member = Membership.objects.create(user=nurse, team=team, role=Role.REGISTERED_NURSE)
    client = Client.objects.create(
        team=team, given_name="Dafydd", family_name="Llŷr", primary_nurse=member
    )
    FamilyAccess.objects.create(
        client=client,
        person=family,
        relationship="child",
        consent_basis="client_consent",
        granted_by=nurse,
        accepted_at=timezone.now(),
    )
    today = timezone.localdate()
    codes = list(omaha.PROBLEMS)[: ACTIVE + RESOLVED]
    problems = CareProblem.objects.bulk_create(
        CareProblem(
            team=team,
            client=client,
            problem_code=code,
            severity="actual",
            signs_symptoms=list(signs_for(code))[:3],
            identified_on=today - dt.timedelta(days=400),
            status="resolved" if n >= ACTIVE else "active",
            resolved_on=today if n >= ACTIVE else None,
        )
        for n, code in enumerate(codes)
    )
    Intervention.objects.bulk_create(
        Intervention(
            team=team,
            problem=p,
            category=omaha.Category.values[n % 4],
            target=f"{(n * 7) % 75 + 1:02d}",
            care_description="Żółć check; explain the plan to Siân and Aoife Ní Bhriain " * 2,
            frequency="twice a day",
        )
        for p in problems
        for n in range(INTERVENTIONS)
    )
    OutcomeRating.objects.bulk_create(
        OutcomeRating(
            team=team,
            problem=p,
            knowledge=1 + n % 5,
            behaviour=1 + (n + 1) % 5,
            status=1 + (n + 2) % 5,
            rated_on=today - dt.timedelta(days=14 * n),
            rated_by=nurse,
        )
        for p in problems
        for n in range(RATINGS)
    )
    start = timezone.now() + dt.timedelta(hours=2)
    visits = Visit.objects.bulk_create(
        Visit(
            team=team,
            client=client,
            planned_start=start + dt.timedelta(hours=12 * n),
            planned_end=start + dt.timedelta(hours=12 * n, minutes=30),
        )
        for n in range(VISITS)
    )
    VisitAssignment.objects.bulk_create(
        VisitAssignment(team=team, visit=v, member=member) for v in visits
    )
    return client, nurse, family


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--world-names", action="store_true", help="names in six scripts")
    args = parser.parse_args()
    client, nurse, family = build()
    if args.world_names:
        name_in_world_scripts(client.team)
        client.refresh_from_db()
    kwargs = {"client_id": client.id}
    targets = {
        "team care plan": (nurse, reverse("clients:care-plan-pdf", kwargs=kwargs)),
        "family care plan": (family, reverse("clients:family-care-plan-pdf", kwargs=kwargs)),
    }
    print(
        f"database: {connection.vendor}; {ACTIVE} active + {RESOLVED} resolved problems, "
        f"{INTERVENTIONS} interventions and {RATINGS} ratings each, {VISITS} visits, "
        + ("names in six scripts" if args.world_names else "Latin names")
    )
    print("PDF | p50 ms | p95 ms | KiB")
    for name, (user, url) in targets.items():
        http = HttpClient(SERVER_NAME="localhost")
        http.force_login(user)
        timings, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            response = http.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
            assert response.content.startswith(b"%PDF")
            size = len(response.content)
        q = statistics.quantiles(timings, n=20)
        p50, p95 = statistics.median(timings) * 1000, q[18] * 1000
        print(f"{name} | {p50:.0f} | {p95:.0f} | {size // 1024}")


if __name__ == "__main__":
    main()
