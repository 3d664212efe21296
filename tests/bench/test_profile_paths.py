"""The hot paths' profiler (bench/load/profile_paths.py) asks every path of the load bench in
its process, as a member with a device token and a page session, and counts each request's CPU
and statements."""

import pytest
from pytest_django.fixtures import Settings

from bench.load import credentials
from bench.load.profile_paths import measure, table
from bench.load.run import PATHS
from tests.conftest import Cast


@pytest.mark.django_db
def test_every_hot_path_answers_in_process_and_each_request_is_counted(
    cast: Cast, settings: Settings
) -> None:
    # As the bench runs it (run.bench_env): the cast's nurse has no second factor.
    settings.MFA_REQUIRED_FOR_STAFF = False
    users = credentials.sign_in([cast.nurse_membership])
    try:
        figures = measure(PATHS[1:], users, rounds=2, profiler=None)
    finally:
        credentials.sign_out(users)

    assert set(figures) == {path.key for path in PATHS[1:]}
    assert all(queries > 0 for found in figures.values() for _, _, queries in found)
    shown = table(PATHS[1:], figures)
    assert "| API my day | 1 |" in shown
    assert "| page week board | 1 |" in shown
