"""Migrations 0005 and 0006: the schedules written before them take their line's dates and
time-critical flag, their checks become rows of their own (naming the checker when it is the
line's current check), and the database then refuses to change or delete either."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import Cast, at

BEFORE = [("medicines", "0004_line_schedules")]
AFTER = [("medicines", "0006_schedule_guards")]


@pytest.mark.django_db(transaction=True)
def test_the_schedules_take_their_lines_dates_and_flag_and_their_checks_become_rows(
    cast: Cast,
) -> None:
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        line = old.get_model("medicines", "MedicineLine").objects.create(
            client_id=cast.client.pk,
            team_id=cast.team.pk,
            name="Co-careldopa",
            form="tablet",
            route="oral",
            dose_min=Decimal(1),
            dose_max=Decimal(1),
            dose_unit="tablet",
            support="administer",
            starts_on=dt.date(2025, 11, 1),
            stops_on=dt.date(2025, 11, 30),
            supply="blister",
            source="gp_letter",
            times=["08:00"],
            time_critical=True,
            transcribed_by_id=cast.nurse.pk,
            checked_by_id=cast.carer.pk,
            checked_at=at("2025-10-31 12:00"),
        )
        schedules = old.get_model("medicines", "LineSchedule").objects
        first = schedules.create(
            line=line,
            team_id=cast.team.pk,
            times=["09:00"],
            in_force_from=at("2025-10-30 10:00"),
            checked_at=at("2025-10-30 11:00"),
        )
        schedules.create(
            line=line,
            team_id=cast.team.pk,
            times=["08:00"],
            in_force_from=at("2025-10-31 10:00"),
            checked_at=at("2025-10-31 12:00"),
        )
        executor.loader.build_graph()
        executor.migrate(AFTER)
        after = executor.loader.project_state(AFTER).apps
        kept = after.get_model("medicines", "LineSchedule")._default_manager.order_by(
            "in_force_from"
        )
        assert [(s.starts_on, s.stops_on, s.time_critical, s.visit_part) for s in kept] == [
            (dt.date(2025, 11, 1), dt.date(2025, 11, 30), True, "")
        ] * 2
        checks = after.get_model("medicines", "LineScheduleCheck")._default_manager.order_by(
            "checked_at"
        )
        assert [(c.checked_at, c.checked_by_id) for c in checks] == [
            (at("2025-10-30 11:00"), None),  # an earlier version: who checked it is not known
            (at("2025-10-31 12:00"), cast.carer.pk),
        ]
        for sql in (
            "UPDATE medicines_lineschedule SET times = '[]'",
            "DELETE FROM medicines_lineschedule",
            "UPDATE medicines_lineschedulecheck SET checked_by_id = NULL",
            "DELETE FROM medicines_lineschedulecheck",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        assert kept.filter(pk=first.pk).exists()
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
