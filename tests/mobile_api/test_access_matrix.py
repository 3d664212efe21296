"""The access matrix (docs/architecture.md, Who may see what) for every API operation and role.

The operations come from the OpenAPI document itself: a new operation without a rule here fails
`test_every_operation_has_a_rule`. Refusals never confirm a record: another team's member and
a family member without access get 404, anonymous callers 401."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from accounts import tokens
from careteams.models import AccessEvent, Door, User
from clients.models import CareProblem, Note
from messaging.models import HandoverNote
from mobile_api.api import api as ninja_api
from scheduling.models import Absence, Shift, Visit
from tests.conftest import Cast, at
from tests.mobile_api.conftest import API, Api
from tests.teamwork.conftest import workings_ids

ROLES = ("member", "other_member", "coach", "family", "family_without", "client", "anonymous")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
MEMBER = frozenset({"member"})
FEED = frozenset({"member", "coach", "family", "client"})  # pull what each may see
FAMILY_VIEW = frozenset({"family", "client"})
MEMBER_AND_COACH = frozenset({"member", "coach"})  # the team channel
PUBLIC = "public"

RULES: dict[tuple[str, str], frozenset[str] | str] = {
    ("POST", "/auth/sign-in"): PUBLIC,
    # The bare endpoint the load bench measures against (bench/load/): says nothing of anyone.
    ("GET", "/ping"): PUBLIC,
    ("GET", "/auth/tokens"): SIGNED_IN,
    # Each token is its owner's: here the member's own.
    ("DELETE", "/auth/tokens/{token_id}"): MEMBER,
    ("POST", "/socket-ticket"): SIGNED_IN,
    ("GET", "/me"): SIGNED_IN,
    ("GET", "/teams/{team_id}/week/{monday}"): MEMBER,
    ("GET", "/teams/{team_id}/my-day"): MEMBER,
    ("POST", "/teams/{team_id}/shifts"): MEMBER,
    ("PUT", "/teams/{team_id}/shifts/{shift_id}"): MEMBER,
    ("DELETE", "/teams/{team_id}/shifts/{shift_id}"): MEMBER,
    ("POST", "/teams/{team_id}/absences"): MEMBER,
    ("PUT", "/teams/{team_id}/absences/{absence_id}"): MEMBER,
    ("DELETE", "/teams/{team_id}/absences/{absence_id}"): MEMBER,
    ("GET", "/teams/{team_id}/visits/{visit_id}"): MEMBER,
    ("POST", "/teams/{team_id}/visits/{visit_id}/carers"): MEMBER,
    ("DELETE", "/teams/{team_id}/visits/{visit_id}/carers/{member_id}"): MEMBER,
    ("POST", "/teams/{team_id}/visits/{visit_id}/check-in"): MEMBER,
    ("POST", "/teams/{team_id}/visits/{visit_id}/check-out"): MEMBER,
    ("GET", "/teams/{team_id}/my-day/visits"): MEMBER,
    ("GET", "/teams/{team_id}/visits/{visit_id}/card"): MEMBER,
    ("POST", "/teams/{team_id}/visits/{visit_id}/task-outcomes"): MEMBER,
    ("POST", "/teams/{team_id}/visits/{visit_id}/withdraw"): MEMBER,
    ("POST", "/teams/{team_id}/visits/{visit_id}/missed"): MEMBER,
    ("GET", "/teams/{team_id}/clients/{client_id}/task-outcomes"): MEMBER,
    ("GET", "/teams/{team_id}/clients"): MEMBER,
    ("GET", "/clients/{client_id}"): MEMBER,
    ("GET", "/clients/{client_id}/care-plan"): MEMBER,
    ("GET", "/clients/{client_id}/notes"): MEMBER,
    ("GET", "/clients/{client_id}/records"): MEMBER,
    ("POST", "/clients/{client_id}/notes"): MEMBER,
    ("POST", "/clients/{client_id}/notes/{note_id}/amendments"): MEMBER,
    ("POST", "/clients/{client_id}/problems"): MEMBER,
    ("POST", "/clients/{client_id}/problems/{problem_id}/resolve"): MEMBER,
    ("POST", "/clients/{client_id}/problems/{problem_id}/interventions"): MEMBER,
    ("POST", "/clients/{client_id}/problems/{problem_id}/ratings"): MEMBER,
    # Everyone signed in may ask which clients they follow; the list is theirs alone.
    ("GET", "/family/clients"): SIGNED_IN,
    ("GET", "/family/clients/{client_id}"): FAMILY_VIEW,
    ("GET", "/sync/{team_id}/changes"): FEED,
    ("POST", "/sync/{team_id}/mutations"): MEMBER,
    # How the team runs itself: the team's own; its coach reads the figures.
    ("GET", "/teams/{team_id}/settings"): MEMBER,
    ("PUT", "/teams/{team_id}/settings"): MEMBER,
    ("GET", "/teams/{team_id}/members"): MEMBER,
    ("PUT", "/teams/{team_id}/members/{member_id}"): MEMBER,
    ("GET", "/teams/{team_id}/role-terms"): MEMBER,
    ("POST", "/teams/{team_id}/role-terms"): MEMBER,
    ("POST", "/teams/{team_id}/role-terms/{term_id}/end"): MEMBER,
    ("GET", "/teams/{team_id}/meetings"): MEMBER,
    ("POST", "/teams/{team_id}/meetings"): MEMBER,
    ("GET", "/teams/{team_id}/meetings/{meeting_id}"): MEMBER,
    ("POST", "/teams/{team_id}/meetings/{meeting_id}/agenda"): MEMBER,
    ("POST", "/teams/{team_id}/agenda/{item_id}/decision"): MEMBER,
    ("GET", "/teams/{team_id}/decisions"): MEMBER,
    ("POST", "/teams/{team_id}/decisions/{decision_id}/supersede"): MEMBER,
    ("POST", "/teams/{team_id}/decisions/{decision_id}/actions"): MEMBER,
    ("GET", "/teams/{team_id}/my-actions"): MEMBER,
    ("POST", "/teams/{team_id}/actions/{action_id}/take"): MEMBER,
    ("POST", "/teams/{team_id}/actions/{action_id}/done"): MEMBER,
    ("GET", "/teams/{team_id}/figures"): frozenset({"member", "coach"}),
    # Messages: the team channel is the team's and its coach's; a client's is the team's only.
    ("GET", "/teams/{team_id}/channels"): MEMBER_AND_COACH,
    ("GET", "/teams/{team_id}/messages"): MEMBER_AND_COACH,
    ("POST", "/teams/{team_id}/messages"): MEMBER_AND_COACH,
    ("POST", "/teams/{team_id}/messages/read"): MEMBER_AND_COACH,
    ("GET", "/clients/{client_id}/messages"): MEMBER,
    ("POST", "/clients/{client_id}/messages"): MEMBER,
    ("POST", "/clients/{client_id}/messages/read"): MEMBER,
    ("GET", "/teams/{team_id}/handovers"): MEMBER,
    ("POST", "/teams/{team_id}/handovers"): MEMBER,
    ("GET", "/clients/{client_id}/handovers"): MEMBER,
    ("POST", "/handovers/{handover_id}/read"): MEMBER,
    ("GET", "/family/clients/{client_id}/messages"): FAMILY_VIEW,
    # Medicines (issue 25): the client's team only.
    ("GET", "/clients/{client_id}/medicines"): MEMBER,
    ("GET", "/clients/{client_id}/mar"): MEMBER,
}

# Who must get exactly 404 when refused: for them the team and its records do not exist. The
# coach, family and client know the team (they follow parts of it) and may get 403 or 404.
NOTHING = frozenset({"other_member", "family_without"})


def operations() -> set[tuple[str, str]]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return {
        (method.upper(), path.removeprefix(API))
        for path, methods in paths.items()
        for method in methods
    }


def test_every_operation_has_a_rule() -> None:
    missing = sorted(operations() - set(RULES))
    assert not missing, f"API operations with no access rule in this test: {missing}"
    assert not set(RULES) - operations(), "Rules for operations that no longer exist"


def world(cast: Cast) -> tuple[dict[str, Any], dict[str, Any]]:
    """Path values naming existing records of the team, and a valid body for each write."""
    carer = cast.carer_membership
    start = at("2030-11-25 09:00")
    hours = dt.timedelta(hours=1)
    shift = Shift.objects.create(team=cast.team, member=carer, start=start, end=start + 8 * hours)
    absence = Absence.objects.create(
        team=cast.team,
        member=carer,
        kind="training",
        start=start + 48 * hours,
        end=start + 56 * hours,
    )
    visit = Visit.objects.create(
        team=cast.team, client=cast.client, planned_start=start, planned_end=start + hours
    )
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="27", severity="potential", identified_on=start.date()
    )
    note = Note.objects.create(
        client=cast.client, author=cast.nurse, body="Seen", recorded_at=start
    )
    token = tokens.token_issue(user=cast.nurse, name="Matrix tablet").device
    values = {
        "team_id": cast.team.id,
        "monday": "2030-11-25",
        "shift_id": shift.id,
        "absence_id": absence.id,
        "visit_id": visit.id,
        "member_id": carer.id,
        "client_id": cast.client.id,
        "note_id": note.id,
        "problem_id": problem.id,
        "token_id": token.id,
        **workings_ids(cast),
        "handover_id": HandoverNote.objects.create(
            team=cast.team, client=cast.client, author=cast.carer, body="Handover"
        ).id,
    }
    late = (start + 30 * hours).isoformat()
    shift_body = {
        "member_id": str(carer.id),
        "start": late,
        "end": (start + 37 * hours).isoformat(),
    }
    bodies = {
        "/auth/sign-in": {"email": cast.nurse.email, "password": "wrong", "device_name": "x"},
        "/teams/{team_id}/shifts": shift_body,
        "/teams/{team_id}/shifts/{shift_id}": {**shift_body, "version": 1},
        "/teams/{team_id}/absences": {**shift_body, "kind": "training"},
        "/teams/{team_id}/absences/{absence_id}": {**shift_body, "kind": "training", "version": 1},
        "/teams/{team_id}/visits/{visit_id}/carers": {"member_id": str(carer.id), "version": 1},
        "/teams/{team_id}/visits/{visit_id}/check-in": {"version": 1},
        "/teams/{team_id}/visits/{visit_id}/check-out": {"version": 1},
        "/teams/{team_id}/visits/{visit_id}/task-outcomes": {
            "task_key": "visit:Bins out",
            "outcome": "done",
        },
        "/teams/{team_id}/visits/{visit_id}/withdraw": {"version": 1, "reason": "Wrong visit"},
        "/teams/{team_id}/visits/{visit_id}/missed": {"version": 1, "reason": "not_home"},
        "/clients/{client_id}/notes": {"id": str(uuid.uuid4()), "body": "Visit went well."},
        "/clients/{client_id}/notes/{note_id}/amendments": {
            "id": str(uuid.uuid4()),
            "body": "Correction.",
        },
        "/clients/{client_id}/problems": {"problem_code": "28", "identified_on": "2030-11-25"},
        "/clients/{client_id}/problems/{problem_id}/resolve": {
            "resolved_on": "2030-11-26",
            "version": 1,
        },
        "/clients/{client_id}/problems/{problem_id}/interventions": {
            "category": "surveillance",
            "target": "01",
            "care_description": "Check the skin.",
        },
        "/clients/{client_id}/problems/{problem_id}/ratings": {
            "knowledge": 3,
            "behaviour": 3,
            "status": 3,
            "rated_on": "2030-11-25",
        },
        "/sync/{team_id}/mutations": {"mutations": []},
        "/teams/{team_id}/settings": {"continuity_limit": 3, "version": 1},
        "/teams/{team_id}/members/{member_id}": {
            "skills": ["dementia"],
            "contracted_hours": 30,
            "version": 1,
        },
        "/teams/{team_id}/role-terms": {
            "member_id": str(carer.id),
            "role": "quality",
            "starts_on": "2030-11-25",
            "ends_on": "2031-05-25",
        },
        "/teams/{team_id}/role-terms/{term_id}/end": {"version": 1},
        "/teams/{team_id}/meetings": {"title": "Team meeting", "held_on": "2030-11-25"},
        "/teams/{team_id}/meetings/{meeting_id}/agenda": {"title": "Mileage"},
        "/teams/{team_id}/agenda/{item_id}/decision": {
            "text": "Weekends rotate.",
            "outcome": "agreed",
            "present": [str(carer.id)],
        },
        "/teams/{team_id}/decisions/{decision_id}/supersede": {
            "text": "Weekends rotate monthly.",
            "outcome": "changed",
            "present": [str(carer.id)],
        },
        "/teams/{team_id}/decisions/{decision_id}/actions": {
            "text": "Draw up the rota",
            "owner_id": str(carer.id),
            "due_on": "2030-11-29",
        },
        "/teams/{team_id}/actions/{action_id}/take": {"version": 1},
        "/teams/{team_id}/actions/{action_id}/done": {"version": 1},
        "/teams/{team_id}/messages": {"id": str(uuid.uuid4()), "body": "Hello team."},
        "/clients/{client_id}/messages": {"id": str(uuid.uuid4()), "body": "Hello."},
        "/teams/{team_id}/handovers": {"id": str(uuid.uuid4()), "body": "For the late shift."},
    }
    return values, bodies


def people(cast: Cast) -> dict[str, User | None]:
    return {
        "member": cast.nurse,
        "other_member": cast.other_nurse,
        "coach": cast.coach,
        "family": cast.family,
        "family_without": cast.family_without_access,
        "client": cast.client_user,
        "anonymous": None,
    }


def call(client: Api, method: str, path: str, values: dict[str, Any], body: Any) -> Any:
    url = path.format(**values)
    if method == "GET":
        return client.get(url)
    if method == "DELETE" and path.startswith("/teams/"):
        return client.delete(url, version=1)  # the rota's removals name a version
    if method == "DELETE":
        return client.delete(url)  # a parameter the operation does not take is a 400
    return client.post(url, body) if method == "POST" else client.put(url, body)


@pytest.mark.django_db
def test_every_operation_answers_every_role_as_the_table_says(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    values, bodies = world(cast)
    wrong = []
    # Refusals first, then the allowed calls, deletions last: an allowed write must not take
    # away the record a later call is about.
    order = sorted(RULES.items(), key=lambda item: item[0][0] == "DELETE")
    for role, user in people(cast).items():
        client = api_as(user) if user is not None else Api()
        for (method, path), rule in order:
            allowed = rule == PUBLIC or (role != "anonymous" and role in rule)
            if allowed:
                continue
            status = call(client, method, path, values, bodies.get(path)).status_code
            want = {401} if role == "anonymous" else {404} if role in NOTHING else {403, 404}
            if status not in want:
                wrong.append(f"{method} {path} as {role}: {status}, expected {sorted(want)}")
    for role, user in people(cast).items():
        client = api_as(user) if user is not None else Api()
        for (method, path), rule in order:
            allowed = rule == PUBLIC or (role != "anonymous" and role in rule)
            if not allowed:
                continue
            response = call(client, method, path, values, bodies.get(path))
            # Allowed means the operation ran: an answer about the request itself (a wrong
            # password, a stale version) is fine; a refusal or a server error is not.
            if response.status_code in (401, 403, 404) and path != "/auth/sign-in":
                wrong.append(f"{method} {path} as {role}: {response.status_code}, expected access")
            if response.status_code >= 500:
                wrong.append(f"{method} {path} as {role}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_refused_api_read_of_a_client_is_recorded(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    response = api_as(cast.other_nurse).get(f"/clients/{cast.client.id}")
    assert response.status_code == 404
    event = AccessEvent.objects.get(client_id=cast.client.id)
    assert (event.user, event.door, event.allowed) == (cast.other_nurse, Door.API, False)
