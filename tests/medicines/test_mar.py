"""The MAR chart: every scheduled dose of a month with its outcome, who and when; gaps shown as
"NR" (words, not only colour); corrections beside what they corrected; PRN doses with reason and
effect; the page scoped to the client's team, in a bounded number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medicines import mar
from medicines.vocabulary import Outcome
from tests.conftest import Cast
from tests.medicines.mar_world import AFTER, FIRST, LAST, World, dose, line, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def meds(cast: Cast) -> World:
    return world(cast)


def chart(cast: Cast) -> mar.Mar:
    return mar.mar_build(client=cast.client, first=FIRST, last=LAST, now=AFTER)


def cell(found: mar.Mar, name: str, time: str, day: int) -> mar.Cell:
    [line_chart] = [c for c in found.lines if c.line.name == name]
    [row] = [r for r in line_chart.rows if r.time == time]
    return row.cells[day - 1]


def test_each_scheduled_dose_shows_its_code_and_who_recorded_it(cast: Cast, meds: World) -> None:
    found = chart(cast)
    given = cell(found, "Amlodipine", "08:00", 3)
    assert (given.state, given.code) == (mar.RECORDED, "G")
    assert given.entry is not None
    assert given.entry.initials == "AN"
    assert found.signatures == {"AN": "Aoife Ní Bhriain", "SE": "Siân Ellis"}
    assert cell(found, "Amlodipine", "18:00", 3).code == "R"


def test_a_dose_nobody_recorded_is_a_gap_once_its_window_has_passed(
    cast: Cast, meds: World
) -> None:
    found = chart(cast)
    assert cell(found, "Amlodipine", "08:00", 5).state == mar.GAP
    assert cell(found, "Amlodipine", "08:00", 5).code == "NR"
    # 30 days, two times, three recorded: the other 57 are gaps.
    assert found.gaps == 57
    early = mar.mar_build(
        client=cast.client,
        first=FIRST,
        last=LAST,
        now=dt.datetime(2025, 11, 5, 8, 30, tzinfo=dt.UTC),
    )
    assert cell(early, "Amlodipine", "08:00", 5).state == mar.PENDING
    assert cell(early, "Amlodipine", "08:00", 4).state == mar.RECORDED


def test_a_correction_stands_and_the_record_it_corrects_stays_readable(
    cast: Cast, meds: World
) -> None:
    found = chart(cast)
    corrected = cell(found, "Amlodipine", "08:00", 4)
    assert corrected.code == "G*"
    assert corrected.entry is not None
    assert corrected.entry.corrects is not None
    assert corrected.entry.corrects.code == "R"
    [correction] = found.corrections
    assert correction.record.correction_reason == "Took it after breakfast"


def test_prn_doses_are_listed_with_their_reason_and_effect_not_in_the_grid(
    cast: Cast, meds: World
) -> None:
    found = chart(cast)
    assert [c.line.name for c in found.lines] == ["Amlodipine", "Sertraline"]
    [prn] = found.prn_doses
    assert prn.entry.record.prn_reason == "Headache"
    assert [f.effective for f in prn.follow_ups] == [True]


def test_a_line_awaiting_its_check_or_past_its_stop_date_is_not_due(
    cast: Cast, meds: World
) -> None:
    stopping = line(cast, name="Furosemide", times=["08:00"], stops_on=dt.date(2025, 11, 10))
    found = chart(cast)
    assert {c.state for c in cell_row(found, "Sertraline")} == {mar.NOT_DUE}
    states = [c.state for c in cell_row(found, "Furosemide")]
    assert states[:10] == [mar.GAP] * 10
    assert set(states[10:]) == {mar.NOT_DUE}
    assert stopping.stops_on == dt.date(2025, 11, 10)


def cell_row(found: mar.Mar, name: str) -> list[mar.Cell]:
    [line_chart] = [c for c in found.lines if c.line.name == name]
    return line_chart.rows[0].cells


def test_a_record_at_a_time_the_line_no_longer_has_still_gets_its_row(
    cast: Cast, meds: World
) -> None:
    dose(meds.regular, "2025-11-06 12:00", by=cast.carer)
    found = chart(cast)
    assert [r.time for r in next(c for c in found.lines if c.line.name == "Amlodipine").rows] == [
        "08:00",
        "12:00",
        "18:00",
    ]


def test_the_blank_mar_has_the_lines_and_no_records(cast: Cast, meds: World) -> None:
    found = mar.mar_build(client=cast.client, first=FIRST, last=LAST, now=AFTER, blank=True)
    codes = {c.code for c in cell_row(found, "Amlodipine")}
    assert codes == {""}
    assert found.prn_doses == []
    assert found.corrections == []
    assert found.gaps == 0


def test_the_month_page_shows_codes_gaps_in_words_corrections_and_prn(
    client: HttpClient, cast: Cast, meds: World
) -> None:
    client.force_login(cast.carer)
    url = reverse("mar:month", kwargs={"client_id": cast.client.id, "day": "2025-11-17"})
    page = client.get(url).content.decode()
    assert "Amlodipine" in page
    assert "Penicillin" in page
    assert re.search(r'mar-cell--gap">\s*<strong class="mar-code">NR</strong>', page)
    assert "57 doses have no record" in page
    assert "Took it after breakfast" in page
    assert "Headache" in page
    assert "Better by 15:00" in page
    week = client.get(
        reverse("mar:week", kwargs={"client_id": cast.client.id, "day": "2025-11-05"})
    )
    assert week.status_code == 200
    assert "week of 3 November to 9 November 2025" in week.content.decode()


def test_another_team_and_the_coach_and_family_get_404(
    client: HttpClient, cast: Cast, meds: World
) -> None:
    kwargs = {"client_id": cast.client.id, "day": "2025-11-01"}
    for user in (cast.other_nurse, cast.coach, cast.family):
        client.force_login(user)
        for name in ("mar:month", "mar:week", "mar:month-pdf", "mar:blank-pdf"):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, (user, name)


def test_the_month_page_costs_the_same_queries_however_many_lines_and_records(
    client: HttpClient, cast: Cast, meds: World
) -> None:
    client.force_login(cast.nurse)
    url = reverse("mar:month", kwargs={"client_id": cast.client.id, "day": "2025-11-01"})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(6):
        extra = line(cast, name=f"Extra {n}", times=["08:00", "12:00", "20:00"])
        for day in range(1, 29):
            dose(extra, f"2025-11-{day:02d} 12:00", Outcome.GIVEN, by=cast.carer)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_the_october_clock_change_keeps_doses_at_their_wall_clock_time(cast: Cast) -> None:
    line(cast, starts_on=dt.date(2025, 10, 1), times=["08:00"])
    found = mar.mar_build(
        client=cast.client, first=dt.date(2025, 10, 1), last=dt.date(2025, 10, 31), now=AFTER
    )
    [row] = next(c for c in found.lines if c.line.name == "Amlodipine").rows
    before, after = row.cells[24].due_at, row.cells[26].due_at  # 25 and 27 October
    assert before is not None
    assert after is not None
    assert (before.hour, before.utcoffset()) == (8, dt.timedelta(hours=1))
    assert (after.hour, after.utcoffset()) == (8, dt.timedelta(0))
