"""Figures for commissioners, per team and calendar month, anonymised: pure functions of plain
rows (no Django, no I/O; sharing.selectors.figures loads the rows).

Built on the team's own figures (teamwork.figures): hours with clients, visits, late and missed,
continuity and the Omaha outcome change are worked out there, by the same rules as the team's
trends page; this adds what commissioners ask beyond them (hours planned, visits done, clients
by Omaha domain with their rating change) and the small-number rule.

Small numbers: a figure about fewer than SMALL (5) clients, or an average over fewer than 5
clients or rated problems, is withheld (None, listed in `suppressed`), so that no one can be
picked out of a month's figures. Visit and hour counts describe the service, not a person, and
are shown whole.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from teamwork.figures import PeriodFigures, RatingRow, VisitRow, outcome_change

SMALL = 5


@dataclass(frozen=True)
class ProblemRow:
    """A care problem, by number only: which client (an opaque key), its Omaha domain (the
    selector reads it from clients.omaha) and when it was open."""

    id: str
    client_key: str
    domain: str
    identified_on: dt.date
    resolved_on: dt.date | None


@dataclass(frozen=True)
class DomainFigures:
    domain: str
    clients: int | None
    problems_rated: int | None
    knowledge_change: float | None
    behaviour_change: float | None
    status_change: float | None


@dataclass
class MonthFigures:
    month: str  # YYYY-MM
    first_day: dt.date
    last_day: dt.date
    hours_planned: float
    hours_delivered: float
    visits_planned: int
    visits_done: int
    visits_late: int
    visits_missed: int
    clients: int | None
    carers_per_client: float | None
    most_carers: int | None
    domains: list[DomainFigures]
    suppressed: list[str] = field(default_factory=list)


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 3600)


def _small(count: int) -> bool:
    return 0 < count < SMALL


def _open_in(problem: ProblemRow, first: dt.date, last: dt.date) -> bool:
    return problem.identified_on <= last and (
        problem.resolved_on is None or problem.resolved_on >= first
    )


def _domain(
    domain: str, problems: Sequence[ProblemRow], ratings: Sequence[RatingRow]
) -> tuple[DomainFigures, list[str]]:
    clients = len({p.client_key for p in problems})
    rated, knowledge, behaviour, status = outcome_change(
        r for r in ratings if r.problem_id in {p.id for p in problems}
    )
    hide_counts, hide_change = _small(clients), _small(rated) or _small(clients)
    withheld = [f"{domain}.clients"] if hide_counts else []
    withheld += [f"{domain}.rating_change"] if hide_change else []
    return (
        DomainFigures(
            domain=domain,
            clients=None if hide_counts else clients,
            problems_rated=None if hide_change else rated,
            knowledge_change=None if hide_change else knowledge,
            behaviour_change=None if hide_change else behaviour,
            status_change=None if hide_change else status,
        ),
        withheld,
    )


def month_figures(
    base: PeriodFigures,
    *,
    visits: Iterable[VisitRow],
    problems: Iterable[ProblemRow],
    ratings: Iterable[RatingRow],
    domains: Sequence[str],
) -> MonthFigures:
    """One month: `base` is the team's own figures for it (teamwork.figures.period_figures)."""
    period = base.period
    first, last = period.first_day, period.first_day + dt.timedelta(days=period.days - 1)
    going = [
        v
        for v in visits
        if period.start <= v.planned_start < period.end and v.status != "cancelled"
    ]
    planned = sum(_hours(v.planned_start, v.planned_end) * max(1, len(v.carers)) for v in going)
    done = sum(1 for v in going if v.status == "done")
    month_ratings = [r for r in ratings if first <= r.rated_on <= last]
    by_domain: dict[str, list[ProblemRow]] = defaultdict(list)
    for problem in problems:
        if _open_in(problem, first, last):
            by_domain[problem.domain].append(problem)
    suppressed: list[str] = []
    per_domain = []
    for domain in domains:
        figures, withheld = _domain(domain, by_domain[domain], month_ratings)
        per_domain.append(figures)
        suppressed += withheld
    hide_clients = _small(base.clients)
    if hide_clients:
        suppressed += ["clients", "carers_per_client", "most_carers"]
    return MonthFigures(
        month=f"{first:%Y-%m}",
        first_day=first,
        last_day=last,
        hours_planned=planned,
        hours_delivered=base.client_hours,
        visits_planned=base.visits,
        visits_done=done,
        visits_late=base.late,
        visits_missed=base.missed,
        clients=None if hide_clients else base.clients,
        carers_per_client=None if hide_clients else base.carers_per_client,
        most_carers=None if hide_clients else base.most_carers,
        domains=per_domain,
        suppressed=suppressed,
    )
