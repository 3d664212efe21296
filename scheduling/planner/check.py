"""The hard rules, checked on one member's work exactly as the team would read them.

The solver's model imposes sufficient conditions for each (see docs/planner.md); this module is the
definition used by the greedy start, the diagnosis of visits that cannot be placed, and the tests.
"""

from __future__ import annotations

from itertools import pairwise

from scheduling.planner.prepare import Item, Prepared
from scheduling.rules.words import gettext_noop

OVERLAP = "double_booked"
DAILY_REST = "daily_rest"
WEEKLY_REST = "weekly_rest"
BREAKS = "break"
AVERAGE_HOURS = "average_hours"

# Each as a whole sentence about everyone who could take a visit, with the time it is at.
RULE_WORDS = {
    OVERLAP: gettext_noop(
        "everyone who could do it already booked then, counting travel (%(slot)s)"
    ),
    DAILY_REST: gettext_noop(
        "everyone who could do it would break the 11-hour daily rest (%(slot)s)"
    ),
    WEEKLY_REST: gettext_noop(
        "everyone who could do it would break the 24-hour weekly rest (%(slot)s)"
    ),
    BREAKS: gettext_noop("everyone who could do it would work past the break due (%(slot)s)"),
    AVERAGE_HOURS: gettext_noop(
        "everyone who could do it would go over the 48-hour average (%(slot)s)"
    ),
}


def ordered(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.start, i.end, i.key))


def travel_legs(prep: Prepared, items: list[Item]) -> list[tuple[Item, Item, int]]:
    """Consecutive items on the same day with the travel between them (travel is working time)."""
    legs = []
    for a, b in pairwise(items):
        if prep.day_of(a.start) == prep.day_of(b.start):
            legs.append((a, b, prep.travel(a.location, b.location)))
    return legs


def home_legs(prep: Prepared, member: int, items: list[Item]) -> list[tuple[int, int, int]]:
    """The journeys from the member's start point to each day's first work and back from its
    last, as (day, start, end) minutes: working time, like the travel between visits. None without
    a start point, nor to work with no place (a busy period).

    The day's first is its earliest start and its last the latest start, as a route in the
    solver's model runs (team_model.py)."""
    home = prep.data.members[member].home
    if home is None:
        return []
    days: dict[int, list[Item]] = {}
    for it in ordered(items):
        days.setdefault(prep.day_of(it.start), []).append(it)
    legs = []
    for d, day in days.items():
        first, last = day[0], day[-1]
        if out := prep.travel(home, first.location):
            legs.append((d, first.start - out, first.start))
        if back := prep.travel(last.location, home):
            legs.append((d, last.end, last.end + back))
    return legs


def worked_minutes(prep: Prepared, member: int, items: list[Item]) -> int:
    items = ordered(items)
    return (
        sum(i.end - i.start for i in items)
        + sum(t for _, _, t in travel_legs(prep, items))
        + sum(b - a for _, a, b in home_legs(prep, member, items))
    )


def _work_spans(prep: Prepared, member: int, items: list[Item]) -> list[tuple[int, int]]:
    spans = [(i.start, i.end) for i in items]
    spans += [(a.end, a.end + t) for a, _, t in travel_legs(prep, items) if t]
    spans += [(a, b) for _, a, b in home_legs(prep, member, items)]
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _longest_rest(spans: list[tuple[int, int]], start: int, end: int) -> int:
    cursor, best = start, 0
    for s, e in spans:
        if e <= start or s >= end:
            continue
        best = max(best, s - cursor)
        cursor = max(cursor, e)
    return max(best, end - cursor)


def violations(
    prep: Prepared,
    member: int,
    items: list[Item],
    near: Item | None = None,
    *,
    strict: bool = False,
) -> list[str]:
    """Rule codes broken by this member's work (their kept work plus what is proposed).

    With near, only the rest windows around that item are checked (the rest cannot have changed).
    Strict adds the solver's sufficient conditions (see _strict), so a plan passing it is one the
    solver's model accepts too.
    """
    rules = prep.data.rules
    items = ordered(items)
    found: list[str] = []
    for a, b in pairwise(items):
        if a.end + prep.travel(a.location, b.location) > b.start and prep.day_of(
            a.start
        ) == prep.day_of(b.start):
            found.append(OVERLAP)
            break
        if a.end > b.start:
            found.append(OVERLAP)
            break
    spans = _work_spans(prep, member, items)
    daily = round(rules.daily_rest_hours * 60)
    starts = [i.start for i in items if near is None or abs(i.start - near.start) <= 1440]
    if any(_longest_rest(spans, s, s + 1440) < daily for s in starts):
        found.append(DAILY_REST)
    if prep.days >= 7:
        weekly = round(rules.weekly_rest_hours * 60)
        days = range(prep.days - 6)
        if near is not None:
            days = range(
                max(0, prep.day_of(near.start) - 6), min(prep.days - 6, prep.day_of(near.start) + 1)
            )
        for d in days:
            if spans and _longest_rest(spans, prep.day_start(d), prep.day_start(d + 7)) < weekly:
                found.append(WEEKLY_REST)
                break
    limit = rules.break_after_hours * 60
    block_start = None
    previous: Item | None = None
    for item in items:
        if previous is None or prep.day_of(previous.start) != prep.day_of(item.start):
            block_start = item.start
        else:
            free = item.start - previous.end - prep.travel(previous.location, item.location)
            if free >= rules.break_minutes:
                block_start = item.start
        assert block_start is not None
        if item.end - block_start > limit:
            found.append(BREAKS)
            break
        previous = item
    if strict:
        found += _strict(prep, member, items)
    person = prep.data.members[member]
    weeks = person.weeks_before + prep.weeks
    cap = rules.max_average_weekly_hours * 60 * weeks
    if person.worked_minutes_before + worked_minutes(prep, member, items) > cap:
        found.append(AVERAGE_HOURS)
    return found


def _strict(prep: Prepared, member: int, items: list[Item]) -> list[str]:
    """The solver's forms of the rest rules.

    A day's work (with the journeys from and back to the start point) spans at most 24 h less the
    daily rest, the next day starts a daily rest after it ends, and each 7 days hold a day
    without work.
    """
    rules = prep.data.rules
    rest = round(rules.daily_rest_hours * 60)
    days: dict[int, tuple[int, int]] = {}
    touched: set[int] = set()
    for it in items:
        d = prep.day_of(it.start)
        lo, hi = days.get(d, (it.start, it.end))
        days[d] = (min(lo, it.start), max(hi, it.end))
        touched.update(range(d, prep.day_of(max(it.start, it.end - 1)) + 1))
    for d, a, b in home_legs(prep, member, items):
        lo, hi = days[d]
        days[d] = (min(lo, a), max(hi, b))
    found = []
    if any(hi - lo > 1440 - rest for lo, hi in days.values()) or any(
        d + 1 in days and days[d + 1][0] - days[d][1] < rest for d in days
    ):
        found.append(DAILY_REST)
    if prep.days >= 7 and any(touched >= set(range(d, d + 7)) for d in range(prep.days - 6)):
        found.append(WEEKLY_REST)
    return found
