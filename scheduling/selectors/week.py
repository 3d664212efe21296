"""Reads for the rota pages, always starting from careteams.access's scoped querysets.

The week is loaded in a fixed number of queries whatever its size (members, shifts, absences,
visits with their clients, assignments, the rota week, notices, offers); the rules then run over
the loaded rows in memory.
"""

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from careteams import access, dates, timeutil
from careteams.access import AnyUser
from careteams.errors import NotFound
from careteams.models import Membership, Team
from careteams.selectors import team_for_member
from scheduling import access as scheduling_access
from scheduling import rules
from scheduling.models import (
    PlanRun,
    RotaNotice,
    RotaWeek,
    SwapOffer,
    SwapStatus,
    Visit,
    VisitStatus,
)
from scheduling.rules.words import from_data
from scheduling.selectors import week_cache, week_refresh
from scheduling.selectors.week_board_shapes import (
    Blocked,
    Cell,
    Day,
    MemberRow,
    Suggestion,
    TravelIn,
    VisitDay,
    VisitRow,
    WeekBoard,
)
from scheduling.selectors.week_load import WeekRows, member_name, plan_of, week_rows
from scheduling.selectors.week_tally import week_tally
from scheduling.words import say

# Teams and members ---------------------------------------------------------------------------


def team_for_reader(*, user: AnyUser, team_id: uuid.UUID) -> Team:
    """A team whose rota and figures the user may read: members and the team's coaches."""
    return access.get_visible(access.teams_visible_to(user), team_id)


def membership_in(*, user: AnyUser, team: Team) -> Membership:
    membership = access.membership_of(user, team)
    if membership is None:
        raise NotFound()
    return membership


# Weeks --------------------------------------------------------------------------------------


def week_from_text(text: str) -> dt.date:
    """The Monday of the week a `YYYY-MM-DD` date falls in, or NotFound for a date that does not
    exist or is outside the years taken (careteams/dates.py): a 404 with its own message."""
    try:
        day = dates.parse(text)
    except ValueError as exc:
        raise NotFound(f"There is no week starting {text[:20]!r}: {exc}") from exc
    return timeutil.monday_of(day)


# The week board -------------------------------------------------------------------------------


def _local_date(moment: dt.datetime, team: Team) -> dt.date:
    return moment.astimezone(team.zone).date()


def shown_day(team: Team, monday: dt.date, wanted: dt.date | None) -> dt.date:
    """The day the board opens on: the one asked for if in the week, else today if in the
    week, else its Monday."""
    days = {monday + dt.timedelta(days=n) for n in range(7)}
    if wanted in days:
        return wanted
    today = timeutil.local_today(team.zone)
    return today if today in days else monday


def week_board(
    *,
    user: AnyUser,
    team_id: uuid.UUID,
    monday: dt.date,
    day: dt.date | None = None,
    need_only: bool = False,
    team: Team | None = None,
    position: week_cache.Position | None = None,
    all_visits: bool = True,
) -> WeekBoard:
    """The board of one week, showing the visits of one day; the rules run over the week.

    A caller that has already scoped the team (`team_for_member`) and read its feed position
    (for an ETag) passes them on, to save their queries. A caller that shows one day's visits
    says so (`all_visits=False`): while the rules' results are cached, only that day's visits
    are then loaded, and the others counted (`board.visit_days` of other days hold a tally)."""
    if team is None or team.id != team_id:
        team = team_for_member(user=user, team_id=team_id)
    # The position first: rows read after it are at least as new as the cached facts' position.
    position = position or week_cache.position_of(team)
    facts = week_cache.facts_find(team_id=team.id, monday=monday, position=position)
    shown = shown_day(team, monday, day)
    one_day = facts is not None and not all_visits
    rows = week_rows(
        user=user,
        team=team,
        monday=monday,
        working_time=facts is None,
        visits_on=shown if one_day else None,
    )
    if facts is None:
        plan = plan_of(rows)
        facts = week_cache.facts_of(plan)
        week_refresh.keep_computed(rows, plan, facts, position=position)
    today = timeutil.local_today(team.zone)
    days = [Day(d, rows.holidays.get(d), d == today) for d in rows.days]
    members_by_id = {m.id: m for m in rows.members}
    run = latest_plan_run(team=team, monday=monday)
    suggestions, blocked = _suggestions(run, members_by_id, team.zone)
    visit_days, visits_by_id = _visit_days(
        rows, days, facts, members_by_id, suggestions=suggestions, blocked=blocked
    )
    # Only the visits the planner could not place and that still need a carer are listed.
    if one_day:
        open_ids = _count_other_days(user, rows, visit_days, shown, blocked, visits_by_id)
    else:
        open_ids = {v for v, visit in visits_by_id.items() if _still_open(visit)}

    rota_week = RotaWeek.objects.filter(team=team, week_start=monday).first()
    notices = list(
        RotaNotice.objects.filter(team=team, week_start=monday)
        .select_related("member__user")
        .order_by("-created_at")[:50]
    )
    open_offers = SwapOffer.objects.filter(team=team, status=SwapStatus.OPEN).count()
    return WeekBoard(
        team=team,
        monday=monday,
        days=days,
        rows=_member_rows(rows, days, facts),
        visit_days=visit_days,
        problems=facts.problems,
        rota_week=rota_week,
        notices=notices,
        open_offers=open_offers,
        cursor=position.head,
        day=next(d for d in days if d.date == shown),
        need_only=need_only,
        plan_run=run,
        blocked=[
            (b, visits_by_id[b.visit_id])
            for b in blocked.values()
            if b.visit_id in open_ids and b.visit_id in visits_by_id
        ],
    )


def _count_other_days(
    user: AnyUser,
    rows: WeekRows,
    visit_days: list[VisitDay],
    shown: dt.date,
    blocked: dict[uuid.UUID, Blocked],
    visits_by_id: dict[uuid.UUID, Visit],
) -> set[uuid.UUID]:
    """With one day's visits loaded: the other days' visits counted, and the ids of the week's
    visits still needing a carer; the blocked ones of other days are loaded into visits_by_id."""
    tally = week_tally(user=user, team=rows.team, start=rows.start, end=rows.end)
    for visit_day in visit_days:
        if visit_day.day.date != shown:
            visit_day.tally = tally.per_day.get(visit_day.day.date, (0, 0))
    elsewhere = [b for b in blocked if b in tally.open_ids and b not in visits_by_id]
    if elsewhere:
        visits_by_id |= (
            scheduling_access.visits_visible_to(user).select_related("client").in_bulk(elsewhere)
        )
    return tally.open_ids


def _count_problems(
    cells: dict[tuple[uuid.UUID, dt.date], Cell], problems: list[rules.Problem], team: Team
) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, list[rules.Problem]]]:
    """Each problem counted in the cells of its members' day (errors, warnings); per member,
    how many in all, and those of the week that belong to no one day."""
    per_member: dict[uuid.UUID, int] = defaultdict(int)
    weekly: dict[uuid.UUID, list[rules.Problem]] = defaultdict(list)
    for problem in problems:
        day = _local_date(problem.at, team) if problem.at else None
        for member_id in set(problem.member_ids):
            per_member[member_id] += 1
            cell = cells.get((member_id, day)) if day else None
            if cell is None:
                weekly[member_id].append(problem)
            elif problem.level is rules.Level.ERROR:
                cell.errors += 1
            else:
                cell.warnings += 1
    return per_member, weekly


def _member_rows(rows: WeekRows, days: list[Day], facts: week_cache.WeekFacts) -> list[MemberRow]:
    """A row per member: their shifts and absences day by day, hours and problem count."""
    team = rows.team
    cells: dict[tuple[uuid.UUID, dt.date], Cell] = {
        (m.id, d.date): Cell(d) for m in rows.members for d in days
    }
    for shift in rows.shifts:
        cell = cells.get((shift.member_id, _local_date(shift.start, team)))
        if cell is not None:
            cell.shifts.append(shift)
    for absence in rows.absences:
        for each in days:
            day_start, day_end = timeutil.day_bounds(team.zone, each.date)
            cell = cells.get((absence.member_id, each.date))
            if cell is not None and absence.start < day_end and absence.end > day_start:
                cell.absences.append(absence)
    for (member_id, day), hours in facts.visit_hours.items():
        if (found := cells.get((member_id, day))) is not None:
            found.visit_hours = hours
    per_member, weekly = _count_problems(cells, facts.problems, team)
    return [
        MemberRow(
            member=m,
            name=member_name(m),
            cells=[cells[(m.id, d.date)] for d in days],
            planned_hours=facts.planned_hours.get(m.id, 0.0),
            expected_hours=facts.expected_hours.get(m.id, 0.0),
            problem_count=per_member.get(m.id, 0),
            contracted_hours=float(m.contracted_hours),
            week_errors=sum(p.level is rules.Level.ERROR for p in weekly[m.id]),
            week_warnings=sum(p.level is not rules.Level.ERROR for p in weekly[m.id]),
        )
        for m in rows.members
    ]


def _visit_days(
    rows: WeekRows,
    days: list[Day],
    facts: week_cache.WeekFacts,
    members_by_id: dict[uuid.UUID, Membership],
    *,
    suggestions: dict[uuid.UUID, Suggestion],
    blocked: dict[uuid.UUID, Blocked],
) -> tuple[list[VisitDay], dict[uuid.UUID, Visit]]:
    """The loaded visits' rows, day by day, and the visits by id."""
    team = rows.team
    visit_level: dict[uuid.UUID, str] = {}
    for problem in facts.problems:
        for visit_id in problem.visit_ids:
            # Errors win over warnings when a visit has both.
            if visit_level.get(visit_id) != rules.Level.ERROR:
                visit_level[visit_id] = problem.level
    arriving = _arriving(facts, members_by_id)
    visit_days = [VisitDay(d, []) for d in days]
    by_day = {vd.day.date: vd for vd in visit_days}
    visits_by_id: dict[uuid.UUID, Visit] = {}
    for visit in rows.visits:
        visits_by_id[visit.id] = visit
        carers = [members_by_id.get(a.member_id) for a in visit.assignments.all()]
        open_places = max(0, visit.carers_needed - len(carers))
        by_day[_local_date(visit.planned_start, team)].visits.append(
            VisitRow(
                visit,
                carers,
                open_places if visit.status != "cancelled" else 0,
                visit_level.get(visit.id),
                suggestions.get(visit.id),
                blocked.get(visit.id),
                arriving.get(visit.id, []),
                visit.client.full_name,
                visit.planned_start.astimezone(team.zone).strftime("%H:%M"),
                visit.planned_end.astimezone(team.zone).strftime("%H:%M"),
            )
        )
    return visit_days, visits_by_id


def _arriving(
    facts: week_cache.WeekFacts, members_by_id: dict[uuid.UUID, Membership]
) -> dict[uuid.UUID, list[TravelIn]]:
    """Travel from the week's rows already loaded (the rules' own legs): no query per row."""
    arriving: dict[uuid.UUID, list[TravelIn]] = defaultdict(list)
    for leg in facts.legs:
        arriving[leg.visit_id].append(
            TravelIn(
                member_name(c)
                if (c := members_by_id.get(leg.member_id))
                else gettext("A former member"),
                leg.minutes,
                short_by=max(0, leg.minutes - max(0, round(leg.gap_minutes))),
                member_id=leg.member_id,
            )
        )
    return arriving


def _still_open(visit: Visit) -> bool:
    return (
        visit.status == VisitStatus.PLANNED and len(visit.assignments.all()) < visit.carers_needed
    )


def latest_plan_run(*, team: Team, monday: dt.date) -> PlanRun | None:
    """The week's latest "Suggest carers" run: the one running, or the last one finished."""
    return PlanRun.objects.filter(team=team, week_start=monday).order_by("-started_at").first()


def _moved_to(item: dict[str, Any], zone: ZoneInfo) -> str:
    """The new time of a suggestion that moves its visit within its window ("" when it stays)."""
    if not item.get("start"):
        return ""
    start = dt.datetime.fromisoformat(item["start"]).astimezone(zone)
    end = dt.datetime.fromisoformat(item["end"]).astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M}"


def _suggestions(
    run: PlanRun | None, members: dict[uuid.UUID, Membership], zone: ZoneInfo
) -> tuple[dict[uuid.UUID, Suggestion], dict[uuid.UUID, Blocked]]:
    if run is None or run.active:
        return {}, {}
    suggestions = {}
    for item in run.proposals:
        visit_id = uuid.UUID(item["visit_id"])
        names = tuple(
            member_name(members[m])
            if (m := uuid.UUID(i)) in members
            else gettext("A former member")
            for i in item["member_ids"]
        )
        reasons = tuple(say(from_data(r)) for r in item.get("said", item["reasons"]))
        suggestions[visit_id] = Suggestion(
            visit_id, names, reasons, item["state"], item.get("note", ""), _moved_to(item, zone)
        )
    blocked = {
        uuid.UUID(item["visit_id"]): Blocked(
            uuid.UUID(item["visit_id"]),
            item["rule"],
            say(from_data(item.get("said", item["reason"]))),
        )
        for item in run.unassignable
    }
    return suggestions, blocked
