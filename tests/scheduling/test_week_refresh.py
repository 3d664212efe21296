"""The week's rule results kept current at write time (scheduling/selectors/week_refresh.py):
after any write the rules read, a reader finds results equal to a full recompute, without
computing; a note or a task outcome leaves the kept results where they are."""

import datetime as dt
import itertools
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careteams import changes, registry
from careteams.errors import DomainError
from careteams.models import Membership, Role, Team
from careteams.services import MembershipDetails, membership_update
from clients.models import Client
from clients.services.notes import note_write
from scheduling.models import Shift, Visit, VisitAssignment, VisitStatus
from scheduling.selectors import week_cache
from scheduling.selectors.week import week_board
from scheduling.selectors.week_load import plan_of, week_rows
from scheduling.services import attendance
from scheduling.services import shifts as shift_services
from scheduling.services import visits as visit_services
from tests.conftest import make_user
from tests.scheduling.conftest import MONDAY, on

_teams = itertools.count()


def small_team() -> tuple[Team, list[Membership], list[Visit]]:
    """Four members (a nurse who writes), three clients, ten visits over the week and the days
    either side (the one before is in the 16 weeks the 48-hour average reads)."""
    n = next(_teams)
    team = Team.objects.create(name=f"Refresh {n}")
    members = [
        Membership.objects.create(
            user=make_user(f"r{n}.{i}@example.test", f"Carer{i}", f"Team{n}"),
            team=team,
            role=Role.REGISTERED_NURSE if i == 0 else Role.CARE_WORKER,
            contracted_hours=20,
            skills=["medication"] if i % 2 else [],
        )
        for i in range(4)
    ]
    clients = [
        Client.objects.create(
            team=team,
            given_name=f"Client{i}",
            family_name="Llŷr",
            latitude=51.5 + i / 100,
            longitude=-3.2,
        )
        for i in range(3)
    ]
    visits = [
        Visit.objects.create(
            team=team,
            client=clients[i % 3],
            planned_start=on(day, f"{8 + i % 6:02d}:00"),
            planned_end=on(day, f"{8 + i % 6:02d}:45"),
            required_skills=["medication"] if i % 4 == 0 else [],
        )
        for i, day in enumerate((-1, 0, 0, 1, 2, 3, 4, 5, 6, 7))
    ]
    for i, visit in enumerate(visits[:8]):
        VisitAssignment.objects.create(visit=visit, member=members[i % 4])
    for i, member in enumerate(members):
        Shift.objects.create(
            team=team, member=member, start=on(i - 1, "07:00"), end=on(i - 1, "15:00")
        )
    return team, members, visits


def read_week(team: Team, members: list[Membership]) -> None:
    week_board(user=members[0].user, team_id=team.id, monday=MONDAY, all_visits=False)


def kept(team: Team) -> week_cache.WeekFacts | None:
    """What a reader finds now, without computing and without waiting."""
    position = week_cache.position_of(team)
    return week_cache.facts_find(team_id=team.id, monday=MONDAY, position=position, wait=False)


def kept_plan(team: Team) -> object:
    position = week_cache.position_of(team)
    state = cache.get(
        week_cache.state_key(team_id=team.id, monday=MONDAY, incarnation=position.incarnation)
    )
    assert isinstance(state, week_cache.WeekState)
    assert state.position == position.plan
    return state.plan


def recomputed(team: Team, members: list[Membership]) -> week_cache.WeekFacts:
    return week_cache.facts_of(plan_of(week_rows(user=members[0].user, team=team, monday=MONDAY)))


def details_of(visit: Visit, start: dt.datetime) -> visit_services.VisitDetails:
    return visit_services.VisitDetails(
        start=start,
        end=start + (visit.planned_end - visit.planned_start),
        window_start=None,
        window_end=None,
        required_skills=list(visit.required_skills or []),
        carers_needed=visit.carers_needed,
        tasks=list(visit.tasks or []),
        required_role=visit.required_role,
    )


def write(kind: int, a: int, b: int, team: Team, members: list[Membership]) -> None:
    """One write through the services, chosen by `kind`; its refusals are part of the game."""
    nurse = members[0].user
    visits = list(Visit.objects.filter(team=team).order_by("planned_start", "id"))
    visit = visits[a % len(visits)]
    member = Membership.objects.get(pk=members[b % len(members)].pk)
    if kind == 0:
        visit_services.visit_assign(visit=visit, version=visit.version, member=member, actor=nurse)
    elif kind == 1:
        carer = visit.assignments.first()
        if carer is not None:
            visit_services.visit_unassign(
                visit=visit, version=visit.version, member=carer.member, actor=nurse
            )
    elif kind == 2:
        # Moves a visit by whole days, across the week's edges too (into the 16 weeks before).
        start = visit.planned_start + dt.timedelta(days=(b % 9) - 4, hours=a % 3)
        visit_services.visit_update(
            visit=visit, version=visit.version, details=details_of(visit, start), actor=nurse
        )
    elif kind == 3:
        visit_services.visit_cancel(visit=visit, version=visit.version, actor=nurse)
    elif kind == 4:
        shift_services.shift_create(
            team=team,
            member=member,
            start=on(a % 9 - 1, "06:00"),
            end=on(a % 9 - 1, "19:00"),
            kind="long_day",
            actor=nurse,
        )
    elif kind == 5:
        shift = Shift.objects.filter(team=team).order_by("start", "id")[a % 3 : a % 3 + 1].first()
        if shift is not None:
            shift_services.shift_delete(shift=shift, version=shift.version, actor=nurse)
    elif kind == 6:
        shift_services.absence_create(
            team=team,
            member=member,
            kind="annual_leave",
            start=on(a % 7, "00:00"),
            end=on(a % 7 + 1, "00:00"),
            actor=nurse,
        )
    else:
        membership_update(
            membership=member,
            version=member.version,
            details=MembershipDetails(
                role=member.role,
                contracted_hours=Decimal(10 * (a % 5)),
                skills=[] if member.skills else ["medication"],
            ),
            actor=nurse,
        )


WRITES = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=8
)


@pytest.mark.django_db(transaction=True)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=WRITES)
def test_after_each_write_the_kept_results_equal_a_full_recompute_without_the_reader_computing(
    writes: list[tuple[int, int, int]],
) -> None:
    cache.clear()
    team, members, _ = small_team()
    read_week(team, members)
    for kind, a, b in writes:
        try:
            write(kind, a, b, team, members)
        except DomainError:
            continue  # refused: nothing changed
        found = kept(team)
        assert found is not None, f"no results kept after write {kind}"
        assert found == recomputed(team, members)
        # Stronger than the results: the plan the writer patched is the one a reader loads.
        assert kept_plan(team) == plan_of(week_rows(user=members[0].user, team=team, monday=MONDAY))


@pytest.mark.django_db(transaction=True)
def test_a_note_leaves_the_plan_position_and_the_kept_results_as_they_were() -> None:
    cache.clear()
    team, members, visits = small_team()
    read_week(team, members)
    before = week_cache.position_of(team)
    note_write(
        client=visits[1].client, author=members[0].user, body="Slept well.", note_id=uuid.uuid4()
    )
    after = week_cache.position_of(team)
    assert after.head > before.head
    assert after.plan == before.plan
    assert kept(team) is not None


@pytest.mark.django_db(transaction=True)
def test_a_check_in_and_a_check_out_leave_the_plan_position_and_the_kept_results() -> None:
    cache.clear()
    team, members, visits = small_team()
    read_week(team, members)
    before = week_cache.position_of(team)
    visit = visits[1]
    member = Membership.objects.get(pk=visit.assignments.get().member_id)
    with time_machine.travel(visit.planned_start, tick=False):
        visit = attendance.visit_check_in(
            visit=visit, version=visit.version, member=member, actor=member.user
        )
        visit = attendance.visit_check_out(
            visit=visit, version=visit.version, member=member, actor=member.user
        )
    assert visit.status == VisitStatus.DONE
    after = week_cache.position_of(team)
    assert after.head == before.head + 4  # two attendance entries and two of the visit
    assert after.plan == before.plan
    found = kept(team)
    assert found is not None
    assert found == recomputed(team, members)


@pytest.mark.django_db(transaction=True)
def test_a_client_change_is_kept_current_by_loading_the_week_whole() -> None:
    cache.clear()
    team, members, visits = small_team()
    read_week(team, members)
    client = Client.objects.get(pk=visits[1].client_id)
    client.given_name = "Renamed"
    client.save()
    # As the client's service records it (the rules read the name into their messages).
    with transaction.atomic():
        changes.record(team=team, entity="client", obj=client, actor=members[0].user)
    found = kept(team)
    assert found is not None
    assert found == recomputed(team, members)
    assert any("Renamed" in p.message for p in found.problems) or found.problems == []


def test_only_the_kinds_the_rules_read_move_the_plan_position() -> None:
    assert registry.plan_inputs() == [
        "absence",
        "client",
        "membership",
        "shift",
        "team",
        "visit",
        "visit_assignment",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_visit_leaves_the_week_when_the_results_are_refreshed() -> None:
    cache.clear()
    team, members, visits = small_team()
    read_week(team, members)
    visit = visits[2]
    visit_services.visit_cancel(visit=visit, version=visit.version, actor=members[0].user)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CANCELLED
    found = kept(team)
    assert found is not None
    assert all(visit.id not in p.visit_ids for p in found.problems)
