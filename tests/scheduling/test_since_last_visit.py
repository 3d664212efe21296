"""The visit card's "What changed since your last visit here" (issue 26): the care plan, how to
get in (the access notes, the key-safe code) and the risks, compared with this carer's last
visit to the client; shown at the top only when something changed."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from clients.services import care_plan
from clients.services import clients as client_services
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.visit_models import AttendanceRole, VisitAttendance
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db

TITLE = "What changed since your last visit here"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def visit_on(cast: Cast, day: int) -> Visit:
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(day, "08:00"),
        planned_end=on(day, "08:30"),
        tasks=["Breakfast"],
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit


def attended(cast: Cast, visit: Visit) -> None:
    VisitAttendance.objects.create(
        visit=visit,
        member=cast.carer_membership,
        role=AttendanceRole.ASSIGNED,
        checked_in_at=visit.planned_start,
        check_in_received_at=visit.planned_start,
        checked_out_at=visit.planned_end,
        check_out_received_at=visit.planned_end,
    )
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.DONE)


def card(cast: Cast, visit: Visit) -> str:
    browser = HttpClient()
    browser.force_login(cast.carer)
    url = reverse("scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


def update_client(cast: Cast, *, key_safe_code: str | None = None, **changed: object) -> None:
    client = type(cast.client).objects.get(pk=cast.client.pk)
    fields = {
        "given_name": client.given_name,
        "family_name": client.family_name,
        "postcode": client.postcode,
        "nhs_number": client.nhs_number or "",
        "access_notes": client.access_notes,
        "risk_flags": list(client.risk_flags),
    }
    client_services.client_update(
        client=client,
        version=client.version,
        details=client_services.ClientDetails(**(fields | changed)),  # type: ignore[arg-type]
        actor=cast.nurse,
        key_safe_code=key_safe_code,
    )


def test_a_first_visit_to_the_client_shows_no_changes(
    cast: Cast, clock: Callable[[dt.datetime], None]
) -> None:
    clock(on(0, "07:00"))
    update_client(cast, risk_flags=["falls"])
    clock(on(0, "07:50"))
    assert TITLE not in card(cast, visit_on(cast, 0))


def test_nothing_changed_since_my_last_visit_shows_nothing(
    cast: Cast, clock: Callable[[dt.datetime], None]
) -> None:
    clock(on(0, "07:00"))
    update_client(cast, risk_flags=["falls"])
    attended(cast, visit_on(cast, 0))
    clock(on(1, "07:50"))
    assert TITLE not in card(cast, visit_on(cast, 1))


def test_the_plan_access_key_safe_and_risks_changed_since_my_last_visit_are_at_the_top(
    cast: Cast, clock: Callable[[dt.datetime], None]
) -> None:
    clock(on(0, "07:00"))
    update_client(cast, risk_flags=["falls", "animals"])
    attended(cast, visit_on(cast, 0))
    clock(on(0, "12:00"))
    update_client(
        cast,
        access_notes="Use the side gate now.",
        risk_flags=["falls", "oxygen"],
        key_safe_code="9090",
    )
    care_plan.problem_add(
        client=cast.client,
        problem_code="28",
        scope="individual",
        severity="potential",
        signs_symptoms=[],
        identified_on=on(0, "12:00").date(),
        actor=cast.nurse,
    )
    clock(on(1, "07:50"))
    page = card(cast, visit_on(cast, 1))
    assert TITLE in page
    top = page[page.index(TITLE) : page.index('id="visit-state"')]
    assert "The care plan changed (1 change)" in top
    assert "How to get in changed" in top
    assert "The key-safe code changed." in top
    assert "New risk: Home oxygen." in top
    assert "No longer flagged: Animals in the home." in top
    assert "Falls risk" not in top
    assert page.index(TITLE) < page.index("Check in")
