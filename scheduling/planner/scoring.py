"""Soft preferences in one place: the weights the solver, the greedy start and the reasons share."""

from __future__ import annotations

from scheduling.planner.check import home_legs, ordered, travel_legs, worked_minutes
from scheduling.planner.model import PlanMember, PlanVisit
from scheduling.planner.prepare import Prepared
from scheduling.rules.plan import LANGUAGE_SKILLS

UNASSIGNED = 1000  # per carer a visit still lacks
PRIMARY = 60
SECOND = 40
HISTORY = 10  # per earlier visit, counted up to HISTORY_CAP
HISTORY_CAP = 5
PREFERENCE = 10  # per point of a member's stated preference
TRAVEL = 1  # per minute
# Per minute a visit moves from its planned start within its window: the family were told the
# window, but a visit at its planned time is what the team chose. A quarter hour's move is worth
# half an hour of travel saved, or a carer who knows the client.
MOVED = 2
OVER_CONTRACT = 2  # per minute past the contracted hours
EXTRA_CARER = 100  # per carer past the team's limit of distinct carers per client
# A carer who speaks the client's preferred language (issue 30): worth some travel, and more when
# the client needs it; never an open visit (UNASSIGNED is far above both).
LANGUAGE_PREFERRED = 30
LANGUAGE_NEEDED = 90


def speaks_their_language(person: PlanMember, visit: PlanVisit) -> bool:
    skill = LANGUAGE_SKILLS.get(visit.language)
    return skill is not None and skill in person.skills


def affinity(prep: Prepared, member: int, visit: int) -> int:
    """Negative cost (a gain) of this member doing this visit: continuity and preference."""
    person = prep.data.members[member]
    client = prep.data.visits[visit].client_id
    gain = 0
    nurses = prep.data.primary.get(client, ())
    if nurses[:1] == (person.id,):
        gain += PRIMARY
    elif person.id in nurses[1:2]:
        gain += SECOND
    gain += HISTORY * min(prep.data.history.get((person.id, client), 0), HISTORY_CAP)
    gain += PREFERENCE * person.preferences.get(client, 0)
    if speaks_their_language(person, prep.data.visits[visit]):
        gain += LANGUAGE_NEEDED if prep.data.visits[visit].language_needed else LANGUAGE_PREFERRED
    return -gain


def total(prep: Prepared, chosen: dict[int, list[int]]) -> int:
    """The whole week's cost of a choice (visit -> members), in the solver's units."""
    schedules = [list(f) for f in prep.fixed]
    for v, members in chosen.items():
        for i in members:
            schedules[i].append(prep.item_of_visit(v))
    unfilled = sum(
        n
        for v, n in enumerate(prep.open_slots)
        if n and prep.group[v] == v and not prep.placed(chosen, v)
    )
    gain = sum(affinity(prep, i, v) for v, members in chosen.items() for i in members)
    moved = sum(prep.moved_minutes(v) for v in chosen)
    travel = 0
    over = 0
    for i, schedule in enumerate(schedules):
        schedule = ordered(schedule)
        travel += sum(t for *_, t in travel_legs(prep, schedule))
        travel += sum(b - a for _, a, b in home_legs(prep, i, schedule))
        contract = prep.data.members[i].contracted_minutes_per_week * prep.weeks
        over += max(0, worked_minutes(prep, i, schedule) - contract)
    extra = 0
    limit = prep.data.rules.continuity_limit
    if limit is not None:
        carers: dict[str, set[str]] = {}
        for v, visit in enumerate(prep.data.visits):
            seen = carers.setdefault(visit.client_id, set())
            seen.update(visit.assigned)
            seen.update(prep.data.members[i].id for i in chosen.get(v, ()))
        extra = sum(max(0, len(seen) - limit) for seen in carers.values())
    return (
        UNASSIGNED * unfilled
        + gain
        + MOVED * moved
        + TRAVEL * travel
        + OVER_CONTRACT * over
        + EXTRA_CARER * extra
    )
