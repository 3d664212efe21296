"""Restore-safe cursors: after a restore, a device's cursor of the lost timeline is told to
resync (409), never served a silent gap."""

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from careteams import feed
from careteams.incarnation import incarnation_get
from careteams.models import User
from tests.conftest import Cast
from tests.environment import unavailable
from tests.mobile_api.conftest import Api, is_problem
from tests.mobile_api.test_sync import pull_all
from tests.restore import restore_backup_taken_at, write_shifts


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def pull(api: Api, team: uuid.UUID, after: int | str, incarnation: str | None) -> Any:
    if incarnation is None:
        return api.get(f"/sync/{team}/changes", after=after)
    return api.get(f"/sync/{team}/changes", after=after, incarnation=incarnation)


@pytest.mark.django_db
def test_the_pull_says_which_incarnation_its_cursor_belongs_to(cast: Cast, nurse: Api) -> None:
    write_shifts(cast, 2)
    body = nurse.get(f"/sync/{cast.team.id}/changes").json()
    assert body["incarnation"] == incarnation_get()
    again = pull(nurse, cast.team.id, body["next_cursor"], body["incarnation"])
    assert again.status_code == 200


@pytest.mark.django_db
def test_a_cursor_without_its_incarnation_is_told_to_resync_but_zero_needs_none(
    cast: Cast, nurse: Api
) -> None:
    write_shifts(cast, 2)
    assert pull(nurse, cast.team.id, 0, None).status_code == 200
    assert pull(nurse, cast.team.id, 0, "old").status_code == 200
    body = is_problem(pull(nurse, cast.team.id, 1, None), 409)
    assert body["type"].endswith("#problem-resync")
    assert body["title"] == "Resync needed"
    assert body["errors"][0]["field"] == "incarnation"
    is_problem(pull(nurse, cast.team.id, 1, str(uuid.uuid4())), 409)


@pytest.mark.django_db
def test_after_a_restore_a_device_ahead_of_the_backup_is_told_to_resync_not_given_a_gap(
    cast: Cast, nurse: Api
) -> None:
    write_shifts(cast, 3)  # the backup is taken here, at seq 3
    write_shifts(cast, 2)
    _, cursor = pull_all(nurse, cast.team.id)
    held = incarnation_get()
    assert cursor.startswith("5.")

    restore_backup_taken_at(cast.team, 3)
    call_command("feed_new_incarnation")
    write_shifts(cast, 4)  # others write past the device's cursor: seqs 4 to 7 anew

    body = is_problem(pull(nurse, cast.team.id, cursor, held), 409)
    assert body["title"] == "Resync needed"
    assert body["errors"][0]["field"] == "incarnation"
    fresh = nurse.get(f"/sync/{cast.team.id}/changes").json()
    assert [c["seq"] for c in fresh["changes"]] == list(range(1, 8))
    assert fresh["incarnation"] == incarnation_get() != held


@pytest.mark.django_db
def test_a_restore_without_a_new_incarnation_is_caught_by_the_cursors_check_not_skipped(
    cast: Cast, nurse: Api
) -> None:
    write_shifts(cast, 3)  # the backup is taken here, at seq 3
    write_shifts(cast, 2)
    _, cursor = pull_all(nurse, cast.team.id)
    held = incarnation_get()

    restore_backup_taken_at(cast.team, 3)  # and `feed_new_incarnation` forgotten
    write_shifts(cast, 4)  # others write past the device's cursor: seqs 4 to 7 anew
    assert incarnation_get() == held

    body = is_problem(pull(nurse, cast.team.id, cursor, held), 409)
    assert body["type"].endswith("#problem-resync")
    assert body["title"] == "Resync needed"
    assert body["errors"][0]["field"] == "after"
    changes, resynced = pull_all(nurse, cast.team.id)
    assert [c["seq"] for c in changes] == list(range(1, 8))
    assert pull(nurse, cast.team.id, resynced, held).status_code == 200


@pytest.mark.django_db
def test_a_cursor_at_a_change_the_restore_kept_still_works(cast: Cast, nurse: Api) -> None:
    write_shifts(cast, 3)
    _, cursor = pull_all(nurse, cast.team.id)  # at 3: the backup's own head
    write_shifts(cast, 2)
    restore_backup_taken_at(cast.team, 3)
    write_shifts(cast, 4)
    changes, _ = pull_all(nurse, cast.team.id, after=cursor)
    assert [c["seq"] for c in changes] == [4, 5, 6, 7]


@pytest.mark.django_db
def test_a_bare_number_cursor_cannot_be_checked_and_is_told_to_resync_but_zero_is_fine(
    cast: Cast, nurse: Api
) -> None:
    write_shifts(cast, 3)
    current = incarnation_get()
    body = is_problem(pull(nurse, cast.team.id, 2, current), 409)
    assert body["errors"][0]["field"] == "after"
    assert pull(nurse, cast.team.id, "0", current).status_code == 200
    _, cursor = pull_all(nurse, cast.team.id)
    seq, check = cursor.split(".")
    assert seq == "3"
    is_problem(pull(nurse, cast.team.id, f"2.{check}", current), 409)
    wrong = "0" * len(check) if check != "0" * len(check) else "1" * len(check)
    is_problem(pull(nurse, cast.team.id, f"3.{wrong}", current), 409)


@pytest.mark.django_db
@pytest.mark.parametrize("after", ["-1", "abc", "3.", "3.XYZ", "03.abcdefabcdef", "9" * 30])
def test_a_malformed_cursor_is_a_422_naming_after(cast: Cast, nurse: Api, after: str) -> None:
    body = is_problem(pull(nurse, cast.team.id, after, incarnation_get()), 422)
    assert "after" in str(body["errors"])


@pytest.mark.django_db
def test_the_push_answers_a_checked_cursor_to_pull_after(cast: Cast, nurse: Api) -> None:
    write_shifts(cast, 2)
    answer = nurse.post(f"/sync/{cast.team.id}/mutations", {"mutations": []}).json()
    assert answer["cursor"].startswith("2.")
    page = pull(nurse, cast.team.id, answer["cursor"], answer["incarnation"]).json()
    assert page["changes"] == []
    assert page["next_cursor"] == answer["cursor"]


def _pg(*args: str) -> None:
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    where = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    # Our own programs and the test database's settings: no outside input.
    subprocess.run(  # noqa: S603
        [*args, *where, "-U", settings["USER"]], check=True, env=env, timeout=120
    )


@pytest.mark.django_db(transaction=True)
def test_a_real_pg_dump_and_pg_restore_then_the_command_makes_devices_resync(
    cast: Cast, nurse: Api, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it)")
    if not shutil.which("pg_restore"):
        unavailable("needs PostgreSQL's client programs (pg_dump, pg_restore)")
    name = connection.settings_dict["NAME"]
    dump = tmp_path / "careteams.dump"
    held = incarnation_get()  # made by the migration (or afresh after an earlier test's flush)
    write_shifts(cast, 3)
    _pg("pg_dump", "-Fc", "-f", str(dump), "-d", name)  # docs/operations.md, "Backups"
    write_shifts(cast, 2)
    _, cursor = pull_all(nurse, cast.team.id)
    assert cursor.startswith("5.")

    # docs/operations.md, "Restoring": the workers are stopped; so are our connections.
    connection.close()
    _pg(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "-d",
        name,
        str(dump),
    )
    assert feed.last_seq(team_id=cast.team.id) == 3
    assert incarnation_get() == held  # the restored copy still claims the old incarnation
    call_command("feed_new_incarnation")
    write_shifts(cast, 4)

    body = is_problem(pull(nurse, cast.team.id, cursor, held), 409)
    assert body["title"] == "Resync needed"
    _, resynced = pull_all(nurse, cast.team.id)
    assert resynced.startswith("7.")
