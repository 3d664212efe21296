"""The commissioners' figures of one team over a range of months: for its members and its
coaches (careteams.access.teams_visible_to), never anyone else (NotFound, a 404).

The rows are the team figures' own (teamwork.selectors.figures.team_rows, six queries), and one
more for the care problems; nothing that names a client leaves this module: clients are
counted by opaque keys that the output never carries.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access
from careteams.access import AnyUser
from careteams.errors import DomainError
from careteams.models import Team
from clients.models import CareProblem
from clients.omaha import PROBLEMS, Domain
from sharing import commission
from sharing.commission import MonthFigures, ProblemRow
from teamwork import figures
from teamwork.selectors.figures import team_rows

# A report is for planning and contracts: two years at most in one request.
MOST_MONTHS = 24


@dataclass(frozen=True)
class CommissionerReport:
    team: Team
    first_day: dt.date
    last_day: dt.date
    months: list[MonthFigures]


def _months(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def months_checked(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The range asked for, or a 400 naming the parameter at fault."""
    if first is None:
        raise DomainError(_("from: a first day (YYYY-MM-DD) is needed"), field="from")
    if last is None:
        raise DomainError(_("to: a last day (YYYY-MM-DD) is needed"), field="to")
    if last < first:
        raise DomainError(_("to: the last day comes before the first"), field="to")
    if _months(first, last) > MOST_MONTHS:
        raise DomainError(
            _("to: at most %(n)s months in one report") % {"n": MOST_MONTHS}, field="to"
        )
    return first, last


def commissioner_report(
    *,
    user: AnyUser,
    team_id: uuid.UUID,
    first: dt.date | None,
    last: dt.date | None,
    now: dt.datetime | None = None,
) -> CommissionerReport:
    """The whole calendar months from the month of `first` to the month of `last`."""
    team = access.get_visible(access.teams_visible_to(user), team_id)
    first, last = months_checked(first, last)
    now = now or timezone.now()
    periods = figures.months_to(last.replace(day=1), _months(first, last), team.zone)
    rows = team_rows([team.pk], start=periods[0].start, end=periods[-1].end)
    base = figures.trend(
        periods,
        zone=team.zone,
        members=rows.members[team.pk],
        shifts=rows.shifts[team.pk],
        absences=rows.absences[team.pk],
        visits=rows.visits[team.pk],
        ratings=rows.ratings[team.pk],
        continuity_limit=team.continuity_limit,
        now=now,
        grace_minutes=team.late_grace_minutes,
    )
    problems = [
        ProblemRow(
            id=str(p["id"]),
            client_key=str(p["client_id"]),
            domain=PROBLEMS[p["problem_code"]].domain.value,
            identified_on=p["identified_on"],
            resolved_on=p["resolved_on"],
        )
        for p in CareProblem.objects.filter(
            client__team=team, identified_on__lte=periods[-1].end.date()
        ).values("id", "client_id", "problem_code", "identified_on", "resolved_on")
        if p["problem_code"] in PROBLEMS
    ]
    months = [
        commission.month_figures(
            row,
            visits=rows.visits[team.pk],
            problems=problems,
            ratings=rows.ratings[team.pk],
            domains=Domain.values,
        )
        for row in base
    ]
    return CommissionerReport(team, periods[0].first_day, months[-1].last_day, months)
