"""The team's own workings in the entity registry (careteams.registry). Written through the
teamwork services only (no admin hooks): decisions are append-only, and the rest belongs to the
team's pages and API."""

from typing import Any

from django.db import models

from careteams import registry
from careteams.registry import EntityName
from teamwork.models import ActionItem, AgendaItem, Decision, HelpRequest, Meeting, RoleTerm


def _team(obj: Any) -> Any:
    return obj.team


TEAM_ONLY: tuple[tuple[EntityName, type[models.Model]], ...] = (
    ("role_term", RoleTerm),
    ("meeting", Meeting),
    ("agenda_item", AgendaItem),
    ("decision", Decision),
    ("action_item", ActionItem),
)
for name, model in TEAM_ONLY:
    registry.register(registry.Entity(name=name, model=model, team_of=_team, plan_input=False))

# The coach answers the team's requests for help: they may follow them (no client detail).
registry.register(
    registry.Entity(
        name="help_request",
        model=HelpRequest,
        team_of=_team,
        coach=registry.ALL_FIELDS,
        plan_input=False,
    )
)
