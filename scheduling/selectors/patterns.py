"""Reads for the visit patterns page: each pattern with the names of its usual carers."""

from dataclasses import dataclass

from careteams.access import AnyUser
from careteams.models import Team
from careteams.selectors import team_members
from scheduling.models import VisitPattern
from scheduling.selectors.records import patterns_of_team
from scheduling.selectors.week_load import member_name


@dataclass(frozen=True)
class PatternRow:
    pattern: VisitPattern
    usual_names: list[str]  # current members only, in the pattern's order


def pattern_rows(*, user: AnyUser, team: Team) -> list[PatternRow]:
    """Two queries: the patterns (with clients) and the team's members."""
    names = {str(m.pk): member_name(m) for m in team_members(user=user, team=team)}
    return [
        PatternRow(p, [names[str(i)] for i in p.usual_carers if str(i) in names])
        for p in patterns_of_team(user=user, team=team)
    ]
