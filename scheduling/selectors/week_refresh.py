"""Keeping the week's rule results current at write time.

After a change of a kind the rules read commits (careteams/changes.py calls `plan_changed` from
`transaction.on_commit`, once per transaction and team), each week of the team on its hot list
(the weeks read last, `week_cache.HOT_WEEKS`) is brought to the team's plan position:

1. the team's plan position is read first, so what is read after it is at least as new;
2. the changes since the week's kept state (`week_cache.WeekState`, the rules' plan at its
   position) are read from the feed: only the records they name are loaded again (a visit with
   its client and carers, a shift, an absence, the members), and the plan is patched with them;
   a change of the team or a client, or many changes, and the week is loaded whole instead;
3. the working time of the 16 weeks before is read again (two queries: a change may have moved
   a visit out of them), the travel between the week's visits is worked out again, and the rules
   run over the whole patched plan. Only the loading is incremental: the results are those of a
   full recompute of the same plan (tests/scheduling/test_week_refresh.py checks it after random
   writes).

A state is correct for its position or newer, never older (its rows are read after the
position), so patching it with every change after its position gives the plan at the new one.
Concurrent writers each bring the week to the position they read; one that finds the state
already there does nothing. Anything failing is logged and never fails the write, which has
committed: readers then compute the week themselves, as before.
"""

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache

from careteams import registry
from careteams.geo import Location
from careteams.incarnation import plan_position
from careteams.models import Change, Team
from scheduling import rules
from scheduling.models import Absence, Shift, Visit
from scheduling.selectors import week_cache
from scheduling.selectors import working_time as working_time_rows
from scheduling.selectors.week_cache import WeekState
from scheduling.selectors.week_load import (
    WeekRows,
    plan_of,
    rule_absence,
    rule_members,
    rule_shift,
    team_members_unscoped,
    team_week_rows,
    visits_loaded,
)

logger = logging.getLogger(__name__)

_DAY = dt.timedelta(days=1)

# More changes than this since the kept state and the week is loaded whole: as cheap by then.
PATCH_LIMIT = 50
# The kinds whose records a patch loads again; a change of any other kind the plan reads (the
# team, a client) loads the week whole.
PATCHED = frozenset({"visit", "visit_assignment", "shift", "absence", "membership"})


def _location(visit: Visit) -> Location | None:
    client = visit.client
    if client.latitude is None or client.longitude is None:
        return None
    return (client.latitude, client.longitude)


def state_of(rows: WeekRows, plan: rules.Plan, position: int) -> WeekState:
    """The state a writer patches, from the week's rows as a reader loaded them (all visits)."""
    return WeekState(
        position=position,
        plan=plan,
        order={v.id: (v.planned_start, v.client.family_name, v.id) for v in rows.visits},
        assignments={a.id: v.id for v in rows.visits for a in v.assignments.all()},
        locations={v.client_id: place for v in rows.visits if (place := _location(v)) is not None},
    )


def keep_computed(
    rows: WeekRows, plan: rules.Plan, facts: week_cache.WeekFacts, *, position: week_cache.Position
) -> None:
    """A reader's full computation, kept for the readers after it and the writers."""
    state = state_of(rows, plan, position.plan)
    week_cache.facts_keep(
        team_id=rows.team.id,
        monday=rows.monday,
        incarnation=position.incarnation,
        facts=facts,
        state=state,
    )
    week_cache.week_read(team_id=rows.team.id, monday=rows.monday)


def plan_changed(team_id: uuid.UUID) -> None:
    """After a change the team's plan is derived from commits: bring its hot weeks' results to
    the new position. Registered in careteams/hooks.py; never raises."""
    try:
        mondays = week_cache.hot_weeks(team_id)
        if not mondays:
            return
        team = Team.objects.get(id=team_id)
        _, plan_seq, incarnation = plan_position(team_id=team_id)
        for monday in mondays:
            _refresh(team, monday, plan_seq, incarnation)
    except Exception:  # the write has committed: its readers compute instead
        logger.warning("Week results not refreshed after a write", exc_info=True)


def _refresh(team: Team, monday: dt.date, plan_seq: int, incarnation: str) -> None:
    state = cache.get(week_cache.state_key(team_id=team.id, monday=monday, incarnation=incarnation))
    if not isinstance(state, WeekState) or state.position >= plan_seq:
        return  # nobody reads the week now, or another writer has brought it here already
    patched = _patched(team, state, plan_seq)
    if patched is None:
        rows = team_week_rows(team=team, monday=monday)
        patched = state_of(rows, plan_of(rows), plan_seq)
    week_cache.facts_keep(
        team_id=team.id,
        monday=monday,
        incarnation=incarnation,
        facts=week_cache.facts_of(patched.plan),
        state=patched,
    )


def _patched(team: Team, state: WeekState, plan_seq: int) -> WeekState | None:
    """The state at `plan_seq`: the records changed since loaded again, or None (load whole)."""
    changes = list(
        Change.objects.filter(
            team_id=team.id,
            seq__gt=state.position,
            seq__lte=plan_seq,
            entity__in=registry.plan_inputs(),
        )
        .order_by("seq")
        .values_list("entity", "entity_id", "data")[: PATCH_LIMIT + 1]
    )
    if len(changes) > PATCH_LIMIT or any(entity not in PATCHED for entity, _, _ in changes):
        return None
    visit_ids, shift_ids, absence_ids = set(), set(), set()
    assignments = dict(state.assignments)
    for entity, entity_id, data in changes:
        if entity == "visit":
            visit_ids.add(entity_id)
        elif entity == "visit_assignment":
            # A removed carer's change carries no data: its visit is known from the state, or
            # from the change that added it since. Unknown: not a visit of this week.
            if found := (data or {}).get("visit_id") or (data or {}).get("visit"):
                assignments[entity_id] = uuid.UUID(str(found))
            if entity_id in assignments:
                visit_ids.add(assignments[entity_id])
        elif entity == "shift":
            shift_ids.add(entity_id)
        elif entity == "absence":
            absence_ids.add(entity_id)
    members = "membership" in {entity for entity, _, _ in changes}
    return _patch(
        team=team,
        state=state,
        plan_seq=plan_seq,
        visit_ids=visit_ids,
        shift_ids=shift_ids,
        absence_ids=absence_ids,
        members=members,
    )


def _patch(
    *,
    team: Team,
    state: WeekState,
    plan_seq: int,
    visit_ids: set[uuid.UUID],
    shift_ids: set[uuid.UUID],
    absence_ids: set[uuid.UUID],
    members: bool,
) -> WeekState:
    plan = state.plan
    start, end = plan.week_start, plan.week_end
    order, assignments, locations = (
        dict(state.order),
        dict(state.assignments),
        dict(state.locations),
    )
    visits = {v.id: v for v in plan.visits if v.id not in visit_ids}
    for visit_id in visit_ids:
        order.pop(visit_id, None)
    assignments = {a: v for a, v in assignments.items() if v not in visit_ids}
    for visit in (
        visits_loaded(Visit.objects.filter(id__in=visit_ids, team=team)) if visit_ids else []
    ):
        if not start <= visit.planned_start < end:
            continue
        order[visit.id] = (visit.planned_start, visit.client.family_name, visit.id)
        assignments |= {a.id: visit.id for a in visit.assignments.all()}
        if (place := _location(visit)) is not None:
            locations[visit.client_id] = place
        visits |= {v.id: v for v in working_time_rows.rules_visits([visit])}
    in_order = sorted(visits.values(), key=lambda v: order[v.id])
    shifts = _replaced(
        plan.shifts,
        shift_ids,
        (rule_shift(s) for s in Shift.objects.filter(id__in=shift_ids, team=team))
        if shift_ids
        else (),
        lambda s: s.start < end + _DAY and s.end > start - _DAY,
    )
    absences = _replaced(
        plan.absences,
        absence_ids,
        (rule_absence(a) for a in Absence.objects.filter(id__in=absence_ids, team=team))
        if absence_ids
        else (),
        lambda a: a.start < end and a.end > start,
    )
    monday = start.astimezone(plan.zone).date()
    new_plan = dataclasses.replace(
        plan,
        members=rule_members(list(team_members_unscoped(team))) if members else plan.members,
        shifts=shifts,
        absences=absences,
        visits=in_order,
        travel=working_time_rows.travel_between(in_order, locations, plan.zone),
        worked_before=working_time_rows.worked_before(team=team, monday=monday),
    )
    return WeekState(plan_seq, new_plan, order, assignments, locations)


def _replaced[T: (rules.Shift, rules.Absence)](
    kept: Iterable[T], ids: set[uuid.UUID], loaded: Iterable[T], within: Callable[[T], bool]
) -> list[T]:
    """The plan's shifts (or absences) with those of `ids` replaced by their loaded rows that
    are still within the week's reach, in the loader's order (start, id)."""
    out = [item for item in kept if item.id not in ids] + [item for item in loaded if within(item)]
    return sorted(out, key=lambda item: (item.start, item.id))
