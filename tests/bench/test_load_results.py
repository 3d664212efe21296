"""The load bench's arithmetic (bench/load/results.py): wrk's report read right, medians of the
runs, shares of the bare endpoint, the ratio of two results, and connections spread over users."""

from typing import Any

import pytest

from bench.load import results

# A line as requests.lua printed it for a wrk run (one connection getting 404s).
WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:18777
  2 threads and 2 connections
Requests/sec:   1165.59
LOADBENCH {"requests": 2447, "duration_us": 2099357, "bytes": 674508, "non2xx": 646, \
"statuses": {"404": 646}, "errors": {"connect": 0, "read": 3, "write": 1, "status": 646, \
"timeout": 2}, "latency_us": {"p50": 1222, "p90": 4103, "p99": 12164, "mean": 2008, "max": 28588}}
"""


def run(rps: float, p99: float, requests: int = 100, non2xx: int = 0) -> dict[str, Any]:
    return {
        "requests": requests,
        "rps": rps,
        "p50_ms": p99 / 4,
        "p99_ms": p99,
        "bytes": 1000.0,
        "non2xx": non2xx,
        "statuses": {"500": non2xx} if non2xx else {},
        "socket_errors": 0,
        "timeouts": 0,
    }


def test_a_wrk_report_gives_rate_times_in_ms_bytes_per_answer_and_errors() -> None:
    figures = results.parse_wrk(WRK_OUTPUT)
    assert figures["requests"] == 2447
    assert figures["rps"] == pytest.approx(2447 / 2.099357)
    assert figures["p50_ms"] == pytest.approx(1.222)
    assert figures["p99_ms"] == pytest.approx(12.164)
    assert figures["bytes"] == pytest.approx(674508 / 2447)
    assert figures["non2xx"] == 646
    assert figures["statuses"] == {"404": 646}
    assert figures["socket_errors"] == 4
    assert figures["timeouts"] == 2


def test_wrk_output_without_the_bench_line_is_refused_with_the_output() -> None:
    with pytest.raises(ValueError, match="unable to connect"):
        results.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def test_the_summary_is_the_median_of_each_figure_and_the_sum_of_errors() -> None:
    summary = results.summarise([run(100, 30), run(300, 10, non2xx=2), run(200, 50, non2xx=1)])
    assert summary["rps"] == 200
    assert summary["p99_ms"] == 30
    assert summary["non2xx"] == 3
    assert summary["statuses"] == {"500": 3}
    assert summary["requests"] == 300


def test_a_run_where_nothing_finished_counts_for_the_rate_but_not_the_times() -> None:
    summary = results.summarise([run(0, 0, requests=0), run(4, 900), run(2, 700)])
    assert summary["rps"] == 2
    assert summary["p99_ms"] == 800
    empty = results.summarise([run(0, 0, requests=0)])
    assert empty["p99_ms"] is None
    assert "| – |" in results.table(
        {"paths": results.with_shares({results.BARE: {"label": "x", "median": empty}})}
    )


def test_each_path_gets_its_share_of_the_bare_endpoints_rate() -> None:
    paths = {
        results.BARE: {"label": "bare", "median": results.summarise([run(650, 270)])},
        "api-week": {"label": "API week", "median": results.summarise([run(10, 5810)])},
    }
    shared = results.with_shares(paths)
    assert shared[results.BARE]["median"]["share"] == 1
    assert shared["api-week"]["median"]["share"] == pytest.approx(10 / 650)
    assert "| API week | 10 | 1.5% | 1,452 | 5,810 | 1.0 KB | 0 | – | – |" in results.table(
        {"paths": shared}
    )


def test_cpu_per_request_is_the_median_of_the_runs_that_answered() -> None:
    runs = [
        {**run(100, 30), "app_cpu_ms": 11.0, "db_cpu_ms": 2.5},
        {**run(120, 20), "app_cpu_ms": 9.0, "db_cpu_ms": 3.5},
        {**run(0, 0, requests=0), "app_cpu_ms": 500.0, "db_cpu_ms": 500.0},
        {**run(110, 25), "app_cpu_ms": 10.0, "db_cpu_ms": 3.0},
    ]
    summary = results.summarise(runs)
    assert (summary["app_cpu_ms"], summary["db_cpu_ms"]) == (10.0, 3.0)
    table = results.table(
        {"paths": results.with_shares({results.BARE: {"label": "x", "median": summary}})}
    )
    assert table.splitlines()[-1].endswith("| 10 | 3.0 |")


def test_compare_gives_p99_of_b_over_a_for_the_paths_in_both() -> None:
    meta = {
        "teams": 10, "clients": 500, "users": 120, "user_teams": 10, "connections": 50,
        "workers": 2, "http": "asgi", "runs": 3, "seconds": 15, "started": "-", "commit": "-",
    }  # fmt: skip
    a = {"meta": meta, "paths": {"page-my-day": {"label": "page my day", "median": run(60, 1000)}}}
    b = {
        "meta": {**meta, "teams": 1000},
        "paths": {
            "page-my-day": {"label": "page my day", "median": run(57, 1620)},
            "new": {"label": "only in b", "median": run(1, 1)},
        },
    }
    text = results.compare(a, b)
    assert "| page my day | 1,000 | 1,620 | 1.62 | 60 | 57 |" in text
    assert "only in b" not in text


def test_every_user_is_on_one_connection_and_neighbours_are_on_different_ones() -> None:
    spread = results.spread(users=200, connections=50)
    assert sorted(u for users in spread for u in users) == list(range(200))
    assert [users[0] for users in spread] == list(range(50))
    assert all(len(users) == 4 for users in spread)


def test_with_fewer_users_than_connections_every_connection_still_has_a_user() -> None:
    spread = results.spread(users=19, connections=50)
    assert len(spread) == 50
    assert {users[0] for users in spread} == set(range(19))


def test_a_tab_in_a_request_line_is_refused() -> None:
    assert results.request_lines([(0, "/a", "", "")]) == "0\t/a\t\t\n"
    with pytest.raises(ValueError, match="tab or newline"):
        results.request_lines([(0, "/a", "Cookie", "x\ty")])
