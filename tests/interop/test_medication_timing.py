"""A medicine line's timing as FHIR's dosage: clock times as `timeOfDay`, a line given with a
visit of a part of the day as `when` from the event-timing value set."""

import pytest

from interop.fhir.medicines import medication_request
from tests.conftest import Cast
from tests.interop.test_resources import model
from tests.medicines.helpers import checked, details

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("part", "code"),
    [("morning", "MORN"), ("lunchtime", "NOON"), ("teatime", "EVE"), ("bedtime", "NIGHT")],
)
def test_a_line_given_with_a_visit_is_timed_by_the_event_timing_code(
    cast: Cast, part: str, code: str
) -> None:
    line = checked(cast, details(times=[], visit_part=part))
    request = medication_request(line, None)
    assert request["dosageInstruction"][0]["timing"] == {"repeat": {"when": [code]}}
    model(request)  # FHIR R4's MedicationRequest, strictly


def test_a_line_at_clock_times_keeps_its_times_of_day(cast: Cast) -> None:
    line = checked(cast, details(times=["08:00", "18:00"]))
    timing = medication_request(line, None)["dosageInstruction"][0]["timing"]
    assert timing == {"repeat": {"timeOfDay": ["08:00:00", "18:00:00"]}}
