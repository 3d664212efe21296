"""The rota's writes against the database: validation, versions, the change feed, generating
a week from patterns, publishing, swaps and check in/out."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from careteams.errors import Conflict, DomainError, NotAllowed, RuleBroken
from careteams.models import Change
from scheduling.models import (
    RotaNotice,
    RotaStatus,
    Shift,
    SwapStatus,
    Visit,
    VisitPattern,
    VisitStatus,
)
from scheduling.services import patterns, shifts, swaps, visits, weeks
from scheduling.services.visits import VisitDetails
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


def feed(cast: Cast) -> list[tuple[str, str]]:
    return list(Change.objects.filter(team=cast.team).values_list("entity", "op"))


# Shifts and absences -----------------------------------------------------------------------


def test_a_new_shift_is_saved_and_appears_in_the_change_feed(cast: Cast) -> None:
    shift = shifts.shift_create(
        team=cast.team,
        member=cast.carer_membership,
        start=on(0, "07:00"),
        end=on(0, "15:00"),
        kind="early",
        break_minutes=30,
        actor=cast.nurse,
    )
    assert Shift.objects.get() == shift
    assert feed(cast) == [("shift", "upsert")]


def test_a_shift_ending_before_it_starts_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    with pytest.raises(DomainError) as refused:
        shifts.shift_create(
            team=cast.team,
            member=cast.carer_membership,
            start=on(0, "15:00"),
            end=on(0, "07:00"),
            kind="early",
            actor=cast.nurse,
        )
    assert refused.value.field == "end"
    assert not Shift.objects.exists()
    assert not Change.objects.exists()


def test_a_shift_for_a_member_of_another_team_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError, match="current member of this team"):
        shifts.shift_create(
            team=cast.team,
            member=cast.other_nurse_membership,
            start=on(0, "07:00"),
            end=on(0, "15:00"),
            kind="early",
            actor=cast.nurse,
        )
    assert not Shift.objects.exists()


def test_two_shifts_of_one_member_may_not_overlap(
    cast: Cast, make_shift: Callable[..., Shift]
) -> None:
    make_shift(cast.carer_membership, 0)
    with pytest.raises(DomainError, match="already has a shift"):
        shifts.shift_create(
            team=cast.team,
            member=cast.carer_membership,
            start=on(0, "14:00"),
            end=on(0, "22:00"),
            kind="late",
            actor=cast.nurse,
        )


def test_a_stale_shift_update_is_refused_and_the_stored_shift_is_kept(
    cast: Cast, make_shift: Callable[..., Shift]
) -> None:
    shift = make_shift(cast.carer_membership, 0)
    fields = {
        "member": cast.carer_membership,
        "start": on(0, "08:00"),
        "end": on(0, "16:00"),
        "kind": "early",
        "break_minutes": 30,
        "note": "",
        "actor": cast.nurse,
    }
    shifts.shift_update(shift=shift, version=1, **fields)  # type: ignore[arg-type]
    with pytest.raises(Conflict) as stale:
        shifts.shift_update(shift=shift, version=1, **{**fields, "start": on(0, "09:00")})  # type: ignore[arg-type]
    assert stale.value.current["version"] == 2
    shift.refresh_from_db()
    assert shift.start == on(0, "08:00")
    assert shift.version == 2


def test_copying_last_week_keeps_local_times_across_the_clock_change(cast: Cast) -> None:
    # Monday 19 Oct 2026 (BST) to Monday 26 Oct 2026 (GMT): 07:00 stays 07:00 on the wall.
    Shift.objects.create(
        team=cast.team,
        member=cast.carer_membership,
        start=dt.datetime(2026, 10, 19, 7, tzinfo=cast.team.zone),
        end=dt.datetime(2026, 10, 19, 15, tzinfo=cast.team.zone),
    )
    copied = shifts.shifts_copy_week(team=cast.team, monday=dt.date(2026, 10, 26), actor=cast.nurse)
    assert copied == 1
    new = Shift.objects.order_by("-start").first()
    assert new is not None
    assert new.start.astimezone(cast.team.zone).hour == 7
    assert (
        shifts.shifts_copy_week(team=cast.team, monday=dt.date(2026, 10, 26), actor=cast.nurse) == 0
    )


def test_an_absence_is_recorded_in_the_feed(cast: Cast) -> None:
    shifts.absence_create(
        team=cast.team,
        member=cast.carer_membership,
        kind="sickness",
        start=on(0, "00:00"),
        end=on(1, "00:00"),
        actor=cast.nurse,
    )
    assert feed(cast) == [("absence", "upsert")]


# Visits and patterns -----------------------------------------------------------------------


def test_generating_a_week_twice_creates_no_duplicates(
    cast: Cast, pattern: VisitPattern, monday: dt.date
) -> None:
    first = patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    second = patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    assert first.created == 5
    assert second.created == 0
    assert Visit.objects.count() == 5
    visit = Visit.objects.order_by("planned_start").first()
    assert visit is not None
    assert visit.planned_start == on(0, "08:00")
    assert visit.tasks == ["Insulin", "Breakfast"]


def test_generating_again_keeps_a_visit_changed_by_hand_and_updates_the_rest(
    cast: Cast, pattern: VisitPattern, monday: dt.date
) -> None:
    patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    moved = Visit.objects.order_by("planned_start").first()
    assert moved is not None
    visits.visit_update(
        visit=moved,
        version=moved.version,
        details=VisitDetails(
            on(0, "10:00"), on(0, "10:30"), None, None, ["insulin"], 1, ["Insulin"]
        ),
        actor=cast.nurse,
    )
    pattern.window_start, pattern.window_end = dt.time(8, 15), dt.time(8, 45)
    pattern.save()
    result = patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    assert (result.created, result.updated, result.kept) == (0, 4, 1)
    moved.refresh_from_db()
    assert moved.planned_start == on(0, "10:00")
    assert Visit.objects.count() == 5
    assert sorted(v.planned_start.astimezone(cast.team.zone).time() for v in Visit.objects.all())[
        0
    ] == dt.time(8, 15)


def test_generating_removes_untouched_visits_a_pattern_no_longer_asks_for(
    cast: Cast, pattern: VisitPattern, monday: dt.date
) -> None:
    patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    pattern.weekdays = [1]
    pattern.save()
    result = patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    assert result.removed == 4
    assert Visit.objects.count() == 1
    assert ("visit", "delete") in feed(cast)


def test_a_pattern_for_another_teams_client_is_refused(cast: Cast) -> None:
    details = patterns.PatternDetails(
        [1], dt.time(8), dt.time(9), 30, [], 1, [], on(0, "00:00").date(), None
    )
    with pytest.raises(DomainError, match="client of this team"):
        patterns.visit_pattern_create(
            team=cast.team, client=cast.other_team_client, details=details, actor=cast.nurse
        )


def test_a_one_off_visit_for_another_teams_client_is_refused(cast: Cast) -> None:
    details = VisitDetails(on(0, "10:00"), on(0, "10:30"), None, None, [], 1, [])
    with pytest.raises(DomainError, match="client of this team"):
        visits.visit_create(
            team=cast.team, client=cast.other_team_client, details=details, actor=cast.nurse
        )
    assert not Visit.objects.exists()


def test_assigning_records_the_assignment_and_a_full_visit_refuses_more(
    cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    visits.visit_assign(visit=visit, version=1, member=cast.carer_membership, actor=cast.nurse)
    assert ("visit_assignment", "upsert") in feed(cast)
    with pytest.raises(DomainError, match="needs 1 carer"):
        visits.visit_assign(visit=visit, version=2, member=cast.nurse_membership, actor=cast.nurse)
    visits.visit_unassign(visit=visit, version=2, member=cast.carer_membership, actor=cast.nurse)
    assert not visit.assignments.exists()


def test_assigning_a_member_of_another_team_is_refused(
    cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    with pytest.raises(DomainError, match="current member of this team"):
        visits.visit_assign(
            visit=visit, version=1, member=cast.other_nurse_membership, actor=cast.nurse
        )
    assert not visit.assignments.exists()


def test_a_cancelled_visit_takes_no_carers(cast: Cast, make_visit: Callable[..., Visit]) -> None:
    visit = visits.visit_cancel(visit=make_visit(), version=1, actor=cast.nurse)
    assert visit.status == VisitStatus.CANCELLED
    assert visit.edited_by_hand
    with pytest.raises(DomainError, match="cancelled"):
        visits.visit_assign(
            visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.nurse
        )


def test_check_in_and_out_record_both_times(cast: Cast, make_visit: Callable[..., Visit]) -> None:
    # Check-ins are taken on the visit's day only: a visit starting now.
    now = timezone.now()
    visit = make_visit(planned_start=now, planned_end=now + dt.timedelta(minutes=30))
    visits.visit_assign(visit=visit, version=1, member=cast.carer_membership, actor=cast.nurse)
    with pytest.raises(NotAllowed):
        visits.visit_check_in(
            visit=visit, version=2, member=cast.nurse_membership, actor=cast.nurse
        )
    with pytest.raises(DomainError, match="Check in before"):
        visits.visit_check_out(
            visit=visit, version=2, member=cast.carer_membership, actor=cast.carer
        )
    visit = visits.visit_check_in(
        visit=visit, version=2, member=cast.carer_membership, actor=cast.carer
    )
    visit = visits.visit_check_out(
        visit=visit, version=3, member=cast.carer_membership, actor=cast.carer
    )
    assert visit.status == VisitStatus.DONE
    assert visit.checked_in_at
    assert visit.check_in_received_at
    assert visit.checked_out_at


# Publishing --------------------------------------------------------------------------------


def test_changes_after_publishing_are_shown_to_the_people_they_affect(
    cast: Cast, make_visit: Callable[..., Visit], monday: dt.date
) -> None:
    week = weeks.rota_week_publish(team=cast.team, monday=monday, version=0, actor=cast.nurse)
    assert week.status == RotaStatus.PUBLISHED
    visit = make_visit()
    visits.visit_assign(visit=visit, version=1, member=cast.carer_membership, actor=cast.nurse)
    notice = RotaNotice.objects.get()
    assert notice.member == cast.carer_membership
    assert "Dafydd Llŷr" in notice.text
    # Whoever makes a change knows of it: no notice to themselves.
    visits.visit_unassign(visit=visit, version=2, member=cast.carer_membership, actor=cast.carer)
    assert RotaNotice.objects.count() == 1


def test_a_week_is_published_once_and_a_stale_publish_is_refused(
    cast: Cast, monday: dt.date
) -> None:
    weeks.rota_week_publish(team=cast.team, monday=monday, version=0, actor=cast.nurse)
    with pytest.raises(Conflict, match=r"changed by someone else"):
        weeks.rota_week_publish(team=cast.team, monday=monday, version=0, actor=cast.carer)
    with pytest.raises(DomainError, match="Monday"):
        weeks.rota_week_publish(
            team=cast.team, monday=monday + dt.timedelta(days=1), version=0, actor=cast.nurse
        )


# Swaps -------------------------------------------------------------------------------------


def test_taking_an_offered_visit_moves_it_to_the_taker(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    make_shift(cast.carer_membership, 0)
    make_shift(cast.nurse_membership, 0)
    visit = make_visit()
    visits.visit_assign(visit=visit, version=1, member=cast.carer_membership, actor=cast.carer)
    offer = swaps.swap_offer_create(
        team=cast.team, offered_by=cast.carer_membership, visit=visit, actor=cast.carer
    )
    swaps.swap_offer_take(offer=offer, version=1, taker=cast.nurse_membership, actor=cast.nurse)
    offer.refresh_from_db()
    assert offer.status == SwapStatus.TAKEN
    assert offer.taken_by == cast.nurse_membership
    assert [a.member for a in visit.assignments.all()] == [cast.nurse_membership]


def test_taking_a_visit_that_needs_a_skill_the_taker_lacks_is_refused_with_the_reason(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    make_shift(cast.carer_membership, 0)
    make_shift(cast.nurse_membership, 0)
    visit = make_visit(required_skills=["insulin"])
    visits.visit_assign(visit=visit, version=1, member=cast.nurse_membership, actor=cast.nurse)
    offer = swaps.swap_offer_create(
        team=cast.team, offered_by=cast.nurse_membership, visit=visit, actor=cast.nurse
    )
    with pytest.raises(RuleBroken) as refused:
        swaps.swap_offer_take(offer=offer, version=1, taker=cast.carer_membership, actor=cast.carer)
    assert "insulin" in refused.value.detail
    assert "Aoife Ní Bhriain" in refused.value.detail
    offer.refresh_from_db()
    assert offer.status == SwapStatus.OPEN
    assert [a.member for a in visit.assignments.all()] == [cast.nurse_membership]


def test_taking_a_shift_brings_its_visits_and_is_refused_if_the_taker_is_away(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    shift = make_shift(cast.nurse_membership, 1)
    visit = make_visit(day=1)
    visits.visit_assign(visit=visit, version=1, member=cast.nurse_membership, actor=cast.nurse)
    offer = swaps.swap_offer_create(
        team=cast.team, offered_by=cast.nurse_membership, shift=shift, actor=cast.nurse
    )
    shifts.absence_create(
        team=cast.team,
        member=cast.carer_membership,
        kind="annual_leave",
        start=on(1, "00:00"),
        end=on(2, "00:00"),
        actor=cast.carer,
    )
    with pytest.raises(RuleBroken, match="away"):
        swaps.swap_offer_take(offer=offer, version=1, taker=cast.carer_membership, actor=cast.carer)
    shift.refresh_from_db()
    assert shift.member == cast.nurse_membership
    cast.carer_membership.absences.all().delete()
    swaps.swap_offer_take(offer=offer, version=1, taker=cast.carer_membership, actor=cast.carer)
    shift.refresh_from_db()
    assert shift.member == cast.carer_membership
    assert [a.member for a in visit.assignments.all()] == [cast.carer_membership]


def test_only_your_own_shift_can_be_offered(cast: Cast, make_shift: Callable[..., Shift]) -> None:
    shift = make_shift(cast.nurse_membership, 1)
    with pytest.raises(DomainError, match="own"):
        swaps.swap_offer_create(
            team=cast.team, offered_by=cast.carer_membership, shift=shift, actor=cast.carer
        )
