"""`Patient/{id}/$everything`: every resource parses as FHIR 4.0.1 and the record is intact."""

from typing import Any

import pytest
import time_machine
from fhirclient.models.bundle import Bundle

from tests.interop.conftest import NOW, Shared

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]


@pytest.fixture
def everything(shared: Shared) -> dict[str, Any]:
    with time_machine.travel(NOW, tick=False):
        found: dict[str, Any] = shared.fhir().json(f"Patient/{shared.cast.client.id}/$everything")
    return found


def test_the_everything_bundle_parses_as_a_fhir_4_0_1_bundle(everything: dict[str, Any]) -> None:
    bundle = Bundle(everything, strict=True)
    assert bundle.type == "searchset"
    types = {e["resource"]["resourceType"] for e in everything["entry"]}
    assert {"Patient", "Condition", "Observation", "CarePlan", "Encounter", "Consent"} <= types
