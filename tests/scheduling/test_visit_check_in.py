"""The guarded check-in: too early asks for confirmation, another day is refused, a mistake is
withdrawn (and kept), each carer of a double-up checks in for themselves, a helper is recorded as
attending too, and the visit's own times follow its attendances."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from careteams.errors import ConfirmationNeeded, DomainError, NotAllowed, NotFound
from careteams.models import Change
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.services import visits
from scheduling.visit_models import AttendanceRole, VisitAttendance
from tests.conftest import Cast
from tests.scheduling.conftest import on

Clock = Callable[[dt.datetime], None]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def visit(cast: Cast) -> Visit:
    """Monday 09:00 to 09:30 (window 08:45 to 09:15), the carer's."""
    made = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(0, "09:00"),
        planned_end=on(0, "09:30"),
        window_start=on(0, "08:45"),
        window_end=on(0, "09:15"),
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


def check_in(cast: Cast, visit: Visit, **kwargs: object) -> Visit:
    visit.refresh_from_db()
    return visits.visit_check_in(
        visit=visit,
        version=visit.version,
        member=cast.carer_membership,
        actor=cast.carer,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_check_in_inside_the_window_is_taken_and_the_visit_is_in_progress(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(0, "08:50"))
    done = check_in(cast, visit)
    assert done.status == VisitStatus.IN_PROGRESS
    assert done.checked_in_at == on(0, "08:50")
    attendance = VisitAttendance.objects.get(visit=visit)
    assert attendance.role == AttendanceRole.ASSIGNED
    assert Change.objects.filter(entity="visit_attendance", entity_id=attendance.id).exists()


def test_a_check_in_hours_too_early_asks_for_confirmation_and_a_reason(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(0, "03:23"))
    with pytest.raises(ConfirmationNeeded) as asked:
        check_in(cast, visit)
    assert asked.value.code == "confirmation_required"
    assert asked.value.field == "confirm"
    assert not VisitAttendance.objects.exists()
    with pytest.raises(DomainError) as no_reason:
        check_in(cast, visit, confirm=True)
    assert no_reason.value.field == "reason"
    done = check_in(cast, visit, confirm=True, reason="Client rang, had a fall")
    assert done.status == VisitStatus.IN_PROGRESS
    assert VisitAttendance.objects.get().confirmed_reason == "Client rang, had a fall"


def test_a_check_in_just_inside_the_hour_before_the_window_needs_no_confirmation(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(0, "07:45"))
    assert check_in(cast, visit).status == VisitStatus.IN_PROGRESS


def test_a_check_in_on_another_day_than_the_visits_is_refused_even_when_confirmed(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(-1, "21:00"))
    with pytest.raises(DomainError) as refused:
        check_in(cast, visit, confirm=True, reason="Early")
    assert refused.value.field == "at"
    clock(on(1, "09:00"))
    with pytest.raises(DomainError, match="on that day only"):
        check_in(cast, visit, confirm=True, reason="Late")
    assert not VisitAttendance.objects.exists()


def test_a_mistaken_check_in_is_withdrawn_within_15_minutes_and_kept(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(0, "09:00"))
    check_in(cast, visit)
    clock(on(0, "09:10"))
    visit.refresh_from_db()
    back = visits.visit_check_in_withdraw(
        visit=visit,
        version=visit.version,
        member=cast.carer_membership,
        actor=cast.carer,
        reason="Wrong client",
    )
    assert back.status == VisitStatus.PLANNED
    assert back.checked_in_at is None
    kept = VisitAttendance.objects.get(visit=visit)
    assert kept.withdrawn_at == on(0, "09:10")
    assert kept.withdrawn_reason == "Wrong client"
    assert kept.checked_in_at == on(0, "09:00")
    # A new check-in afterwards is a new attendance; the withdrawn one stays.
    check_in(cast, visit)
    assert VisitAttendance.objects.filter(visit=visit).count() == 2


def test_a_check_in_older_than_15_minutes_is_not_withdrawn(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(0, "09:00"))
    check_in(cast, visit)
    clock(on(0, "09:16"))
    visit.refresh_from_db()
    with pytest.raises(DomainError, match="within 15 minutes"):
        visits.visit_check_in_withdraw(
            visit=visit,
            version=visit.version,
            member=cast.carer_membership,
            actor=cast.carer,
            reason="Oops",
        )
    assert VisitAttendance.objects.get().withdrawn_at is None


def test_on_a_double_up_each_carer_checks_in_and_out_for_themselves(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    visit.carers_needed = 2
    visit.save()
    VisitAssignment.objects.create(visit=visit, member=cast.nurse_membership)
    clock(on(0, "09:00"))
    check_in(cast, visit)
    visit.refresh_from_db()
    with pytest.raises(NotAllowed):
        visits.visit_check_in(
            visit=visit, version=visit.version, member=cast.nurse_membership, actor=cast.carer
        )
    clock(on(0, "09:05"))
    visit = visits.visit_check_in(
        visit=visit, version=visit.version, member=cast.nurse_membership, actor=cast.nurse
    )
    assert visit.checked_in_at == on(0, "09:00")
    clock(on(0, "09:30"))
    visit = visits.visit_check_out(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.carer
    )
    assert visit.status == VisitStatus.IN_PROGRESS  # the nurse is still there
    clock(on(0, "09:40"))
    visit = visits.visit_check_out(
        visit=visit, version=visit.version, member=cast.nurse_membership, actor=cast.nurse
    )
    assert visit.status == VisitStatus.DONE
    assert visit.checked_out_at == on(0, "09:40")
    assert VisitAttendance.objects.filter(visit=visit, checked_out_at__isnull=False).count() == 2


def test_a_second_carer_at_a_single_visit_is_recorded_as_attending_too_when_they_say_so(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(0, "09:00"))
    check_in(cast, visit)
    visit.refresh_from_db()
    with pytest.raises(NotAllowed):
        visits.visit_check_in(
            visit=visit, version=visit.version, member=cast.nurse_membership, actor=cast.nurse
        )
    visits.visit_check_in(
        visit=visit,
        version=visit.version,
        member=cast.nurse_membership,
        actor=cast.nurse,
        extra=True,
    )
    extra = VisitAttendance.objects.get(member=cast.nurse_membership)
    assert extra.role == AttendanceRole.EXTRA


def test_checking_in_twice_is_refused(cast: Cast, visit: Visit, clock: Clock) -> None:
    clock(on(0, "09:00"))
    check_in(cast, visit)
    with pytest.raises(DomainError, match="already checked in"):
        check_in(cast, visit)


def test_the_check_in_services_refuse_another_teams_member(
    cast: Cast, visit: Visit, clock: Clock
) -> None:
    clock(on(0, "09:00"))
    with pytest.raises(NotFound):
        visits.visit_check_in(
            visit=visit,
            version=visit.version,
            member=cast.other_nurse_membership,
            actor=cast.other_nurse,
        )
    check_in(cast, visit)
    visit.refresh_from_db()
    for service in (visits.visit_check_out,):
        with pytest.raises(NotFound):
            service(
                visit=visit,
                version=visit.version,
                member=cast.other_nurse_membership,
                actor=cast.other_nurse,
            )
    with pytest.raises(NotFound):
        visits.visit_check_in_withdraw(
            visit=visit,
            version=visit.version,
            member=cast.other_nurse_membership,
            actor=cast.other_nurse,
            reason="x",
        )
