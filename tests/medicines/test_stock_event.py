"""Stock in the home: received, returned, disposed of, counted; a count that does not match
what the records say should be there is flagged."""

import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from careteams.errors import DomainError
from medicines import selectors, services
from medicines.models import StockEvent
from tests.conftest import Cast
from tests.medicines.helpers import checked, prn_details, prn_given

pytestmark = pytest.mark.django_db


# The registry's walk over every kind (tests/kinds.py) makes one with this.
def new(cast: Cast) -> StockEvent:
    line = checked(cast, prn_details(track_stock=True))
    return StockEvent(line=line, kind="received", quantity=Decimal(32))


def test_a_count_that_does_not_match_the_records_is_flagged(cast: Cast) -> None:
    line = checked(cast, prn_details(track_stock=True))
    services.stock_record(user=cast.nurse, line=line, kind="received", quantity=Decimal(32))
    prn_given(cast, line, timezone.now(), amount=2)
    assert selectors.stock_expected(line) == Decimal(30)
    right = services.stock_record(user=cast.carer, line=line, kind="counted", quantity=Decimal(30))
    assert not right.mismatch
    services.stock_record(user=cast.nurse, line=line, kind="disposed", quantity=Decimal(2))
    wrong = services.stock_record(user=cast.carer, line=line, kind="counted", quantity=Decimal(26))
    assert wrong.expected_quantity == Decimal(28)
    assert wrong.mismatch
    assert selectors.stock_of(line).last_count == wrong


def test_stock_is_only_kept_for_lines_that_count_it(cast: Cast) -> None:
    line = checked(cast, prn_details())
    with pytest.raises(DomainError):
        services.stock_record(
            user=cast.nurse, line=line, kind="received", quantity=Decimal(1), event_id=uuid.uuid4()
        )
