"""The medicines record as the API's plain data. Reads what the caller already loaded."""

from typing import Any

from medicines.mar import Cell, Entry, Mar
from medicines.models import DoseRecord, MedicineLine
from medicines.selectors import DueDose
from medicines.words import dose_range


def line_out(line: MedicineLine) -> dict[str, Any]:
    return {
        **{
            name: getattr(line, name)
            for name in (
                "id",
                "name",
                "form",
                "strength",
                "dmd_code",
                "dmd_kind",
                "route",
                "dose_min",
                "dose_max",
                "dose_unit",
                "time_tolerance_minutes",
                "visit_part",
                "food",
                "support",
                "starts_on",
                "stops_on",
                "review_on",
                "supply",
                "body_site",
                "opened_on",
                "instructions",
                "time_critical",
                "cd_schedule",
                "covert",
                "source",
                "prn",
                "prn_for",
                "prn_min_interval_minutes",
                "prn_max_24h",
                "prn_if_ineffective",
                "status",
                "version",
            )
        },
        "ingredients": line.ingredient_list,
        "times": list(line.times or []),
        "checked": line.checked_by_id is not None,
    }


def record_out(record: DoseRecord) -> dict[str, Any]:
    by = record.recorded_by
    return {
        "id": record.id,
        "line_id": record.line_id,
        "visit_id": record.visit_id,
        "due_at": record.due_at,
        "outcome": record.outcome,
        "amount": record.amount,
        "reason": record.reason,
        "note": record.note,
        "prn_reason": record.prn_reason,
        "taken_at": record.taken_at,
        "by_id": record.recorded_by_id,
        "by_name": by.get_full_name() or by.email,
        "recorded_at": record.recorded_at,
        "supersedes_id": record.supersedes_id,
        "correction_reason": record.correction_reason,
        "warning": record.warning,
    }


def _earlier(entry: Entry | None) -> list[dict[str, Any]]:
    out = []
    while entry is not None and entry.corrects is not None:
        entry = entry.corrects
        out.append(record_out(entry.record))
    return list(reversed(out))


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "day": cell.day,
        "due_at": cell.due_at,
        "state": cell.state,
        "code": cell.code,
        "record": record_out(cell.entry.record) if cell.entry else None,
        "earlier": _earlier(cell.entry),
    }


def mar_out(mar: Mar, key: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "client_id": mar.client.id,
        "first": mar.first,
        "last": mar.last,
        "days": mar.days,
        "lines": [
            {
                "line": line_out(chart.line),
                "rows": [
                    {
                        "time": row.time,
                        "visit_part": row.visit_part,
                        "cells": [_cell(c) for c in row.cells],
                    }
                    for row in chart.rows
                ],
            }
            for chart in mar.lines
        ],
        "prn_lines": [line_out(line) for line in mar.prn_lines],
        "prn_doses": [
            {
                "line_id": dose.line.id,
                "record": record_out(dose.entry.record),
                "follow_ups": [
                    {
                        "id": f.id,
                        "effective": f.effective,
                        "note": f.note,
                        "by_name": f.recorded_by.get_full_name() or f.recorded_by.email,
                        "recorded_at": f.recorded_at,
                    }
                    for f in dose.follow_ups
                ],
            }
            for dose in mar.prn_doses
        ],
        "gaps": mar.gaps,
        "key": dict(key),
    }


def doses_out(doses: list[DueDose]) -> list[dict[str, Any]]:
    return [
        {
            "line_id": d.line.id,
            "name": str(d.line),
            "dose": dose_range(d.line),
            "route": d.line.route,
            "due_at": d.due_at,
            "time_critical": d.time_critical,
            "visit_part": d.visit_part,
            "window_start": d.window_start,
            "window_end": d.window_end,
            "record": record_out(d.record) if d.record else None,
        }
        for d in doses
    ]
