"""Dose outcomes through the sync push (`dose.record`, `dose.correct`, `dose.follow_up`): queued
offline like notes, applied once, the PRN rule checked again on the server (a dose that broke it
offline is applied with a warning the team sees, never dropped), and two tablets recording the
same dose offline: one given, one conflict shown to the second carer."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from careteams.models import User
from medicines import mar, services
from medicines.models import DoseRecord, MedicineLine, PrnFollowUp
from medicines.selectors import doses_due
from scheduling.models import Visit, VisitAssignment
from scheduling.services import visits as visit_services
from tests.conftest import Cast, at
from tests.medicines.helpers import details, prn_details
from tests.mobile_api.conftest import Api
from tests.mobile_api.test_sync import mutation, pull_all, push

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]

NOW = at("2026-11-25 08:20")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def checked(cast: Cast, **over: Any) -> MedicineLine:
    maker = prn_details if over.pop("prn", False) else details
    line = services.line_add(user=cast.nurse, client=cast.client, details=maker(**over))
    return services.line_check(user=cast.carer, line=line, version=line.version)


@pytest.fixture
def visit(cast: Cast) -> Visit:
    """The morning visit, both the carer and the nurse on it and checked in at 07:50."""
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=at("2026-11-25 07:45"),
        planned_end=at("2026-11-25 08:30"),
        carers_needed=2,
    )
    for member in (cast.carer_membership, cast.nurse_membership):
        VisitAssignment.objects.create(visit=visit, member=member)
    for member in (cast.carer_membership, cast.nurse_membership):
        visit = visit_services.visit_check_in(
            visit=visit,
            version=visit.version,
            member=member,
            actor=member.user,
            at=at("2026-11-25 07:50"),
        )
    return visit


def record(line: MedicineLine, visit: Visit, when: str, **data: Any) -> dict[str, Any]:
    body = {
        "id": str(uuid.uuid4()),
        "line_id": str(line.id),
        "visit_id": str(visit.id),
        "outcome": "given",
        **data,
    }
    return mutation("dose.record", body, recorded_at=at(when))


def test_two_tablets_recording_the_same_dose_offline_make_one_given_and_one_conflict(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    ramipril = checked(cast)
    due = at("2026-11-25 08:00").isoformat()
    [first] = push(
        api_as(cast.carer), cast.team.id, record(ramipril, visit, "2026-11-25 08:02", due_at=due)
    )
    [second] = push(
        api_as(cast.nurse), cast.team.id, record(ramipril, visit, "2026-11-25 08:03", due_at=due)
    )
    assert (first["status"], first["entity"]) == ("applied", "dose_record")
    assert second["status"] == "conflict"
    assert "Aoife Ní Bhriain" in second["problem"]["detail"]
    assert second["current"] == {"id": first["id"], "outcome": "given"}
    [stands] = DoseRecord.objects.filter(line=ramipril)
    assert (str(stands.id), stands.recorded_by) == (first["id"], cast.carer)
    assert stands.taken_at == at("2026-11-25 08:02")


def test_the_same_mutation_sent_again_records_the_dose_once(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    ramipril = checked(cast)
    dose = record(ramipril, visit, "2026-11-25 08:02", due_at=at("2026-11-25 08:00").isoformat())
    tablet = api_as(cast.carer)
    [once] = push(tablet, cast.team.id, dose)
    [again] = push(tablet, cast.team.id, dose)
    assert again == {**once, "repeated": True}
    assert DoseRecord.objects.filter(line=ramipril).count() == 1


def test_a_prn_dose_too_soon_offline_is_applied_with_a_warning_the_team_sees(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    paracetamol = checked(cast, prn=True)
    co_codamol = checked(cast, prn=True, name="Co-codamol", ingredients="codeine, paracetamol")
    tablet = api_as(cast.carer)
    results = push(
        tablet,
        cast.team.id,
        record(paracetamol, visit, "2026-11-25 07:55", amount="2", prn_reason="Knee pain"),
        record(co_codamol, visit, "2026-11-25 08:10", amount="2", prn_reason="Still hurts"),
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    late = DoseRecord.objects.get(pk=results[1]["id"])
    assert "PRN rule" in late.warning
    chart = mar.mar_build(
        client=cast.client, first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 30)
    )
    assert [e.record.pk for e in chart.warnings] == [late.pk]


def test_a_correction_and_a_prn_follow_up_are_pushed_like_any_record(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    ramipril = checked(cast)
    paracetamol = checked(cast, prn=True)
    tablet = api_as(cast.carer)
    given, prn = push(
        tablet,
        cast.team.id,
        record(ramipril, visit, "2026-11-25 08:02", due_at=at("2026-11-25 08:00").isoformat()),
        record(paracetamol, visit, "2026-11-25 08:05", amount="1", prn_reason="Headache"),
    )
    correction = {
        "id": str(uuid.uuid4()),
        "supersedes_id": given["id"],
        "outcome": "refused",
        "correction_reason": "Spat it out",
    }
    follow_up = {"id": str(uuid.uuid4()), "dose_id": prn["id"], "effective": True}
    corrected, followed = push(
        tablet,
        cast.team.id,
        mutation("dose.correct", correction),
        mutation("dose.follow_up", follow_up),
    )
    assert (corrected["status"], followed["status"]) == ("applied", "applied")
    assert DoseRecord.objects.get(pk=corrected["id"]).supersedes_id == uuid.UUID(given["id"])
    assert PrnFollowUp.objects.get(pk=followed["id"]).effective is True


def test_a_correction_before_its_record_is_retried_and_a_bad_outcome_names_its_field(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    ramipril = checked(cast)
    tablet = api_as(cast.carer)
    early = {
        "id": str(uuid.uuid4()),
        "supersedes_id": str(uuid.uuid4()),
        "outcome": "refused",
        "correction_reason": "Spat it out",
    }
    wrong = record(ramipril, visit, "2026-11-25 08:02", outcome="swallowed")
    retry, rejected = push(tablet, cast.team.id, mutation("dose.correct", early), wrong)
    assert retry["status"] == "retry"
    assert rejected["status"] == "rejected"
    assert rejected["problem"]["errors"][0]["field"] == "data.outcome"


def test_a_dose_of_another_teams_client_is_a_404_and_nothing_is_recorded(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    ramipril = checked(cast)
    stranger = api_as(cast.other_nurse)
    dose = record(ramipril, visit, "2026-11-25 08:02", due_at=at("2026-11-25 08:00").isoformat())
    response = stranger.post(f"/sync/{cast.team.id}/mutations", {"mutations": [dose]})
    assert response.status_code == 404
    [mine] = push(api_as(cast.other_nurse), cast.other_team.id, dose)
    assert (mine["status"], mine["problem"]["status"]) == ("rejected", 404)
    assert not DoseRecord.objects.exists()


def test_a_dose_pushed_before_its_carer_checked_in_is_refused_naming_why(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    ramipril = checked(cast)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=at("2026-11-25 07:45"),
        planned_end=at("2026-11-25 08:30"),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    dose = record(ramipril, visit, "2026-11-25 08:02", due_at=at("2026-11-25 08:00").isoformat())
    [refused] = push(api_as(cast.carer), cast.team.id, dose)
    assert refused["status"] == "rejected"
    assert (refused["problem"]["status"], refused["problem"]["code"]) == (403, "not_checked_in")
    assert not DoseRecord.objects.exists()


def test_a_check_out_made_offline_with_a_dose_unrecorded_is_taken_and_the_dose_left_open(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    """The carer has left already: refusing the check-out would lose when they left. The dose
    stays without an outcome, so it turns missed for the team at the end of its window."""
    ramipril = checked(cast)
    leave = mutation(
        "visit.check_out",
        {"visit_id": str(visit.id)},
        base=visit.version,
        recorded_at=at("2026-11-25 08:25"),
    )
    [left] = push(api_as(cast.carer), cast.team.id, leave)
    assert left["status"] == "applied", left.get("problem")
    visit.refresh_from_db()
    [due] = [dose for dose in doses_due(visit=visit) if dose.line == ramipril]
    assert due.record is None


def test_a_dose_with_the_morning_visit_is_pulled_and_pushed_at_the_visits_start(
    cast: Cast, visit: Visit, api_as: Callable[[User], Api]
) -> None:
    levothyroxine = checked(cast, name="Levothyroxine", times=[], visit_part="morning")
    tablet = api_as(cast.carer)
    changes, _cursor = pull_all(tablet, cast.team.id)
    pulled = [c for c in changes if c["entity"] == "medicine_line"][-1]  # added, then checked
    assert (pulled["data"]["times"], pulled["data"]["visit_part"]) == ([], "morning")
    at_three = record(
        levothyroxine, visit, "2026-11-25 08:05", due_at=at("2026-11-25 15:00").isoformat()
    )
    [refused] = push(tablet, cast.team.id, at_three)
    assert refused["problem"]["detail"] == "This medicine has no dose due at that time."
    # A tablet that saw the morning dose at the part's default time (before the visit was
    # planned) gave it: it is kept, on the dose at the visit's start, and says it moved.
    at_eight = record(
        levothyroxine, visit, "2026-11-25 08:05", due_at=at("2026-11-25 08:00").isoformat()
    )
    [applied] = push(tablet, cast.team.id, at_eight)
    assert applied["status"] == "applied"
    [dose] = doses_due(visit=visit)
    assert dose.record is not None
    assert "moved with its visit" in dose.record.warning
    assert dose.due_at == visit.planned_start
