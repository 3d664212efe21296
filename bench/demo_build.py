"""The demo world's build: seconds and queries, in a transaction rolled back at the end.

The suite builds the demo world several times (tests/careteams/test_demo_data.py,
test_demo_midweek.py, test_demo_builder.py, tests/test_demo_scale.py): its cost is theirs.
Built at the fixed moment those tests use (a Wednesday noon), so two runs build the same world.

    createdb -h 127.0.0.1 -U postgres careteams_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python bench/demo_build.py --span-days 0 14
"""

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from demo.world import build_demo_world  # noqa: E402
from tests.careteams.demo_times import MIDWEEK  # noqa: E402


def build(span_days: int) -> tuple[float, float, Counter[str]]:
    """Seconds (wall clock, and this process's CPU: on a busy machine the CPU time compares
    runs better) and queries (by their first word) of one build, left in no database."""
    queries: Counter[str] = Counter()

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        queries[sql.split(None, 1)[0].upper()] += 1
        return execute(sql, *args)

    with connection.execute_wrapper(count), transaction.atomic():
        started, cpu = time.perf_counter(), time.process_time()
        build_demo_world(now=MIDWEEK, span_days=span_days)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        transaction.set_rollback(True)
    return elapsed, cpu, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--span-days", type=int, nargs="+", default=[0, 14])
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    print("span days | seconds | CPU s | queries | of which UPDATE | INSERT | SELECT")
    for span in args.span_days:
        elapsed, cpu, queries = build(span)
        total = sum(queries.values())
        print(
            f"{span:9d} | {elapsed:7.2f} | {cpu:5.2f} | {total:7d} | {queries['UPDATE']:15d}"
            f" | {queries['INSERT']:6d} | {queries['SELECT']:6d}"
        )


if __name__ == "__main__":
    main()
