"""The family's day as it happens (scheduling/selectors/family_day.py): on the way from the carer's
attendances, arrived, done, late and missed with what the team is doing only when the records
show it, the team's phone and hours, a fixed number of queries, and nothing the family must not
see (access notes, emergency contacts, tasks and their notes) in the selector or their feed."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from careteams.errors import NotFound
from careteams.models import Membership, User
from clients.models import Client
from clients.services import doorstep
from scheduling.models import Visit, VisitAssignment
from scheduling.selectors.family_day import COVER_ARRANGED, MISSED_RECORDED, family_day
from scheduling.services import attendance, visit_records, visits
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, api_as  # noqa: F401
from tests.mobile_api.test_sync import pull_all
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db


def visit_at(cast: Cast, client: Client, start: str, *carers: Membership) -> Visit:
    """A 30-minute visit on the test Monday, with its carers."""
    made = Visit.objects.create(
        team=cast.team,
        client=client,
        planned_start=on(0, start),
        planned_end=on(0, start) + dt.timedelta(minutes=30),
        tasks=["Bins out"],
    )
    for member in carers:
        VisitAssignment.objects.create(visit=made, member=member)
    return made


def at(monkeypatch: pytest.MonkeyPatch, time: str) -> dt.datetime:
    moment = on(0, time)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def check_in(cast: Cast, visit: Visit, member: Membership) -> None:
    visit.refresh_from_db()
    attendance.visit_check_in(visit=visit, version=visit.version, member=member, actor=member.user)


def check_out(cast: Cast, visit: Visit, member: Membership) -> None:
    visit.refresh_from_db()
    attendance.visit_check_out(visit=visit, version=visit.version, member=member, actor=member.user)


def states(cast: Cast, user: User | None = None) -> list[tuple[str, list[str], str]]:
    seen = family_day(user=user or cast.family, client_id=cast.client.id, day=MONDAY)
    return [(v.state, v.on_the_way, v.team_action) for v in seen.visits]


def test_the_carer_is_on_the_way_once_checked_out_of_the_visit_before_and_not_before(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    carer = cast.carer_membership
    elsewhere = visit_at(cast, cast.other_client_same_team, "08:00", carer)
    visit_at(cast, cast.client, "09:00", carer)
    visit_at(cast, cast.client, "12:00", carer)
    at(monkeypatch, "07:50")
    assert states(cast) == [("expected", [], ""), ("expected", [], "")]
    at(monkeypatch, "08:05")
    check_in(cast, elsewhere, carer)
    assert states(cast) == [("expected", [], ""), ("expected", [], "")]
    at(monkeypatch, "08:35")
    check_out(cast, elsewhere, carer)
    # Only the next visit: the one at noon is not where she is heading.
    assert states(cast) == [("on_the_way", ["Aoife"], ""), ("expected", [], "")]
    seen = family_day(user=cast.family, client_id=cast.client.id, day=MONDAY)
    assert seen.visits[0].words == "On the way"
    assert seen.visits[0].carers == ["Aoife"]


def test_arrived_then_done_then_on_the_way_to_the_next_visit_of_the_same_client(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    carer = cast.carer_membership
    morning = visit_at(cast, cast.client, "09:00", carer)
    visit_at(cast, cast.client, "12:00", carer)
    at(monkeypatch, "09:02")
    check_in(cast, morning, carer)
    assert states(cast) == [("arrived", [], ""), ("expected", [], "")]
    at(monkeypatch, "09:30")
    check_out(cast, morning, carer)
    assert states(cast) == [("done", [], ""), ("on_the_way", ["Aoife"], "")]


def test_a_withdrawn_check_in_does_not_put_the_carer_on_the_way(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    carer = cast.carer_membership
    elsewhere = visit_at(cast, cast.other_client_same_team, "08:00", carer)
    visit_at(cast, cast.client, "09:00", carer)
    at(monkeypatch, "08:01")
    check_in(cast, elsewhere, carer)
    elsewhere.refresh_from_db()
    attendance.visit_check_in_withdraw(
        visit=elsewhere, version=elsewhere.version, member=carer, actor=cast.carer, reason="Oops"
    )
    assert states(cast) == [("expected", [], "")]


def test_a_late_visit_says_who_is_on_the_way_but_claims_nothing_the_records_do_not_show(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast.team.phone, cast.team.phone_hours = "0300 123 4567", "8am to 8pm every day"
    cast.team.save()
    carer = cast.carer_membership
    elsewhere = visit_at(cast, cast.other_client_same_team, "08:00", carer)
    visit_at(cast, cast.client, "09:00", carer)
    at(monkeypatch, "08:05")
    check_in(cast, elsewhere, carer)
    now = at(monkeypatch, "09:45")
    assert states(cast) == [("late", [], "")]  # still at the visit before: not on the way
    check_out(cast, elsewhere, carer)
    seen = family_day(user=cast.family, client_id=cast.client.id, day=MONDAY, now=now)
    assert [(v.state, v.words, v.team_action) for v in seen.visits] == [
        ("late", "Running late: Aoife is on the way", "")
    ]
    assert (seen.team_phone, seen.team_phone_hours) == ("0300 123 4567", "8am to 8pm every day")


def test_a_late_visit_given_to_another_carer_says_the_team_is_arranging_cover(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = visit_at(cast, cast.client, "09:00", cast.carer_membership)
    at(monkeypatch, "09:45")
    assert states(cast) == [("late", [], "")]
    visits.visit_unassign(
        visit=late, version=late.version, member=cast.carer_membership, actor=cast.nurse
    )
    late.refresh_from_db()
    visits.visit_assign(
        visit=late, version=late.version, member=cast.nurse_membership, actor=cast.nurse
    )
    seen = family_day(user=cast.family, client_id=cast.client.id, day=MONDAY)
    assert [(v.state, v.carers, v.team_action) for v in seen.visits] == [
        ("late", ["Siân"], COVER_ARRANGED)
    ]


def test_a_carer_assigned_before_the_visit_fell_due_is_not_cover(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = visit_at(cast, cast.client, "09:00")
    at(monkeypatch, "08:00")
    visits.visit_assign(
        visit=late, version=late.version, member=cast.carer_membership, actor=cast.nurse
    )
    at(monkeypatch, "09:45")
    assert states(cast) == [("late", [], "")]


def test_a_missed_visit_says_the_team_knows_only_once_a_reason_is_recorded(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    missed = visit_at(cast, cast.client, "09:00", cast.carer_membership)
    monkeypatch.setattr(timezone, "now", lambda: on(1, "08:00"))
    assert states(cast) == [("missed", [], "")]
    visit_records.visit_missed_record(
        visit=missed,
        version=1,
        reason="not_home",
        note="Neighbour says at daughter's",
        actor=cast.nurse,
    )
    seen = family_day(user=cast.family, client_id=cast.client.id, day=MONDAY)
    assert [(v.state, v.team_action) for v in seen.visits] == [("missed", MISSED_RECORDED)]
    assert "daughter" not in str(seen)
    assert "not_home" not in str(seen)


def test_the_familys_day_takes_the_same_queries_for_one_visit_or_many(
    cast: Cast,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    carer, nurse = cast.carer_membership, cast.nurse_membership
    first = visit_at(cast, cast.other_client_same_team, "07:00", carer, nurse)
    visit_at(cast, cast.client, "08:00", carer)
    at(monkeypatch, "07:05")
    check_in(cast, first, carer)
    check_in(cast, first, nurse)
    at(monkeypatch, "07:30")
    check_out(cast, first, carer)
    check_out(cast, first, nurse)
    with django_assert_max_num_queries(7):  # type: ignore[attr-defined]
        assert states(cast) == [("on_the_way", ["Aoife"], "")]
    for hour in range(9, 16):
        visit_at(cast, cast.client, f"{hour:02}:00", carer, nurse)
        visit_at(cast, cast.other_client_same_team, f"{hour:02}:30", carer, nurse)
    with django_assert_max_num_queries(7):  # type: ignore[attr-defined]
        seen = states(cast)
    assert seen[0] == ("on_the_way", ["Aoife"], "")
    assert seen[1] == ("on_the_way", ["Siân"], "")
    assert {s[0] for s in seen[2:]} == {"expected"}


def test_only_the_client_and_their_family_see_the_day(cast: Cast) -> None:
    visit_at(cast, cast.client, "09:00", cast.carer_membership)
    with pytest.raises(NotFound):
        family_day(user=cast.other_nurse, client_id=cast.client.id, day=MONDAY)
    with pytest.raises(NotFound):
        family_day(user=cast.family_without_access, client_id=cast.client.id, day=MONDAY)
    assert len(family_day(user=cast.client_user, client_id=cast.client.id, day=MONDAY).visits) == 1


def test_family_never_sees_access_notes_contacts_or_task_notes_in_the_day_or_their_feed(
    cast: Cast,
    monkeypatch: pytest.MonkeyPatch,
    api_as: Callable[[User], Api],  # noqa: F811
) -> None:
    doorstep.emergency_contact_add(
        client=cast.client,
        name="Rhian",
        relationship="Daughter",
        phone="07700 900123",
        actor=cast.nurse,
    )
    carer = cast.carer_membership
    done = visit_at(cast, cast.client, "09:00", carer)
    missed = visit_at(cast, cast.client, "10:00", carer)
    at(monkeypatch, "07:00")
    done.refresh_from_db()
    attendance.visit_check_in(
        visit=done,
        version=done.version,
        member=carer,
        actor=cast.carer,
        confirm=True,
        reason="Came early: son let me in",
    )
    visit_records.visit_task_outcome_record(
        visit=done,
        task_key="visit:Bins out",
        outcome="not_done",
        reason="could_not",
        note="Internal: the son shouted at me",
        actor=cast.carer,
    )
    check_out(cast, done, carer)
    at(monkeypatch, "11:00")
    visit_records.visit_missed_record(
        visit=missed, version=1, reason="other", note="Private: family row", actor=cast.nurse
    )
    day = family_day(user=cast.family, client_id=cast.client.id, day=MONDAY)
    assert [v.state for v in day.visits] == ["done", "missed"]
    changes, _ = pull_all(api_as(cast.family), cast.team.id)
    for seen in (str(day), str(changes)):
        for secret in (
            "Key safe 1234",
            "Rhian",
            "07700",
            "shouted",
            "Bins out",
            "son let me",
            "family row",
        ):
            assert secret not in seen
    # The team's own feed carries them: the test above looks where they would be.
    team_changes, _ = pull_all(api_as(cast.nurse), cast.team.id)
    for secret in ("Rhian", "shouted", "son let me", "family row"):
        assert secret in str(team_changes)
