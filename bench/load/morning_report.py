"""The morning-peak bench's figures (bench/load/morning.py): per rate, and the rate it carries."""

from collections.abc import Mapping, Sequence
from typing import Any

from bench.load.morning_http import Tally


def _cut(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarise(
    tally: Tally, *, seconds: float, app_cpu: float, db_cpu: float, runner_cpu: float = 0.0
) -> dict[str, Any]:
    """Each kind's count, p50 and p99 (ms), its 4xx ("refused": a rule or a version said no)
    and its errors (5xx and requests that got no answer); the totals; CPU ms per request of
    the app, of PostgreSQL and of the bench's own runner (on the same cores)."""
    kinds: dict[str, dict[str, Any]] = {}
    for kind in sorted(set(tally.times) | set(tally.failures)):
        times = tally.times.get(kind, [])
        statuses = tally.statuses.get(kind, {})
        kinds[kind] = {
            "count": len(times),
            "p50_ms": _cut(times, 0.50) if times else None,
            "p99_ms": _cut(times, 0.99) if times else None,
            "refused": sum(n for s, n in statuses.items() if 400 <= s < 500)
            + tally.refusals.get(kind, 0),
            "errors": sum(n for s, n in statuses.items() if s >= 500) + tally.failures[kind],
            "statuses": dict(statuses),
        }
    answered = sum(k["count"] for k in kinds.values())
    every = [t for times in tally.times.values() for t in times]
    return {
        "seconds": seconds,
        "requests": answered,
        "rps": answered / seconds if seconds else 0.0,
        "p50_ms": _cut(every, 0.50) if every else None,
        "p99_ms": _cut(every, 0.99) if every else None,
        "errors": sum(k["errors"] for k in kinds.values()),
        "refused": sum(k["refused"] for k in kinds.values()),
        "app_cpu_ms": app_cpu * 1000 / max(1, answered),
        "db_cpu_ms": db_cpu * 1000 / max(1, answered),
        "runner_cpu_ms": runner_cpu * 1000 / max(1, answered),
        "kinds": kinds,
    }


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def line(found: Mapping[str, Any]) -> str:
    worst = max(
        (k for k in found["kinds"].items() if k[1]["p99_ms"] is not None),
        key=lambda k: k[1]["p99_ms"],
        default=("–", {"p99_ms": None}),
    )
    return (
        f"{found['rate']:,} an hour ({found['sequences']} mornings): {found['rps']:.0f} rps, "
        f"p99 {_ms(found['p99_ms'])} ms (worst {worst[0]}: {_ms(worst[1]['p99_ms'])} ms), "
        f"{found['errors']} errors, {found['refused']} refused, app CPU "
        f"{found['app_cpu_ms']:.1f} ms, PostgreSQL {found['db_cpu_ms']:.1f} ms and the runner "
        f"{found['runner_cpu_ms']:.1f} ms a request"
    )


def carried(rates: Sequence[Mapping[str, Any]], goal_ms: float) -> int | None:
    """The highest rate at which every kind's p99 was under `goal_ms`, with no error."""
    good = [
        r["rate"]
        for r in rates
        if r["errors"] == 0
        and all(k["p99_ms"] is None or k["p99_ms"] <= goal_ms for k in r["kinds"].values())
    ]
    return max(good, default=None)


def markdown(result: Mapping[str, Any]) -> str:
    meta = result["meta"]
    sockets = "on" if meta["sockets"] else "off"
    served = f"{meta['http']} with {meta['workers']} workers behind nginx"
    out = [
        f"**Morning peak.** {meta['carers']} carers of {meta['carer_teams']} teams, "
        f"{meta['planners']} planners, {meta['readers']} family readers; {meta['visits']} visits "
        f"a morning, {meta['think_s']} s between steps, sockets {sockets}; {served}; "
        f"{meta['minutes']} min a rate; {meta['started']}, commit {meta['commit']}",
        "",
        "| mornings an hour | rps | p50 ms | p99 ms | errors | refused | app CPU ms/req "
        "| PostgreSQL CPU ms/req | runner CPU ms/req |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rates"]:
        out.append(
            f"| {r['rate']:,} | {r['rps']:.0f} | {_ms(r['p50_ms'])} | {_ms(r['p99_ms'])} "
            f"| {r['errors']} | {r['refused']} | {r['app_cpu_ms']:.1f} | {r['db_cpu_ms']:.1f} "
            f"| {r.get('runner_cpu_ms', 0.0):.1f} |"
        )
    carried_rate = result["carried"]
    out += [
        "",
        "Carried with every kind's p99 under 300 ms and no error: "
        + ("none of the rates" if carried_rate is None else f"{carried_rate:,} mornings an hour"),
        "",
    ]
    if result["rates"]:
        last = result["rates"][-1]
        out += [
            f"At {last['rate']:,} an hour, by kind:",
            "",
            "| request | count | p50 ms | p99 ms | refused | errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind, k in last["kinds"].items():
            out.append(
                f"| {kind} | {k['count']} | {_ms(k['p50_ms'])} | {_ms(k['p99_ms'])} "
                f"| {k['refused']} | {k['errors']} |"
            )
    return "\n".join(out) + "\n"
