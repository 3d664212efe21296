"""A line given "with the morning visit" (issue 25): due at the client's visit of that part of
the day, moving with it, and still due at the part's default time on a day with no such visit,
so that nobody giving it shows as a missed dose."""

import datetime as dt

import pytest

from careteams.errors import DomainError
from medicines import mar, services
from medicines.day_doses import doses_of_visits
from medicines.models import MedicineLine
from medicines.selectors import DueDose, doses_between, doses_due
from medicines.timing import PARTS
from medicines.visit_missed import grace_of, is_missed, team_doses
from medicines.vocabulary import VisitPart
from scheduling.models import Visit, VisitStatus
from tests.conftest import Cast
from tests.medicines.helpers import details
from tests.medicines.visit_fixtures import (
    check_in,
    check_out,
    clock,
    make_line,
    morning_visit,
    record,
)
from tests.scheduling.conftest import MONDAY, on

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]


def with_morning_visit(cast: Cast) -> MedicineLine:
    return make_line(cast, name="Levothyroxine", times=[], visit_part=VisitPart.MORNING)


def day_doses(cast: Cast, day: int = 0) -> list[DueDose]:
    return doses_between(client=cast.client, start=on(day, "00:00"), end=on(day + 1, "00:00"))


def test_a_dose_with_the_morning_visit_is_due_at_the_visits_start_its_window_the_visit(
    cast: Cast,
) -> None:
    with_morning_visit(cast)
    visit = morning_visit(cast)  # 08:30 to 09:00, window 08:15 to 09:15
    [dose] = day_doses(cast)
    assert dose.due_at == on(0, "08:30")
    assert (dose.window_start, dose.window_end) == (on(0, "08:15"), on(0, "09:45"))
    assert dose.visit_part == VisitPart.MORNING
    assert [d.line.name for d in doses_due(visit=visit)] == ["Levothyroxine"]


def test_a_visit_moved_later_moves_its_dose(cast: Cast) -> None:
    with_morning_visit(cast)
    visit = morning_visit(cast)
    Visit.objects.filter(pk=visit.pk).update(
        planned_start=on(0, "10:00"),
        planned_end=on(0, "10:30"),
        window_start=None,
        window_end=None,
    )
    [dose] = day_doses(cast)
    assert dose.due_at == on(0, "10:00")


def test_with_no_morning_visit_the_dose_is_due_at_the_parts_time_and_turns_missed(
    cast: Cast,
) -> None:
    with_morning_visit(cast)
    lunch = morning_visit(cast)
    Visit.objects.filter(pk=lunch.pk).update(
        planned_start=on(0, "12:30"), planned_end=on(0, "13:00"), window_start=None, window_end=None
    )
    cancelled = morning_visit(cast)
    Visit.objects.filter(pk=cancelled.pk).update(status=VisitStatus.CANCELLED)
    [dose] = day_doses(cast)
    default = PARTS[VisitPart.MORNING].default
    assert dose.due_at == dt.datetime.combine(MONDAY, default, tzinfo=on(0, "08:00").tzinfo)
    assert not is_missed(dose, grace_of(cast.team), on(0, "09:29"))
    assert is_missed(dose, grace_of(cast.team), on(0, "09:30"))  # 08:00, 30 min, an hour
    team = team_doses(cast.team, on(0, "00:00"), on(0, "12:00"))
    assert [(d.line.name, d.due_at) for d in team] == [("Levothyroxine", dose.due_at)]


def test_the_card_guards_check_out_and_records_the_dose_at_the_visits_start(cast: Cast) -> None:
    line = with_morning_visit(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:35")):
        check_in(cast, visit)
    with clock(on(0, "08:50")), pytest.raises(DomainError, match="Levothyroxine"):
        check_out(cast, visit)
    with clock(on(0, "08:51")):
        with pytest.raises(DomainError, match="no dose due at that time"):
            record(cast, visit, line, on(0, "08:00"), "given")
        record(cast, visit, line, on(0, "08:30"), "given")
        assert check_out(cast, visit).status == "done"


def test_a_dose_recorded_offline_before_its_visit_moved_is_kept_at_the_moved_dose_with_a_warning(
    cast: Cast,
) -> None:
    """The tablet saw the dose at 08:30; the office moved the visit to 09:30 before it synced.
    The dose was given: it is kept, on the morning dose as it now stands, and says so."""
    line = with_morning_visit(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:35")):
        check_in(cast, visit)
    Visit.objects.filter(pk=visit.pk).update(
        planned_start=on(0, "09:30"), planned_end=on(0, "10:00"), window_start=None, window_end=None
    )
    with clock(on(0, "08:40")):
        with pytest.raises(DomainError, match="no dose due at that time"):
            record(cast, visit, line, on(0, "08:30"), "given")
        kept = record(cast, visit, line, on(0, "08:30"), "given", offline=True)
    assert kept.due_at == on(0, "09:30")
    assert "moved" in kept.warning
    [dose] = day_doses(cast)
    assert dose.record == kept
    with clock(on(0, "08:41")), pytest.raises(DomainError, match="no dose due at that time"):
        record(cast, visit, line, on(1, "03:00"), "given", offline=True)


def test_a_recorded_dose_keeps_its_time_when_the_visit_moves_afterwards(cast: Cast) -> None:
    line = with_morning_visit(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:35")):
        check_in(cast, visit)
        record(cast, visit, line, on(0, "08:30"), "given")
    Visit.objects.filter(pk=visit.pk).update(
        planned_start=on(0, "09:30"), planned_end=on(0, "10:00")
    )
    [dose] = day_doses(cast)
    assert dose.due_at == on(0, "08:30")
    assert dose.record is not None
    chart = mar.mar_build(client=cast.client, first=MONDAY, last=MONDAY, now=on(1, "12:00"))
    [row] = chart.lines[0].rows
    assert row.time == "Morning visit"
    assert row.cells[0].state == mar.RECORDED
    assert row.cells[0].due_at == on(0, "08:30")


def test_the_mar_shows_the_morning_visits_row_with_gaps_on_days_nobody_gave_it(
    cast: Cast,
) -> None:
    with_morning_visit(cast)
    morning_visit(cast, day=0)
    chart = mar.mar_build(
        client=cast.client, first=MONDAY, last=MONDAY + dt.timedelta(days=1), now=on(3, "12:00")
    )
    [row] = chart.lines[0].rows
    assert row.time == "Morning visit"
    assert [c.due_at for c in row.cells] == [on(0, "08:30"), on(1, "08:00")]
    assert [c.state for c in row.cells] == [mar.GAP, mar.GAP]


def test_my_day_reads_the_dose_with_the_visit_it_belongs_to(cast: Cast) -> None:
    with_morning_visit(cast)
    make_line(cast, name="Amlodipine")  # 09:00
    visit = morning_visit(cast)
    found = doses_of_visits(visits=[visit], zone=cast.team.zone)
    assert [(d.line.name, d.due_at) for d in found[visit.id]] == [
        ("Levothyroxine", on(0, "08:30")),
        ("Amlodipine", on(0, "09:00")),
    ]


def test_a_line_takes_times_of_day_or_a_visit_never_both_nor_neither(cast: Cast) -> None:
    with pytest.raises(DomainError) as both:
        services.line_add(
            user=cast.nurse,
            client=cast.client,
            details=details(times=["08:00"], visit_part=VisitPart.MORNING),
        )
    assert both.value.field == "visit_part"
    with pytest.raises(DomainError) as neither:
        services.line_add(user=cast.nurse, client=cast.client, details=details(times=[]))
    assert neither.value.field == "times"
    with pytest.raises(DomainError) as unknown:
        services.line_add(
            user=cast.nurse, client=cast.client, details=details(times=[], visit_part="brunch")
        )
    assert unknown.value.field == "visit_part"
    made = services.line_add(
        user=cast.nurse, client=cast.client, details=details(times=[], visit_part="bedtime")
    )
    assert (made.times, made.visit_part) == ([], "bedtime")
