"""The morning-peak bench's figures (bench/load/morning_report.py): each kind's times, refusals
and errors told apart, CPU per request, and the rate carried under the p99 goal."""

from typing import Any

import pytest

from bench.load import morning_report
from bench.load.morning_http import Tally


def tally() -> Tally:
    found = Tally()
    for ms in range(1, 101):
        found.add("check in", float(ms), 200)
    found.add("check out", 40.0, 409)
    found.add("check out", 50.0, 502)
    found.fail("check out")
    found.add("sync push", 30.0, 200)
    found.refuse("sync push")
    return found


def test_each_kind_has_its_count_times_refusals_and_errors() -> None:
    figures = morning_report.summarise(
        tally(), seconds=10.0, app_cpu=0.5, db_cpu=0.1, runner_cpu=0.2
    )
    check_in = figures["kinds"]["check in"]
    assert (check_in["count"], check_in["p50_ms"], check_in["p99_ms"]) == (100, 51.0, 100.0)
    # A version or a rule saying no is a refusal; a 5xx or no answer at all is an error.
    check_out = figures["kinds"]["check out"]
    assert (check_out["count"], check_out["refused"], check_out["errors"]) == (2, 1, 2)
    assert figures["kinds"]["sync push"]["refused"] == 1
    assert (figures["requests"], figures["errors"], figures["refused"]) == (103, 2, 2)
    assert figures["rps"] == pytest.approx(10.3)
    assert figures["app_cpu_ms"] == pytest.approx(500 / 103)
    assert figures["db_cpu_ms"] == pytest.approx(100 / 103)
    assert figures["runner_cpu_ms"] == pytest.approx(200 / 103)


def rate(rate: int, p99: float, errors: int = 0) -> dict[str, Any]:
    return {
        "rate": rate,
        "errors": errors,
        "kinds": {"check in": {"p99_ms": p99}, "socket open": {"p99_ms": None}},
    }


def test_the_rate_carried_is_the_highest_under_the_goal_with_no_error() -> None:
    rates = [rate(3000, 80), rate(6000, 120), rate(12000, 250, errors=1), rate(24000, 900)]
    assert morning_report.carried(rates, 300) == 6000
    assert morning_report.carried([rate(3000, 301)], 300) is None


def test_the_report_has_a_row_a_rate_and_the_last_rates_kinds() -> None:
    figures = morning_report.summarise(tally(), seconds=10.0, app_cpu=0.5, db_cpu=0.1)
    figures.update({"rate": 6000, "sequences": 200})
    meta = {
        "carers": 200, "carer_teams": 150, "planners": 10, "readers": 20, "visits": 3,
        "think_s": 1.0, "sockets": True, "http": "wsgi", "workers": 2, "minutes": 2.0,
        "started": "2026-12-07 23:50 UTC", "commit": "abc1234",
    }  # fmt: skip
    text = morning_report.markdown({"meta": meta, "rates": [figures], "carried": None})
    assert "| 6,000 | 10 | 50 | 99 | 2 | 2 | 4.9 | 1.0 | 0.0 |" in text
    assert "| check out | 2 | 50 | 50 | 1 | 2 |" in text
    assert "none of the rates" in text
    assert morning_report.line(figures).startswith("6,000 an hour (200 mornings): 10 rps")
