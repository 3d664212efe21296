"""Schemathesis over the whole OpenAPI document, signed in as a nurse and as a family member,
with all its checks, on data the document allows and data it forbids: no server errors, every
answer (status, content type, body, headers) as the document says, forbidden data refused and
allowed data accepted (positive_data_acceptance is swapped for a version of it that lets a rule
of the domain refuse valid data, and nothing else: see valid_data_is_refused_only_by_a_rule).

The nurse's test also sends schemathesis's coverage cases (every parameter at and past its
bounds); the family member's, generated data only (see its docstring).

In valid data, generated ids are mostly swapped for real ones of the cast, so that operations
get past the 404 and into their services; the rest stay random and must be clean 404s.
"""

import uuid
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts import tokens
from careteams.models import User
from clients.models import CareProblem, Note
from scheduling.models import Absence, Shift, Visit, VisitAssignment
from tests.conftest import Cast
from tests.scheduling.conftest import on

django_app = get_wsgi_application()


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Django's WSGI app as its test client runs it: the request's end must not close the test's
    database connection (pytest-django holds the test in a transaction on it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = django_app(environ, start_response)
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return [body]


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
# Both kinds of data; the Authorization header is ours (below), not left out at random.
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], with_security_parameters=False
)
BODY_IDS = {"member_id": "member_id", "visit_id": "visit_id", "problem_ids": "problem_id"}


def valid_data_is_refused_only_by_a_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's positive_data_acceptance, except that a refusal by a rule of the domain
    (checking out before checking in, a visit of another client, a rating before the problem
    began: states no schema can describe) is not the document's fault. A refusal by the
    request's validation is, and so is a 428: the document allowed what the server refused."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 400 or status in (401, 403, 404, 409, 429):
        return None
    if status != 428 and not response.json()["type"].endswith("#problem-validation"):
        return None
    raise AssertionError(f"Schema-valid data refused: {status} {response.content[:500]!r}")


@pytest.fixture
def world(
    cast: Cast, problem: CareProblem, make_note: Any, upcoming_visit: Visit
) -> dict[str, Any]:
    shift = Shift.objects.create(
        team=cast.team, member=cast.carer_membership, start=on(0, "07:00"), end=on(0, "15:00")
    )
    absence = Absence.objects.create(
        team=cast.team,
        member=cast.nurse_membership,
        kind="training",
        start=on(2, "09:00"),
        end=on(2, "17:00"),
    )
    VisitAssignment.objects.filter(visit=upcoming_visit).update(member=cast.nurse_membership)
    note: Note = make_note("Slept well.", shareable=True)
    return {
        "team_id": cast.team.id,
        "client_id": cast.client.id,
        "visit_id": upcoming_visit.id,
        "problem_id": problem.id,
        "note_id": note.id,
        "shift_id": shift.id,
        "absence_id": absence.id,
        "member_id": cast.carer_membership.id,
    }


def _token(user: User) -> str:
    return tokens.token_issue(user=user, name="Schemathesis").token


def _call(case: Any, user: User, world: dict[str, Any]) -> None:
    if case.meta.generation.mode.is_positive:
        _use_real_ids(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {_token(user)}"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_data_is_refused_only_by_a_rule],
    )


FEW_DERANDOMISED = settings(
    max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


# Each test is parametrized by who asks, one value each: without a pytest parameter, the items
# schemathesis makes for the operations all get the test's bare name as their node id (with
# pytest 9), and xdist, which hands tests out by node id, then ran one operation of 73.
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["nurse"])
@schema.parametrize()
@settings(FEW_DERANDOMISED, phases=[Phase.explicit, Phase.generate])
def test_the_api_answers_every_generated_request_as_its_schema_says(
    case: Any, who: str, cast: Cast, world: dict[str, Any], settings: Any
) -> None:
    """The nurse, who reaches every operation's service, also gets schemathesis's coverage
    cases (the explicit phase): each parameter at its bounds and just past them, about 75
    requests an operation."""
    settings.API_WRITE_RATE = (100_000, 60)
    settings.API_SIGN_IN_RATE = (100_000, 60)
    _call(case, cast.nurse, world)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["family"])
@schema.parametrize()
@settings(FEW_DERANDOMISED, phases=[Phase.generate])
def test_the_api_answers_the_familys_generated_requests_as_its_schema_says(
    case: Any, who: str, cast: Cast, world: dict[str, Any], settings: Any
) -> None:
    """The family member, refused most operations, gets generated data only: the coverage
    cases test the document's bounds, the same whoever asks (the nurse's test above), and took
    as long again for answers that are mostly 404s (the access matrix checks those)."""
    settings.API_WRITE_RATE = (100_000, 60)
    settings.API_SIGN_IN_RATE = (100_000, 60)
    _call(case, cast.family, world)


def _use_real_ids(case: Any, world: dict[str, Any]) -> None:
    """Most generated ids become the cast's, so that requests reach the services; one in four
    stays random and must be a clean 404. Only for valid data: an invalid id must stay so."""
    for name, value in list((case.path_parameters or {}).items()):
        if name in world and uuid.UUID(str(value)).int % 4:
            case.path_parameters[name] = str(world[name])
    if isinstance(case.body, dict):
        for field, name in BODY_IDS.items():
            if isinstance(case.body.get(field), str):
                case.body[field] = str(world[name])
            elif isinstance(case.body.get(field), list) and case.body[field]:
                case.body[field] = [str(world[name])]
