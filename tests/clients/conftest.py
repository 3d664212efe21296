"""Care-plan fixtures on top of the standing cast: a problem with interventions and ratings,
notes (shared and not), and visits in the coming days."""

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone

from clients.models import CareProblem, Client, Intervention, Note, OutcomeRating
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast


@pytest.fixture
def problem(cast: Cast) -> CareProblem:
    """Dafydd's skin: a pressure ulcer, dressed every other day, rated twice."""
    today = timezone.localdate()
    problem = CareProblem.objects.create(
        client=cast.client,
        problem_code="24",
        severity="actual",
        signs_symptoms=["01"],
        identified_on=today - dt.timedelta(days=30),
    )
    Intervention.objects.create(
        problem=problem,
        category="treatments",
        target="17",
        care_description="Dress the heel ulcer with a foam dressing",
        frequency="every other day",
    )
    for days_ago, (k, b, s) in ((28, (2, 2, 2)), (7, (3, 4, 3))):
        OutcomeRating.objects.create(
            problem=problem,
            knowledge=k,
            behaviour=b,
            status=s,
            rated_on=today - dt.timedelta(days=days_ago),
            rated_by=cast.nurse,
        )
    return problem


@pytest.fixture
def make_note(cast: Cast) -> Callable[..., Note]:
    def make(body: str = "Slept well.", client: Client | None = None, **fields: object) -> Note:
        fields.setdefault("recorded_at", timezone.now())
        return Note.objects.create(
            id=uuid.uuid4(), client=client or cast.client, author=cast.nurse, body=body, **fields
        )

    return make


@pytest.fixture
def upcoming_visit(cast: Cast) -> Visit:
    start = timezone.now() + dt.timedelta(days=1)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=45),
        tasks=["Dressing"],
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit
