"""The commissioners' figures as JSON and CSV, one schema for both (docs/interoperability.md,
"Figures for commissioners"). A withheld figure (sharing.commission: fewer than 5 clients) is
null in JSON and named in the month's `suppressed`; in CSV its cell reads "suppressed". A figure
with nothing to work out (no ratings that month) is null in JSON and empty in CSV."""

import csv
import io
from typing import Any

from sharing.commission import SMALL, DomainFigures, MonthFigures
from sharing.selectors.figures import CommissionerReport

SCHEMA = "careteams/commissioner-figures/1"
SUPPRESSED = "suppressed"
MONTH_FIELDS = (
    "month",
    "first_day",
    "last_day",
    "hours_planned",
    "hours_delivered",
    "visits_planned",
    "visits_done",
    "visits_late",
    "visits_missed",
    "clients",
    "carers_per_client",
    "most_carers",
)
DOMAIN_FIELDS = (
    "clients",
    "problems_rated",
    "knowledge_change",
    "behaviour_change",
    "status_change",
)
RULE = (
    f"A count of fewer than {SMALL} clients, and any average over fewer than {SMALL} clients "
    "or rated problems, is withheld: null here, named in the month's `suppressed`."
)


def _value(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _domain_json(figures: DomainFigures) -> dict[str, Any]:
    return {"domain": figures.domain} | {
        name: _value(getattr(figures, name)) for name in DOMAIN_FIELDS
    }


def month_json(month: MonthFigures) -> dict[str, Any]:
    return (
        {name: _value(getattr(month, name)) for name in MONTH_FIELDS}
        | {"domains": [_domain_json(d) for d in month.domains]}
        | {"suppressed": month.suppressed}
    )


def report_json(report: CommissionerReport) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "team": report.team.name,
        "time_zone": report.team.timezone,
        "from": report.first_day.isoformat(),
        "to": report.last_day.isoformat(),
        "small_numbers": {"threshold": SMALL, "rule": RULE},
        "months": [month_json(m) for m in report.months],
    }


def _cell(value: Any, withheld: bool) -> Any:
    if withheld:
        return SUPPRESSED
    return "" if value is None else _value(value)


def _domain_field_key(domain: str, name: str) -> str:
    return f"{domain}.clients" if name == "clients" else f"{domain}.rating_change"


def report_csv(report: CommissionerReport) -> str:
    domains = [d.domain for d in report.months[0].domains] if report.months else []
    header = list(MONTH_FIELDS) + [f"{d}_{name}" for d in domains for name in DOMAIN_FIELDS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for month in report.months:
        hidden = set(month.suppressed)
        row = [_cell(getattr(month, name), name in hidden) for name in MONTH_FIELDS]
        for figures in month.domains:
            row += [
                _cell(getattr(figures, name), _domain_field_key(figures.domain, name) in hidden)
                for name in DOMAIN_FIELDS
            ]
        writer.writerow(row)
    return out.getvalue()
