"""The team's workings on top of the standing cast: a meeting with an item, a decision with an
action, a role term and a request for help, all made through the services."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from careteams import timeutil
from teamwork.models import ActionItem, AgendaItem, Decision, HelpRequest, Meeting, RoleTerm
from teamwork.services import help as help_services
from teamwork.services import meetings, roles
from tests.conftest import Cast
from tests.mobile_api.conftest import api_as  # noqa: F401 - the API client fixture


@dataclass
class Workings:
    meeting: Meeting
    item: AgendaItem
    decided_item: AgendaItem
    decision: Decision
    action: ActionItem
    term: RoleTerm
    help_request: HelpRequest


def make_workings(cast: Cast) -> Workings:
    today = timeutil.local_today(cast.team.zone)
    meeting = meetings.meeting_create(
        team=cast.team, title="Team meeting", held_on=today, actor=cast.nurse
    )
    item = meetings.agenda_item_add(
        meeting=meeting, title="Weekend cover", proposal="Rotate weekends", actor=cast.carer
    )
    decided = meetings.agenda_item_add(
        meeting=meeting,
        title="Key safe codes",
        proposal="Keep them on the record",
        actor=cast.nurse,
    )
    decision = meetings.decision_record(
        item=decided,
        text="Key safe codes live on the client record only.",
        outcome="agreed",
        present=[cast.nurse_membership.pk, cast.carer_membership.pk],
        objections="",
        actor=cast.nurse,
    )
    action = meetings.action_add(
        decision=decision,
        text="Remove codes from the whiteboard",
        owner=cast.carer_membership,
        due_on=today + dt.timedelta(days=3),
        actor=cast.nurse,
    )
    term = roles.role_term_start(
        team=cast.team,
        member=cast.carer_membership,
        role="mentor",
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=120),
        actor=cast.nurse,
    )
    asked = help_services.help_request_ask(
        team=cast.team, topic="deciding", text="How do we run a consent round?", actor=cast.nurse
    )
    return Workings(meeting, item, decided, decision, action, term, asked)


def workings_ids(cast: Cast) -> dict[str, Any]:
    """One record of each kind, by the names the pages' and endpoints' routes give their ids."""
    w = make_workings(cast)
    return {
        "meeting_id": w.meeting.id,
        "item_id": w.item.id,
        "decision_id": w.decision.id,
        "action_id": w.action.id,
        "term_id": w.term.id,
        "request_id": w.help_request.id,
    }


@pytest.fixture
def workings(cast: Cast) -> Workings:
    return make_workings(cast)
