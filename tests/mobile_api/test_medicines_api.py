"""The medicines record in the API: a client's lines, and the MAR of a month as JSON (codes,
gaps, corrections with what they corrected, PRN doses with their follow-ups); members of the
client's team only, problem+json for anything else."""

from collections.abc import Callable

import pytest

from careteams.models import User
from tests.conftest import Cast
from tests.medicines.mar_world import World, world
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def meds(cast: Cast) -> World:
    return world(cast)


def test_a_member_reads_the_clients_medicine_lines(
    cast: Cast, meds: World, api_as: Callable[[User], Api]
) -> None:
    body = api_as(cast.carer).get(f"/clients/{cast.client.id}/medicines").json()
    lines = {line["name"]: line for line in body["lines"]}
    assert set(lines) == {"Amlodipine", "Paracetamol", "Sertraline"}
    assert lines["Amlodipine"]["times"] == ["08:00", "18:00"]
    assert lines["Amlodipine"]["checked"] is True
    assert lines["Sertraline"]["checked"] is False
    assert lines["Paracetamol"]["prn_min_interval_minutes"] == 240
    assert lines["Paracetamol"]["ingredients"] == ["paracetamol"]


def test_the_mar_of_a_month_as_json_has_codes_gaps_corrections_and_prn(
    cast: Cast, meds: World, api_as: Callable[[User], Api]
) -> None:
    body = api_as(cast.nurse).get(f"/clients/{cast.client.id}/mar", month="2025-11-20").json()
    assert (body["first"], body["last"]) == ("2025-11-01", "2025-11-30")
    assert body["gaps"] == 57
    [amlodipine] = [c for c in body["lines"] if c["line"]["name"] == "Amlodipine"]
    morning = amlodipine["rows"][0]
    assert morning["time"] == "08:00"
    assert morning["cells"][2]["code"] == "G"
    assert morning["cells"][2]["record"]["by_name"] == "Aoife Ní Bhriain"
    corrected = morning["cells"][3]
    assert corrected["code"] == "G*"
    assert [r["outcome"] for r in corrected["earlier"]] == ["refused"]
    assert corrected["record"]["correction_reason"] == "Took it after breakfast"
    assert morning["cells"][4]["state"] == "gap"
    assert morning["cells"][4]["code"] == "NR"
    [prn] = body["prn_doses"]
    assert prn["record"]["prn_reason"] == "Headache"
    assert prn["follow_ups"][0]["effective"] is True
    assert body["key"]["NR"].startswith("No record")


def test_another_team_gets_a_404_problem_and_a_bad_month_a_400(
    cast: Cast, meds: World, api_as: Callable[[User], Api]
) -> None:
    stranger = api_as(cast.other_nurse)
    is_problem(stranger.get(f"/clients/{cast.client.id}/mar"), 404)
    is_problem(stranger.get(f"/clients/{cast.client.id}/medicines"), 404)
    is_problem(api_as(cast.coach).get(f"/clients/{cast.client.id}/mar"), 404)
    bad = is_problem(api_as(cast.nurse).get(f"/clients/{cast.client.id}/mar", month="soon"), 422)
    assert "month" in str(bad["errors"])
