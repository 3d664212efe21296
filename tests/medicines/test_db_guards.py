"""Dose records, PRN follow-ups and stock events are append-only: the database refuses to change
or delete one, even by raw SQL (on SQLite here; with DATABASE_URL on PostgreSQL too)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from medicines.models import AppendOnlyError, DoseRecord, MedicineLine, PrnFollowUp, StockEvent
from medicines.vocabulary import Form, Outcome, Route, Source, StockKind, Supply, Support
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def dose(cast: Cast) -> DoseRecord:
    line = MedicineLine.objects.create(
        client=cast.client,
        name="Paracetamol",
        form=Form.TABLET,
        strength="500 mg",
        route=Route.ORAL,
        dose_min=Decimal(1),
        dose_max=Decimal(2),
        dose_unit="tablet",
        support=Support.ADMINISTER,
        starts_on=dt.date(2026, 1, 1),
        supply=Supply.ORIGINAL,
        source=Source.GP_LETTER,
        transcribed_by=cast.nurse,
        prn=True,
    )
    return DoseRecord.objects.create(
        line=line,
        client=cast.client,
        outcome=Outcome.GIVEN,
        amount=Decimal(2),
        taken_at=timezone.now(),
        recorded_by=cast.carer,
    )


def raw(sql: str, *params: str | int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def truncate(table: str) -> None:
    """After the test's pending foreign key checks (else PostgreSQL refuses for that reason)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")


def test_a_raw_sql_update_of_a_dose_record_fails(dose: DoseRecord) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE medicines_doserecord SET outcome = %s WHERE id = %s", "refused", dose.id.hex)
    dose.refresh_from_db()
    assert dose.outcome == Outcome.GIVEN


def test_a_raw_sql_delete_of_a_dose_record_fails(dose: DoseRecord) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM medicines_doserecord")
    assert DoseRecord.objects.filter(id=dose.id).exists()


def test_a_bulk_update_of_dose_records_through_the_orm_fails(dose: DoseRecord) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DoseRecord.objects.filter(id=dose.id).update(note="rewritten")


def test_saving_or_deleting_a_dose_record_is_refused_before_the_database(dose: DoseRecord) -> None:
    dose.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        dose.save()
    with pytest.raises(AppendOnlyError):
        dose.delete()


def test_follow_ups_and_stock_events_refuse_updates_and_deletes(
    cast: Cast, dose: DoseRecord
) -> None:
    follow = PrnFollowUp.objects.create(dose=dose, effective=True, recorded_by=cast.carer)
    stock = StockEvent.objects.create(
        line=dose.line, kind=StockKind.RECEIVED, quantity=Decimal(32), recorded_by=cast.nurse
    )
    for table, pk in (("medicines_prnfollowup", follow.pk), ("medicines_stockevent", stock.pk)):
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"UPDATE {table} SET note = %s WHERE id = %s", "x", pk.hex)  # noqa: S608
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"DELETE FROM {table} WHERE id = %s", pk.hex)  # noqa: S608


@pytest.mark.skipif(connection.vendor != "sqlite", reason="INSERT OR REPLACE is SQLite's")
def test_insert_or_replace_over_a_dose_record_fails(dose: DoseRecord) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        raw(
            "INSERT OR REPLACE INTO medicines_doserecord SELECT * FROM medicines_doserecord "
            "WHERE id = %s",
            dose.id.hex,
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncating_dose_records_fails(dose: DoseRecord) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        truncate("medicines_doserecord")
