"""The team's medicines policy: a witness for controlled drugs, the missed-dose grace; changed
by whoever the team's settings allow."""

import pytest

from careteams.errors import DomainError, NotAllowed, NotFound
from careteams.models import Team
from medicines import selectors, services
from medicines.models import MedicinesPolicy
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


# The registry's walk over every kind (tests/kinds.py) makes and changes one with these.
def new(cast: Cast) -> MedicinesPolicy:
    return MedicinesPolicy(team=cast.team, cd_witness_required=False, missed_dose_grace_minutes=30)


def change(policy: MedicinesPolicy) -> None:
    policy.missed_dose_grace_minutes = 90


def test_a_team_starts_with_the_safe_defaults(cast: Cast) -> None:
    policy = selectors.policy_of(cast.team)
    assert policy.cd_witness_required
    assert policy.missed_dose_grace_minutes == 60


def test_the_policy_is_changed_at_its_version_within_its_bounds(cast: Cast) -> None:
    policy = services.policy_change(
        user=cast.nurse,
        team=cast.team,
        version=1,
        cd_witness_required=False,
        missed_dose_grace_minutes=45,
    )
    assert selectors.policy_of(cast.team) == policy
    assert not policy.cd_witness_required
    with pytest.raises(DomainError) as refused:
        services.policy_change(
            user=cast.nurse,
            team=cast.team,
            version=policy.version,
            cd_witness_required=True,
            missed_dose_grace_minutes=10_000,
        )
    assert refused.value.field == "missed_dose_grace_minutes"


def test_only_the_role_the_team_chose_changes_it(cast: Cast) -> None:
    Team.objects.filter(pk=cast.team.pk).update(managed_by_role="planner")
    cast.team.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.policy_change(
            user=cast.carer,
            team=cast.team,
            version=1,
            cd_witness_required=False,
            missed_dose_grace_minutes=60,
        )
    with pytest.raises(NotFound):
        services.policy_change(
            user=cast.other_nurse,
            team=cast.team,
            version=1,
            cd_witness_required=False,
            missed_dose_grace_minutes=60,
        )
