"""The team's figures over time match a small week worked out by hand, by the pure functions and
through the database; the selectors use a fixed number of queries; CSV has the same figures."""

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams import timeutil
from careteams.models import Membership, Role
from clients.models import CareProblem, Client, OutcomeRating
from scheduling import selectors as scheduling_selectors
from scheduling.models import Absence, Shift, Visit, VisitAssignment
from scheduling.rules.lateness import Timing
from scheduling.visit_models import AttendanceRole, MissedReason, MissedVisit, VisitAttendance
from teamwork import figures
from teamwork.figures import AbsenceRow, MemberRow, RatingRow, ShiftRow, VisitRow
from teamwork.selectors.figures import trends_for
from tests.conftest import Cast, make_user
from tests.scheduling.conftest import MONDAY, on

LONDON = ZoneInfo("Europe/London")
NOW = on(4, "12:00")  # Friday noon of the test week
A, B = "member-a", "member-b"

GRACE = 30  # minutes: the team's late_grace_minutes (the Team default)

# The week by hand (Monday 25 November 2030, London; now is Friday noon; grace 30 minutes).
# Late and missed are the visit domain's rule (scheduling.rules.lateness.visit_timing): due at
# the latest start (the window's end, else the planned start) + 30 min; late if the first live
# check-in came after that, or if past due and not checked in before its day is over; missed
# if a reason was recorded, or a planned visit nobody checked in to by its day's midnight.
#   shifts: A Mon 07-15 less 30 min (7.5 h), B Mon 08-12 (4 h), A Tue 07-15 less 30 min (7.5 h)
#           = 19 shift hours
#   visits: 1 X Mon 09:00-10:00 by A, window to 09:30 (due 10:00), in 09:05 out 10:05: on time, 1 h
#           2 X Mon 11:00-11:30 by B, no window (due 11:30); a check-in at 11:10 was withdrawn,
#             the live one is 11:50, out 12:20: late, 0.5 h
#           3 Y Tue 09:00-10:00 by A and B, done, no times recorded: planned 1 h x 2 carers = 2 h
#           4 Y Tue 12:00-12:30 by A, only a withdrawn check-in, Tuesday is over: missed, no hours
#           5 X Wed 10:00-10:30 by B, cancelled: not counted at all
#           6 X Wed 14:00-14:30 by A, in 14:20 (due 14:30) out 14:50: on time, 0.5 h
#             (20 minutes after the start: late under the old 15-minute default, not now)
#           7 Y Wed 16:00-16:30 by B, a reason recorded (not at home): missed, no hours
#           8 Y Fri 09:00-09:30 by B, not checked in, due 09:30, Friday not over: late (not yet
#             missed: it would have been "missed" under the old "by the planned end" rule);
#             still planned, so its planned 0.5 h counts
#   → 1 + 0.5 + 2 + 0.5 + 0.5 = 4.5 client hours of 19 = 23.68 %; 7 visits, 2 late, 2 missed
#   continuity: X saw A and B, Y saw A and B → 2 carers each, both over a limit of 1
#   contracts 37.5 + 30 = 67.5 h; B sick all Thursday: 30 / 5 = 6 h lost → 8.89 %
#   ratings: P1 K2 B3 S2 (Mon) → K4 B3 S3 (Fri): +2, 0, +1; P2 K3 B2 S4 → K3 B4 S3: 0, +2, -1;
#            P3 rated once: no change → average +1, +1, 0 over 2 problems
SHIFT_HOURS = 19.0
CLIENT_HOURS = 4.5
VISITS, LATE, MISSED = 7, 2, 2


def week_rows() -> dict[str, object]:
    return {
        "members": [MemberRow(A, 37.5), MemberRow(B, 30.0)],
        "shifts": [
            ShiftRow(A, on(0, "07:00"), on(0, "15:00"), 30),
            ShiftRow(B, on(0, "08:00"), on(0, "12:00"), 0),
            ShiftRow(A, on(1, "07:00"), on(1, "15:00"), 30),
        ],
        "absences": [
            AbsenceRow(B, "sickness", on(3, "00:00"), on(4, "00:00")),
            AbsenceRow(A, "sickness", on(5, "00:00"), on(6, "00:00")),  # a Saturday
            AbsenceRow(A, "annual_leave", on(2, "00:00"), on(3, "00:00")),
        ],
        "visits": [
            VisitRow(
                "1",
                "X",
                on(0, "09:00"),
                on(0, "10:00"),
                "done",
                (A,),
                on(0, "09:30"),
                on(0, "09:05"),
                on(0, "10:05"),
            ),
            VisitRow(
                "2",
                "X",
                on(0, "11:00"),
                on(0, "11:30"),
                "done",
                (B,),
                None,
                on(0, "11:50"),
                on(0, "12:20"),
            ),
            VisitRow("3", "Y", on(1, "09:00"), on(1, "10:00"), "done", (A, B)),
            VisitRow("4", "Y", on(1, "12:00"), on(1, "12:30"), "planned", (A,)),
            VisitRow("5", "X", on(2, "10:00"), on(2, "10:30"), "cancelled", (B,)),
            VisitRow(
                "6",
                "X",
                on(2, "14:00"),
                on(2, "14:30"),
                "done",
                (A,),
                None,
                on(2, "14:20"),
                on(2, "14:50"),
            ),
            VisitRow(
                "7",
                "Y",
                on(2, "16:00"),
                on(2, "16:30"),
                "missed",
                (B,),
                missed_recorded=True,
            ),
            VisitRow("8", "Y", on(4, "09:00"), on(4, "09:30"), "planned", (B,)),
        ],
        "ratings": [
            RatingRow("P1", MONDAY, 2, 3, 2),
            RatingRow("P1", MONDAY + dt.timedelta(days=4), 4, 3, 3),
            RatingRow("P1", MONDAY - dt.timedelta(days=5), 1, 1, 1),  # the week before
            RatingRow("P2", MONDAY + dt.timedelta(days=1), 3, 2, 4),
            RatingRow("P2", MONDAY + dt.timedelta(days=3), 3, 4, 3),
            RatingRow("P3", MONDAY + dt.timedelta(days=2), 5, 5, 5),
        ],
    }


def test_the_figures_of_a_week_match_the_hand_computed_ones() -> None:
    period = figures.period_of("w/c 25 Nov 2030", MONDAY, 7, LONDON)
    result = figures.period_figures(
        period,
        zone=LONDON,
        continuity_limit=1,
        now=NOW,
        grace_minutes=GRACE,
        **week_rows(),  # type: ignore[arg-type]
    )
    assert result.shift_hours == pytest.approx(SHIFT_HOURS)
    assert result.client_hours == pytest.approx(CLIENT_HOURS)
    assert result.client_share == pytest.approx(100 * 4.5 / 19)
    assert result.contracted_hours == pytest.approx(67.5)
    assert result.hours_difference == pytest.approx(19 - 67.5)
    assert (result.visits, result.late, result.missed) == (VISITS, LATE, MISSED)
    assert (result.clients, result.carers_per_client, result.most_carers) == (2, 2.0, 2)
    assert result.over_limit == 2
    assert result.sickness_hours == pytest.approx(6.0)
    assert result.sickness_rate == pytest.approx(100 * 6 / 67.5)
    assert result.problems_rated == 2
    assert (result.knowledge_change, result.behaviour_change, result.status_change) == (
        1.0,
        1.0,
        0.0,
    )


def test_late_uses_the_teams_grace_and_missed_waits_for_the_end_of_the_day() -> None:
    visit = VisitRow(
        "v", "X", on(0, "09:00"), on(0, "09:30"), "done", (A,), on(0, "09:30"), on(0, "09:44")
    )
    # Due at 09:30 (the window's end) plus the grace: 14 minutes after it is late only when
    # the team's grace is shorter than that.
    assert figures.timing(visit, grace_minutes=30, zone=LONDON, now=NOW) == Timing.ON_TIME
    assert figures.timing(visit, grace_minutes=10, zone=LONDON, now=NOW) == Timing.LATE
    # No window: due at 09:00 + 30 min; late after that, missed from midnight.
    waiting = VisitRow("w", "X", on(0, "09:00"), on(0, "09:30"), "planned", (A,))
    assert [
        figures.timing(waiting, grace_minutes=30, zone=LONDON, now=now)
        for now in (on(0, "09:30"), on(0, "23:59"), on(1, "00:00"))
    ] == [Timing.ON_TIME, Timing.LATE, Timing.MISSED]


def test_a_recorded_missed_visit_is_missed_and_a_done_visit_without_times_is_not() -> None:
    recorded = VisitRow(
        "r", "X", on(4, "11:00"), on(4, "11:30"), "planned", (A,), missed_recorded=True
    )
    done = VisitRow("d", "X", on(0, "09:00"), on(0, "09:30"), "done", (A,))
    assert figures.timing(recorded, grace_minutes=30, zone=LONDON, now=NOW) == Timing.MISSED
    assert figures.timing(done, grace_minutes=30, zone=LONDON, now=NOW) == Timing.ON_TIME


def test_a_period_without_work_has_no_share_and_no_changes() -> None:
    period = figures.period_of("empty", MONDAY, 7, LONDON)
    result = figures.period_figures(
        period,
        zone=LONDON,
        members=[],
        shifts=[],
        absences=[],
        visits=[],
        ratings=[],
        continuity_limit=4,
        now=NOW,
        grace_minutes=GRACE,
    )
    assert result.client_share is None
    assert result.sickness_rate is None
    assert result.carers_per_client is None
    assert result.knowledge_change is None


def test_months_are_calendar_months_oldest_first() -> None:
    months = figures.months_to(dt.date(2030, 1, 1), 3, LONDON)
    assert [(m.first_day, m.days) for m in months] == [
        (dt.date(2029, 11, 1), 30),
        (dt.date(2029, 12, 1), 31),
        (dt.date(2030, 1, 1), 31),
    ]


def _attend(
    visit: Visit,
    member: Membership,
    checked_in: dt.datetime,
    checked_out: dt.datetime | None = None,
    *,
    withdrawn: bool = False,
) -> None:
    VisitAttendance.objects.create(
        visit=visit,
        member=member,
        role=AttendanceRole.ASSIGNED,
        checked_in_at=checked_in,
        check_in_received_at=checked_in,
        checked_out_at=checked_out,
        check_out_received_at=checked_out,
        withdrawn_at=checked_in + dt.timedelta(minutes=2) if withdrawn else None,
        withdrawn_reason="Wrong visit" if withdrawn else "",
    )


def build_week_in_the_database(cast: Cast, *, extra_weeks: int = 0) -> None:
    """The hand-computed week again, as the team's own records (A: the nurse, B: the carer):
    check-ins as attendances (the visit's own times derived from the live ones, as the
    attendance services do), the missed visit's reason as a MissedVisit. `extra_weeks` adds
    that many more weeks of visits before it (for the query counts)."""
    a, b = cast.nurse_membership, cast.carer_membership
    x, y = cast.client, cast.other_client_same_team
    for member, day, start, end, pause in (
        (a, 0, "07:00", "15:00", 30),
        (b, 0, "08:00", "12:00", 0),
        (a, 1, "07:00", "15:00", 30),
    ):
        Shift.objects.create(
            team=cast.team,
            member=member,
            start=on(day, start),
            end=on(day, end),
            break_minutes=pause,
        )
    Absence.objects.create(
        team=cast.team, member=b, kind="sickness", start=on(3, "00:00"), end=on(4, "00:00")
    )
    visits: tuple[tuple[Client, int, str, str, str, tuple[Membership, ...], dict[str, Any]], ...]
    visits = (
        (
            x,
            0,
            "09:00",
            "10:00",
            "done",
            (a,),
            {"window_start": on(0, "08:45"), "window_end": on(0, "09:30")},
        ),
        (x, 0, "11:00", "11:30", "done", (b,), {}),
        (y, 1, "09:00", "10:00", "done", (a, b), {"carers_needed": 2}),
        (y, 1, "12:00", "12:30", "planned", (a,), {}),
        (x, 2, "10:00", "10:30", "cancelled", (b,), {}),
        (x, 2, "14:00", "14:30", "done", (a,), {}),
        (y, 2, "16:00", "16:30", "missed", (b,), {}),
        (y, 4, "09:00", "09:30", "planned", (b,), {}),
    )
    made = []
    for client, day, start, end, status, carers, extra in visits:
        visit = Visit.objects.create(
            team=cast.team,
            client=client,
            planned_start=on(day, start),
            planned_end=on(day, end),
            status=status,
            **extra,
        )
        for member in carers:
            VisitAssignment.objects.create(visit=visit, member=member)
        made.append(visit)
    one, two, _, four, _, six, seven, _ = made
    for visit, member, checked_in, checked_out in (
        (one, a, on(0, "09:05"), on(0, "10:05")),
        (two, b, on(0, "11:50"), on(0, "12:20")),
        (six, a, on(2, "14:20"), on(2, "14:50")),
    ):
        _attend(visit, member, checked_in, checked_out)
        Visit.objects.filter(pk=visit.pk).update(
            checked_in_at=checked_in, checked_out_at=checked_out
        )
    _attend(two, b, on(0, "11:10"), withdrawn=True)  # earlier, withdrawn: not the check-in
    _attend(four, a, on(1, "12:05"), withdrawn=True)  # withdrawn: nobody checked in
    MissedVisit.objects.create(
        visit=seven,
        reason=MissedReason.NOT_HOME,
        recorded_by=cast.carer,
        recorded_at=on(2, "17:00"),
    )
    for week in range(1, extra_weeks + 1):
        for client in (x, y):
            visit = Visit.objects.create(
                team=cast.team,
                client=client,
                planned_start=on(-7 * week, "09:00"),
                planned_end=on(-7 * week, "09:30"),
                status="done",
            )
            VisitAssignment.objects.create(visit=visit, member=a)
            _attend(visit, a, on(-7 * week, "09:10"), on(-7 * week, "09:40"))
            MissedVisit.objects.create(
                visit=Visit.objects.create(
                    team=cast.team,
                    client=client,
                    planned_start=on(-7 * week, "15:00"),
                    planned_end=on(-7 * week, "15:30"),
                    status="missed",
                ),
                reason=MissedReason.DECLINED,
                recorded_by=cast.carer,
                recorded_at=on(-7 * week, "16:00"),
            )
    for client, ratings in (
        (x, [(0, 2, 3, 2), (4, 4, 3, 3), (-5, 1, 1, 1)]),
        (y, [(1, 3, 2, 4), (3, 3, 4, 3)]),
        (y, [(2, 5, 5, 5)]),
    ):
        problem = CareProblem.objects.create(
            client=client, problem_code="27", identified_on=MONDAY - dt.timedelta(days=30)
        )
        for day, k, bh, s in ratings:
            OutcomeRating.objects.create(
                problem=problem,
                knowledge=k,
                behaviour=bh,
                status=s,
                rated_on=MONDAY + dt.timedelta(days=day),
                rated_by=cast.nurse,
            )


@pytest.mark.django_db
def test_the_team_trend_from_the_database_matches_the_hand_computed_week(cast: Cast) -> None:
    build_week_in_the_database(cast)
    (trend,) = trends_for([cast.team], scale="week", now=NOW)
    week = trend.rows[-1]
    assert week.period.first_day == MONDAY
    assert week.shift_hours == pytest.approx(SHIFT_HOURS)
    assert week.client_hours == pytest.approx(CLIENT_HOURS)
    assert (week.visits, week.late, week.missed) == (VISITS, LATE, MISSED)
    assert (week.carers_per_client, week.over_limit) == (2.0, 0)  # the team's limit is 4
    assert week.sickness_hours == pytest.approx(6.0)
    assert (week.knowledge_change, week.behaviour_change, week.status_change) == (1.0, 1.0, 0.0)
    assert trend.grace_minutes == cast.team.late_grace_minutes == GRACE
    assert len(trend.rows) == 8
    assert trend.rows[0].period.first_day == MONDAY - dt.timedelta(weeks=7)


@pytest.mark.django_db
def test_a_team_with_a_longer_grace_has_fewer_late_visits(cast: Cast) -> None:
    build_week_in_the_database(cast)
    cast.team.late_grace_minutes = 60  # visit 2 (in 11:50, due 12:00) is now on time
    (trend,) = trends_for([cast.team], scale="week", now=NOW)
    assert (trend.rows[-1].late, trend.rows[-1].missed) == (LATE - 1, MISSED)
    assert trend.grace_minutes == 60


@pytest.mark.django_db
def test_the_trend_and_the_weekly_figures_page_count_the_same_missed_visits(
    cast: Cast, client: HttpClient
) -> None:
    build_week_in_the_database(cast)
    (trend,) = trends_for([cast.team], scale="week", now=NOW)
    weekly = scheduling_selectors.team_figures(
        user=cast.nurse, team_id=cast.team.id, monday=MONDAY, now=NOW
    )
    assert (weekly.visits, weekly.missed) == (trend.rows[-1].visits, trend.rows[-1].missed)
    assert weekly.missed == MISSED
    # The week after: Friday's late visit is missed once its day is over, on both.
    saturday = on(5, "00:00")
    (later,) = trends_for([cast.team], scale="week", now=saturday)
    weekly = scheduling_selectors.team_figures(
        user=cast.nurse, team_id=cast.team.id, monday=MONDAY, now=saturday
    )
    assert weekly.missed == later.rows[-1].missed == MISSED + 1
    assert later.rows[-1].late == LATE - 1


@pytest.mark.django_db
@pytest.mark.parametrize("extra_weeks", [0, 6])
def test_the_figures_of_any_number_of_teams_take_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: object, extra_weeks: int
) -> None:
    build_week_in_the_database(cast, extra_weeks=extra_weeks)
    for n in range(5 * (1 + extra_weeks)):
        extra = make_user(f"extra{n}@example.test", "Extra", str(n))
        Membership.objects.create(user=extra, team=cast.other_team, role=Role.CARE_WORKER)
    with django_assert_num_queries(6):  # type: ignore[operator]
        trends = trends_for([cast.team, cast.other_team], scale="month", now=NOW)
    assert [t.team for t in trends] == [cast.team, cast.other_team]
    assert sum(row.missed for row in trends[0].rows) == MISSED + 2 * extra_weeks


@pytest.mark.django_db
@pytest.mark.clock_sensitive
def test_the_csv_has_the_figures_of_each_week(client: HttpClient, cast: Cast) -> None:
    today = timeutil.local_today(cast.team.zone)
    monday = timeutil.monday_of(today)
    start = dt.datetime.combine(monday, dt.time(7), tzinfo=cast.team.zone)
    Shift.objects.create(
        team=cast.team,
        member=cast.carer_membership,
        start=start,
        end=start + dt.timedelta(hours=8),
        break_minutes=30,
    )
    client.force_login(cast.coach)
    response = client.get(reverse("teamwork:trends-csv", kwargs={"team_id": cast.team.id}))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 8
    assert rows[-1]["first_day"] == monday.isoformat()
    assert rows[-1]["shift_hours"] == "7.5"
    assert rows[-1]["contracted_hours"] == "67.5"
    assert rows[-1]["client_share_percent"] == "0.0"
    assert rows[-2]["shift_hours"] == "0"
    assert rows[-2]["client_share_percent"] == ""


@pytest.mark.django_db
def test_the_trends_page_draws_a_chart_with_a_table_for_each_figure(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: object
) -> None:
    build_week_in_the_database(cast)
    client.force_login(cast.nurse)
    url = reverse("teamwork:trends", kwargs={"team_id": cast.team.id})
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(url, {"by": "month"})
    html = response.content.decode()
    assert html.count("<svg") + html.count("Nothing to show yet") == 6
    assert html.count('<table class="nhsuk-table">') == 6
    assert "not checked in by 30 minutes after the latest start (the team's grace time" in html
