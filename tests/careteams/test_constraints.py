"""The database itself refuses records that make no sense, whoever writes them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from careteams.models import Change, Membership, Role
from clients.models import CareProblem, Client, OutcomeRating
from scheduling.models import Absence, Shift, Visit, VisitPattern
from tests.conftest import Cast, at

pytestmark = pytest.mark.django_db


def refused(make: object) -> bool:
    try:
        with transaction.atomic():
            make()  # type: ignore[operator]
    except IntegrityError:
        return True
    return False


def test_a_shift_that_ends_before_it_starts_is_refused(cast: Cast) -> None:
    def make() -> None:
        Shift.objects.create(
            team=cast.team,
            member=cast.nurse_membership,
            start=at("2026-11-23 15:00"),
            end=at("2026-11-23 07:00"),
        )

    assert refused(make)


def test_a_shift_of_no_length_is_refused(cast: Cast) -> None:
    start = at("2026-11-23 07:00")
    assert refused(
        lambda: Shift.objects.create(
            team=cast.team, member=cast.nurse_membership, start=start, end=start
        )
    )


def test_an_absence_that_ends_before_it_starts_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: Absence.objects.create(
            team=cast.team,
            member=cast.carer_membership,
            kind="sickness",
            start=at("2026-11-24 00:00"),
            end=at("2026-11-23 00:00"),
        )
    )


def test_a_visit_that_ends_before_it_starts_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: Visit.objects.create(
            team=cast.team,
            client=cast.client,
            planned_start=at("2026-11-23 09:00"),
            planned_end=at("2026-11-23 08:30"),
        )
    )


@pytest.mark.parametrize("carers", [0, 3])
def test_a_visit_needs_one_or_two_carers(cast: Cast, carers: int) -> None:
    assert refused(
        lambda: Visit.objects.create(
            team=cast.team,
            client=cast.client,
            carers_needed=carers,
            planned_start=at("2026-11-23 09:00"),
            planned_end=at("2026-11-23 09:30"),
        )
    )


def test_a_visit_checked_out_before_check_in_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: Visit.objects.create(
            team=cast.team,
            client=cast.client,
            planned_start=at("2026-11-23 09:00"),
            planned_end=at("2026-11-23 09:30"),
            checked_in_at=at("2026-11-23 09:10"),
            checked_out_at=at("2026-11-23 09:05"),
        )
    )


def test_a_pattern_generates_one_visit_per_start(cast: Cast) -> None:
    pattern = VisitPattern.objects.create(
        team=cast.team,
        client=cast.client,
        weekdays=[1],
        window_start=dt.time(8),
        window_end=dt.time(9),
        duration_minutes=30,
        valid_from=dt.date(2026, 11, 1),
    )
    start, end = at("2026-11-23 08:00"), at("2026-11-23 08:30")
    Visit.objects.create(
        team=cast.team, client=cast.client, pattern=pattern, planned_start=start, planned_end=end
    )
    assert refused(
        lambda: Visit.objects.create(
            team=cast.team,
            client=cast.client,
            pattern=pattern,
            planned_start=start,
            planned_end=end,
        )
    )


def test_a_user_has_one_active_membership_per_team(cast: Cast) -> None:
    assert refused(
        lambda: Membership.objects.create(user=cast.nurse, team=cast.team, role=Role.STUDENT)
    )


def test_a_leaver_may_rejoin_the_same_team(cast: Cast) -> None:
    cast.carer_membership.ended_at = timezone.now()
    cast.carer_membership.save()
    Membership.objects.create(user=cast.carer, team=cast.team, role=Role.NURSING_ASSOCIATE)
    assert Membership.objects.active().filter(user=cast.carer, team=cast.team).count() == 1


def test_a_user_may_belong_to_two_teams(cast: Cast) -> None:
    Membership.objects.create(user=cast.nurse, team=cast.other_team, role=Role.REGISTERED_NURSE)
    assert Membership.objects.active().filter(user=cast.nurse).count() == 2


def test_an_nhs_number_belongs_to_one_client(cast: Cast) -> None:
    assert refused(
        lambda: Client.objects.create(
            team=cast.other_team, given_name="A", family_name="B", nhs_number="9434765919"
        )
    )


def test_many_clients_may_have_no_nhs_number_yet(cast: Cast) -> None:
    Client.objects.create(team=cast.team, given_name="A", family_name="B")
    Client.objects.create(team=cast.team, given_name="C", family_name="D")
    assert Client.objects.filter(nhs_number__isnull=True).count() == 4


@pytest.mark.parametrize("scale", ["knowledge", "behaviour", "status"])
@pytest.mark.parametrize("value", [0, 6])
def test_outcome_ratings_run_from_1_to_5(cast: Cast, scale: str, value: int) -> None:
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="24", identified_on=dt.date(2026, 11, 1)
    )
    scores = {"knowledge": 3, "behaviour": 3, "status": 3, scale: value}
    assert refused(
        lambda: OutcomeRating.objects.create(
            problem=problem, rated_on=dt.date(2026, 11, 2), rated_by=cast.nurse, **scores
        )
    )


def test_a_rating_of_1_and_of_5_is_kept(cast: Cast) -> None:
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="24", identified_on=dt.date(2026, 11, 1)
    )
    OutcomeRating.objects.create(
        problem=problem,
        rated_on=dt.date(2026, 11, 2),
        rated_by=cast.nurse,
        knowledge=1,
        behaviour=5,
        status=1,
    )
    assert problem.ratings.count() == 1


def test_a_problem_outside_the_omaha_system_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: CareProblem.objects.create(
            client=cast.client, problem_code="43", identified_on=dt.date(2026, 11, 1)
        )
    )


def test_a_team_has_one_change_per_sequence_number(cast: Cast) -> None:
    Change.objects.create(
        team=cast.team, seq=1, entity="x", entity_id=cast.client.id, op="upsert", version=1
    )
    assert refused(
        lambda: Change.objects.create(
            team=cast.team, seq=1, entity="y", entity_id=cast.client.id, op="upsert", version=1
        )
    )


# Choices are the model's choices, whoever writes (a forged value once reached every device).


def test_a_shift_of_an_unknown_kind_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: Shift.objects.create(
            team=cast.team,
            member=cast.nurse_membership,
            start=at("2026-11-23 07:00"),
            end=at("2026-11-23 15:00"),
            kind="banana",
        )
    )


def test_an_absence_of_an_unknown_kind_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: Absence.objects.create(
            team=cast.team,
            member=cast.carer_membership,
            kind="holiday_on_mars",
            start=at("2026-11-23 00:00"),
            end=at("2026-11-24 00:00"),
        )
    )


def test_a_visit_with_an_unknown_status_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: Visit.objects.create(
            team=cast.team,
            client=cast.client,
            planned_start=at("2026-11-23 09:00"),
            planned_end=at("2026-11-23 09:30"),
            status="teleported",
        )
    )


@pytest.mark.parametrize(
    ("field", "value"), [("status", "asleep"), ("scope", "planet"), ("severity", "dire")]
)
def test_a_client_or_care_problem_with_an_unknown_choice_is_refused(
    cast: Cast, field: str, value: str
) -> None:
    if field == "status":
        assert refused(
            lambda: Client.objects.create(
                team=cast.team, given_name="A", family_name="B", status=value
            )
        )
        return
    assert refused(
        lambda: CareProblem.objects.create(
            client=cast.client,
            problem_code="24",
            identified_on=dt.date(2026, 11, 1),
            **{field: value},
        )
    )


def test_a_membership_with_an_unknown_role_is_refused(cast: Cast) -> None:
    assert refused(
        lambda: Membership.objects.create(user=cast.outsider, team=cast.team, role="wizard")
    )
