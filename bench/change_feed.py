"""Change-feed write throughput and latency under concurrent writers.

Each writer thread, on its own connection, creates a record and records it in one team's feed,
in one transaction, as every service does. All writers share the team, so they queue on its row
lock: this measures the cost of the gap-free sequence.

    createdb -h 127.0.0.1 -U postgres careteams_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python bench/change_feed.py --writers 1 4 8 --writes 300
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connections, transaction  # noqa: E402

from careteams import changes  # noqa: E402
from careteams.models import Team  # noqa: E402
from clients.models import Client  # noqa: E402


def run(writers: int, writes: int) -> tuple[float, list[float]]:
    team = Team.objects.create(name=f"bench {writers}x{writes} {time.time()}")
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers + 1)

    def writer(n: int) -> None:
        mine = []
        barrier.wait()
        for i in range(writes):
            started = time.perf_counter()
            with transaction.atomic():
                client = Client.objects.create(team=team, given_name=f"W{n}", family_name=str(i))
                changes.record(team=team, entity="client", obj=client, actor=None)
            mine.append(time.perf_counter() - started)
        connections.close_all()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    team.refresh_from_db()
    assert team.last_change_seq == writers * writes, "the sequence has a gap"
    return writers * writes / elapsed, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--writes", type=int, default=300, help="per writer")
    args = parser.parse_args()
    vendor = connections["default"].vendor
    print(f"database: {vendor}; writes per writer: {args.writes}")
    print("writers | writes/s | p50 ms | p99 ms")
    for writers in args.writers:
        rate, latencies = run(writers, args.writes)
        q = statistics.quantiles(latencies, n=100)
        print(f"{writers:7d} | {rate:8.0f} | {q[49] * 1000:6.1f} | {q[98] * 1000:6.1f}")


if __name__ == "__main__":
    main()
