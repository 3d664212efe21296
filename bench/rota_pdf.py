"""The rota PDF of a 12-member team with 400 visits, and one member's week: time to build.

DATABASE_URL=sqlite:////tmp/rota-bench.sqlite3 .venv/bin/python manage.py migrate
DATABASE_URL=sqlite:////tmp/rota-bench.sqlite3 .venv/bin/python bench/rota_pdf.py
"""

import argparse
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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.rota_data import MONDAY, build_team, name_in_world_scripts  # noqa: E402
from careteams.models import Membership  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--world-names", action="store_true", help="names in six scripts")
    args = parser.parse_args()
    team, user = build_team()
    if args.world_names:
        name_in_world_scripts(team)
    member = Membership.objects.get(team=team, user=user)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    week = {"team_id": team.id, "week": MONDAY.isoformat()}
    targets = {
        "team week": reverse("scheduling:week-pdf", kwargs=week),
        "own week": reverse("scheduling:member-week-pdf", kwargs={**week, "member_id": member.id}),
    }
    names = "names in six scripts" if args.world_names else "Latin names"
    print(f"database: {connection.vendor}; 12 members, 400 visits, {names}")
    print("PDF | p50 ms | p95 ms | KiB")
    for name, url in targets.items():
        timings, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
            assert response.content.startswith(b"%PDF")
            size = len(response.content)
        q = statistics.quantiles(timings, n=20)
        p50, p95 = statistics.median(timings) * 1000, q[18] * 1000
        print(f"{name} | {p50:.0f} | {p95:.0f} | {size // 1024}")


if __name__ == "__main__":
    main()
