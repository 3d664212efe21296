"""The suite's files in the order `make test` hands them to its workers: the longest first.

`make test` runs whole files on two workers (`--dist loadfile`) in the order collected
(`--no-loadscope-reorder`: xdist would otherwise order them by their number of tests, which
puts a long file with few tests, a browser journey or a world built once for its module, near
the end, and one core then idles while the other finishes it). Longest first, the last files
handed out are short and both workers finish together. The list needs no upkeep for
correctness: a file missing from it only runs later, and every order is a valid one.
"""

from collections import Counter

import pytest

# The files that took longest, longest first (setup, call and teardown of all their tests, from
# --junitxml on two workers on 2026-12-07; only their order matters). The rest follow by number
# of tests. A long file left out is handed out late, and one worker then finishes it alone.
LONGEST_FIRST = (
    "tests/careteams/test_demo_data.py",
    "tests/e2e/test_touch_targets.py",
    "tests/mobile_api/test_schema.py",
    "tests/e2e/test_medicines_visit.py",
    "tests/e2e/test_week_on_the_grid.py",
    "tests/e2e/test_carer_screen.py",
    "tests/e2e/test_tablet_offline.py",
    "tests/e2e/test_medicines_journey.py",
    "tests/e2e/test_team_runs_itself.py",
    "tests/test_team_owned_migrations.py",
    "tests/e2e/test_tablet_never_lost.py",
    "tests/careteams/test_access_matrix.py",
    "tests/e2e/test_week_planner.py",
    "tests/e2e/test_live_pages.py",
    "tests/careteams/test_read_log_every_door.py",
    "tests/test_demo_scale.py",
    "tests/careteams/test_demo_midweek.py",
    "tests/e2e/test_rota_grid.py",
    "tests/e2e/test_visit_journey.py",
    "tests/careteams/test_redis_faults.py",
    "tests/careteams/test_demo_builder.py",
    "tests/e2e/test_welsh_journey.py",
    "tests/careteams/test_consumer.py",
    "tests/e2e/test_messages_live.py",
    "tests/e2e/test_sharing_pages.py",
    "tests/e2e/test_medicines_pages.py",
    "tests/careteams/test_long_query.py",
    "tests/scheduling/planner/test_hhcrsp.py",
    "tests/e2e/test_family_journey.py",
    "tests/e2e/test_start_point.py",
    "tests/e2e/test_tablet_doses_offline.py",
    "tests/e2e/test_check_in_location.py",
    "tests/e2e/test_visit_record_pages.py",
    "tests/careteams/test_fanout.py",
    "tests/careteams/test_wsgi.py",
    "tests/e2e/test_live_resume.py",
    "tests/careteams/test_two_workers.py",
)


def _file(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def same_node_ids(node_ids: list[str]) -> list[str]:
    """Node ids collected more than once: xdist hands tests out by node id, so of tests that
    share one it runs one and reports one, and the others pass unseen without having run."""
    return sorted(node_id for node_id, n in Counter(node_ids).items() if n > 1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if twice := same_node_ids([item.nodeid for item in items]):
        raise pytest.UsageError("Tests collected under the same node id: " + ", ".join(twice))
    rank = {path: n for n, path in enumerate(LONGEST_FIRST)}
    tests_in = Counter(_file(item) for item in items)
    # A stable sort: each file's tests stay together and in their order.
    items.sort(key=lambda item: (rank.get(_file(item), len(rank)), -tests_in[_file(item)]))
