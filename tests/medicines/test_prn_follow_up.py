"""Whether a PRN dose worked is asked later and recorded once."""

import pytest
from django.utils import timezone

from careteams.errors import DomainError
from medicines import services
from medicines.models import PrnFollowUp
from tests.conftest import Cast
from tests.medicines.helpers import checked, prn_details, prn_given

pytestmark = pytest.mark.django_db


# The registry's walk over every kind (tests/kinds.py) makes one with this.
def new(cast: Cast) -> PrnFollowUp:
    dose = prn_given(cast, checked(cast, prn_details()), timezone.now())
    return PrnFollowUp(dose=dose, effective=True, note="Pain eased")


def test_a_prn_dose_is_followed_up_once(cast: Cast) -> None:
    dose = prn_given(cast, checked(cast, prn_details()), timezone.now())
    follow = services.prn_follow_up(user=cast.carer, dose=dose, effective=False, note="No better")
    assert list(dose.follow_ups.all()) == [follow]
    with pytest.raises(DomainError):
        services.prn_follow_up(user=cast.carer, dose=dose, effective=True)
