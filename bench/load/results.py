"""The pure part of the load bench: wrk's report in, medians, the table and comparisons out.

No Django, no processes: tests/bench/test_load_results.py checks it on its own.
"""

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

# What requests.lua's done() prints, on one line of wrk's output.
MARKER = "LOADBENCH "
BARE = "bare"


def parse_wrk(output: str) -> dict[str, Any]:
    """One wrk run's figures from its output (the line requests.lua prints)."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            report: dict[str, Any] = json.loads(line[len(MARKER) :])
            break
    else:
        raise ValueError(f"wrk printed no {MARKER.strip()} line:\n{output[-2000:]}")
    requests = int(report["requests"])
    seconds = report["duration_us"] / 1e6
    errors = report["errors"]
    latency = report["latency_us"]
    return {
        "requests": requests,
        "rps": requests / seconds if seconds else 0.0,
        "p50_ms": latency["p50"] / 1000,
        "p99_ms": latency["p99"] / 1000,
        "bytes": report["bytes"] / requests if requests else 0.0,
        # wrk's own "status" errors are the 4xx and 5xx among these: counted once, here.
        "non2xx": int(report["non2xx"]),
        "statuses": {str(code): int(n) for code, n in report["statuses"].items()},
        "socket_errors": sum(int(errors[kind]) for kind in ("connect", "read", "write")),
        "timeouts": int(errors["timeout"]),
    }


def summarise(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The medians of the runs' rates and times; errors of all runs added up."""
    if not runs:
        raise ValueError("no runs to summarise")
    statuses: dict[str, int] = {}
    for run in runs:
        for code, n in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    # A run in which no request finished (a slow path, a short run) has no latency to offer.
    answered = [run for run in runs if run["requests"]]

    def median(key: str) -> float | None:
        return statistics.median(run[key] for run in answered) if answered else None

    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50_ms": median("p50_ms"),
        "p99_ms": median("p99_ms"),
        "bytes": median("bytes"),
        # CPU per answered request, of the app's processes and of PostgreSQL (older results
        # have none).
        "app_cpu_ms": _median_of(runs, "app_cpu_ms"),
        "db_cpu_ms": _median_of(runs, "db_cpu_ms"),
        "requests": sum(run["requests"] for run in runs),
        "non2xx": sum(run["non2xx"] for run in runs),
        "statuses": statuses,
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "timeouts": sum(run["timeouts"] for run in runs),
    }


def _median_of(runs: Sequence[Mapping[str, Any]], key: str) -> float | None:
    found = [run[key] for run in runs if run.get(key) is not None and run["requests"]]
    return statistics.median(found) if found else None


def with_shares(paths: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each path's median throughput as a share of the bare endpoint's, measured alongside."""
    bare = paths[BARE]["median"]["rps"]
    return {
        key: {**path, "median": {**path["median"], "share": path["median"]["rps"] / bare}}
        if bare
        else {**path, "median": {**path["median"], "share": 0.0}}
        for key, path in paths.items()
    }


NONE = "–"


def kilobytes(size: float | None) -> str:
    if size is None:
        return NONE
    kb = size / 1024
    return f"{kb:.1f} KB" if kb < 10 else f"{kb:,.0f} KB"


def milliseconds(ms: float | None) -> str:
    if ms is None:
        return NONE
    return f"{ms:.1f}" if ms < 10 else f"{ms:,.0f}"


def errors_text(median: Mapping[str, Any]) -> str:
    parts = [f"{code}: {n}" for code, n in sorted(median["statuses"].items())]
    if median["timeouts"]:
        parts.append(f"timeouts: {median['timeouts']}")
    if median["socket_errors"]:
        parts.append(f"socket: {median['socket_errors']}")
    total = median["non2xx"] + median["timeouts"] + median["socket_errors"]
    return f"{total} ({', '.join(parts)})" if parts else "0"


def table(result: Mapping[str, Any]) -> str:
    """The markdown table of one result (the issue's columns, plus p50 and errors)."""
    lines = [
        "| path | rps | share of bare | p50 ms | p99 ms | bytes per response | errors "
        "| app CPU ms per request | PostgreSQL CPU ms per request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path in result["paths"].values():
        m = path["median"]
        lines.append(
            f"| {path['label']} | {m['rps']:,.0f} | {m['share']:.1%} | {milliseconds(m['p50_ms'])} "
            f"| {milliseconds(m['p99_ms'])} | {kilobytes(m['bytes'])} | {errors_text(m)} "
            f"| {milliseconds(m.get('app_cpu_ms'))} | {milliseconds(m.get('db_cpu_ms'))} |"
        )
    return "\n".join(lines)


def describe(meta: Mapping[str, Any]) -> str:
    """One line saying what was measured, under what load."""
    served = (
        f"gunicorn with {meta['workers']} workers (daphne for /ws/)"
        if meta["http"] == "wsgi"
        else f"{meta['workers']} daphne workers"
    )
    asking = (
        "1 client timing every request"
        if meta.get("exact")
        else f"{meta['connections']} connections"
    )
    return (
        f"{meta['teams']:,} teams, {meta['clients']:,} clients, {meta['users']} signed-in members "
        f"of {meta['user_teams']} teams; {asking}, {served} behind "
        f"nginx, pool of {meta.get('pool_max', '?')}; median of {meta['runs']} runs of "
        f"{meta['seconds']} s; {meta['started']}, commit {meta['commit']}"
    )


def markdown(result: Mapping[str, Any]) -> str:
    errors = (
        "errors: non-2xx answers, timeouts and socket errors, all runs together."
        " p50/p99: wrk's latency percentiles, from sending the request to its last byte;"
        " CPU: of the app's processes (nginx not counted) and of PostgreSQL, during the runs,"
        " per answered request;"
        f" {NONE}: no request finished within a run."
    )
    return f"{describe(result['meta'])}\n\n{table(result)}\n\n{errors}\n"


def compare(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    """p99(b) / p99(a) per path measured in both (e.g. at 1,000 teams over at 10 teams)."""
    lines = [
        f"a: {describe(a['meta'])}",
        f"b: {describe(b['meta'])}",
        "",
        "| path | p99 ms (a) | p99 ms (b) | p99 b / a | rps (a) | rps (b) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, path in b["paths"].items():
        if key not in a["paths"]:
            continue
        pa, pb = a["paths"][key]["median"], path["median"]
        ratio = f"{pb['p99_ms'] / pa['p99_ms']:.2f}" if pa["p99_ms"] and pb["p99_ms"] else NONE
        lines.append(
            f"| {path['label']} | {milliseconds(pa['p99_ms'])} | {milliseconds(pb['p99_ms'])} "
            f"| {ratio} | {pa['rps']:,.0f} | {pb['rps']:,.0f} |"
        )
    return "\n".join(lines)


def spread(users: int, connections: int) -> list[list[int]]:
    """Which users each connection signs in as, in turn: every user on one connection only,
    and neighbouring users (of different teams, as the runner orders them) on different
    connections. With fewer users than connections, users are shared."""
    if users < 1 or connections < 1:
        raise ValueError("need at least one user and one connection")
    if users < connections:
        return [[c % users] for c in range(connections)]
    return [list(range(c, users, connections)) for c in range(connections)]


def request_lines(rows: Iterable[tuple[int, str, str, str]]) -> str:
    """The file requests.lua reads: connection, path, header name, header value; tab-separated."""
    out = []
    for connection, path, name, value in rows:
        for field in (path, name, value):
            if "\t" in field or "\n" in field:
                raise ValueError(f"a tab or newline in {field!r}")
        out.append(f"{connection}\t{path}\t{name}\t{value}\n")
    return "".join(out)


def publish(result: Mapping[str, Any], report: str, out: Path | None) -> None:
    """Print the report; with `out`, write the result to its .json and the report to its .md."""
    print()
    print(report)
    if out is None:
        return
    out = out.with_suffix(".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    out.with_suffix(".md").write_text(report)
    print(f"Written to {out} and {out.with_suffix('.md')}")
