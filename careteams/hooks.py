"""What the core asks of the feature apps without importing them.

The core (people, teams, access, the change feed) sits under every feature app and imports none
(pyproject.toml's import contracts check it). Where a core page needs something only a feature
knows, the feature registers an answer here from its app's `ready()`, and the core asks:

- `nav_sections`: each app's sections in the header of a team's pages, in INSTALLED_APPS order;
- `team_day_facts`: figures about a team's day for the team's home page (the visits of the day);
- `member_landing`: the page of a team a member lands on after signing in (their day);
- `plan_changed`: after a change of a kind the team's plan is derived from commits (the week's
  rule results are brought up to date: scheduling/selectors/week_refresh.py);
- `reader_roles`: what a reader of a record is when neither the team, the client nor family (a
  partner organisation reading over FHIR), for "who has read this record".

Kinds of record (their models, scoping for coaches and family) are declared in
`careteams.registry`; who may see a feature's records is the feature's own `access.py`, built
on `careteams.access`.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from careteams.models import Team

NavSections = Callable[[Team], list[dict[str, Any]]]
# (team, start, end) -> named counts of that span, e.g. {"visits": 12, "unassigned": 1}.
TeamDayFacts = Callable[[Team, dt.datetime, dt.datetime], dict[str, int]]

_nav: list[NavSections] = []
_team_day: list[TeamDayFacts] = []
_member_landing: list[str] = []
# (user ids) -> {user id: role in words} for the readers the app knows, e.g. partners.
ReaderRoles = Callable[[set[uuid.UUID]], dict[uuid.UUID, str]]
_reader_roles: list[ReaderRoles] = []


def register_nav(sections: NavSections) -> None:
    """Each as {"label": ..., "url": ...}; registering the same function twice adds it once."""
    if sections not in _nav:
        _nav.append(sections)


def nav_sections(team: Team) -> list[dict[str, Any]]:
    return [item for sections in _nav for item in sections(team)]


def register_team_day(facts: TeamDayFacts) -> None:
    if facts not in _team_day:
        _team_day.append(facts)


def team_day_facts(team: Team, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    found: dict[str, int] = {}
    for facts in _team_day:
        found.update(facts(team, start, end))
    return found


def register_member_landing(url_name: str) -> None:
    """A URL name taking the team's id (`team_id`); the last app to register it wins."""
    _member_landing[:] = [url_name]


def member_landing() -> str:
    """Where a team member lands: the registered page, else the team's own home page."""
    return _member_landing[0] if _member_landing else "team-home"


def register_reader_roles(roles: ReaderRoles) -> None:
    if roles not in _reader_roles:
        _reader_roles.append(roles)


def reader_roles(user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    found: dict[uuid.UUID, str] = {}
    for roles in _reader_roles:
        found.update(roles(user_ids))
    return found


# (team id) -> None, after a change the team's plan is derived from commits. Must never raise
# for a reason the writer could act on: the write has committed.
PlanChanged = Callable[[uuid.UUID], None]
_plan_changed: list[PlanChanged] = []


def register_plan_changed(refresh: PlanChanged) -> None:
    if refresh not in _plan_changed:
        _plan_changed.append(refresh)


def plan_changed(*, team_id: uuid.UUID) -> None:
    for refresh in _plan_changed:
        refresh(team_id)
