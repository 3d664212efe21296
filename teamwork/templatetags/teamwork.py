"""Pieces of the team's workings shown on other apps' pages, each by one tag line:
`{% my_actions %}` on My day, `{% team_workings %}` on the team's home, `{% coach_teams %}` on
the coach's home."""

from typing import Any

from django import template

from careteams import access, timeutil
from careteams.models import Team, TeamRole
from careteams.skills import Skill
from teamwork import charts
from teamwork.selectors import figures, governance, meetings
from teamwork.selectors import help as help_selectors

register = template.Library()


def _labels(codes: list[str] | None, choices: type[Skill] | type[TeamRole]) -> str:
    """Stored codes as the reader's words, joined; a code no longer known shows as itself."""
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


@register.filter
def skill_labels(codes: list[str] | None) -> str:
    return _labels(codes, Skill)


@register.filter
def team_role_labels(codes: list[str] | None) -> str:
    return _labels(codes, TeamRole)


@register.inclusion_tag("teamwork/_my_actions.html", takes_context=True)
def my_actions(context: template.Context) -> dict[str, Any]:
    """The member's open actions and their role terms due to rotate (two queries). Reads My
    day's `day` (scheduling.selectors.MyDay): the member whose day it is."""
    day = context.get("day")
    member = getattr(day, "member", None)
    team = getattr(day, "team", None)
    if member is None or team is None:
        return {"actions": [], "terms": []}
    today = timeutil.local_today(team.zone)
    return {
        "team": team,
        "today": today,
        "actions": meetings.open_actions_for(member=member),
        "terms": governance.terms_due_for(member=member, today=today),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("teamwork/_team_workings.html", takes_context=True)
def team_workings(context: template.Context, team: Team) -> dict[str, Any]:
    """Links to how the team runs itself, with the roles due to rotate (members only)."""
    user = context.get("user")
    if access.membership_of(user, team) is None:
        return {"team": team, "member": False}
    view = governance.roles_of(user=user, team_id=team.pk)
    return {"team": team, "member": True, "due": view.due}


@register.inclusion_tag("teamwork/_coach_teams.html", takes_context=True)
def coach_teams(context: template.Context) -> dict[str, Any]:
    """The coach's teams with their weekly trends, and the teams' requests for help."""
    user = context.get("user")
    trends = figures.coached_trends(user=user)
    return {
        "teams": [(t, charts.trends(t.rows)[0], t.rows[-1] if t.rows else None) for t in trends],
        "requests": help_selectors.help_requests_for_coach(user=user),
    }
