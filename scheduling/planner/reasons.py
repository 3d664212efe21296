"""Plain words for the team: why each proposal, and which rule blocks each visit left open."""

from __future__ import annotations

from collections import Counter

from scheduling.planner.check import RULE_WORDS, violations
from scheduling.planner.model import PlanVisit, Proposal, Unassignable
from scheduling.planner.prepare import (
    ROLE_WORDS,
    Item,
    Prepared,
    absent,
    clashes,
    on_shift,
    role_allows,
)
from scheduling.planner.scoring import speaks_their_language
from scheduling.rules.plan import LANGUAGE_NAMES


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0") + " h"


def when(prep: Prepared, v: int) -> str:
    day = prep.date_of(prep.starts[v])
    return f"{day:%a %d %b} {prep.clock(prep.starts[v])}-{prep.clock(prep.ends[v])}"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _language_reason(name: str, visit: PlanVisit) -> str:
    language = LANGUAGE_NAMES[visit.language]
    wish = "needs" if visit.language_needed else "prefers"
    return f"{name} speaks {language}, as {visit.client_name} {wish}"


def proposal(prep: Prepared, v: int, picked: list[int], schedules: list[list[Item]]) -> Proposal:
    visit = prep.data.visits[v]
    members = prep.data.members
    client = visit.client_name
    reasons: list[str] = []
    for i in picked:
        person = members[i]
        name = person.name
        nurses = prep.data.primary.get(visit.client_id, ())
        if nurses[:1] == (person.id,):
            reasons.append(f"keeps continuity: {name} is {client}'s primary nurse")
        elif person.id in nurses[1:2]:
            reasons.append(f"keeps continuity: {name} is {client}'s second nurse")
        seen = prep.data.history.get((person.id, visit.client_id), 0)
        if seen:
            reasons.append(
                f"keeps continuity: {name} saw {client} {_times(seen)} in the last weeks"
            )
        if person.preferences.get(visit.client_id, 0) > 0:
            reasons.append(f"the team prefers {name} for {client}")
        if speaks_their_language(person, visit):
            reasons.append(_language_reason(name, visit))
        if visit.required_role:
            reasons.append(f"{name} is a {ROLE_WORDS.get(person.role, person.role)}")
        day = prep.day_of(prep.starts[v])
        earlier = [
            s for s in schedules[i] if s.end <= prep.starts[v] and prep.day_of(s.start) == day
        ]
        if earlier:
            previous = max(earlier, key=lambda s: (s.end, s.start))
            minutes = prep.travel(previous.location, visit.location)
            reasons.append(
                f"{name}: travel {minutes} min from the previous visit"
                f" (ends {prep.clock(previous.end)})"
            )
        else:
            reasons.append(f"{name}: first visit of the day")
        worked = sum(s.end - s.start for s in schedules[i])
        contract = person.contracted_minutes_per_week * prep.weeks
        reasons.append(f"{name}: {_hours(worked)} planned of {_hours(contract)} contracted")
    if len(picked) > 1:
        reasons.append(
            "double-up: " + " and ".join(members[i].name for i in picked) + " at the same time"
        )
    return Proposal(visit.id, tuple(members[i].id for i in picked), tuple(reasons))


def blocked(prep: Prepared, v: int, schedules: list[list[Item]]) -> Unassignable:
    """The rule that keeps this visit open, checked in the order a person would check it."""
    visit = prep.data.visits[v]
    members = list(enumerate(prep.data.members))
    slot = when(prep, v)
    need = prep.open_slots[v]
    if visit.required_role:
        role = ROLE_WORDS.get(visit.required_role, visit.required_role)
        with_role = [(i, m) for i, m in members if role_allows(m, visit)]
        if not [1 for i, _ in with_role if on_shift(prep, prep.data.members[i], v)]:
            return Unassignable(visit.id, "no_member_with_role", f"no {role} on shift {slot}")
        members = with_role
    working = [(i, m) for i, m in members if on_shift(prep, m, v)]
    if not working:
        return Unassignable(visit.id, "no_member_on_shift", f"nobody on shift {slot}")
    skilled = [(i, m) for i, m in working if visit.required_skills <= m.skills]
    if not skilled:
        skills = ", ".join(sorted(visit.required_skills))
        return Unassignable(
            visit.id, "no_member_with_skill", f"nobody on shift {slot} has the skills: {skills}"
        )
    present = [(i, m) for i, m in skilled if not absent(prep, m, v)]
    if not present:
        return Unassignable(
            visit.id, "members_absent", f"everyone who could do it is absent {slot}"
        )
    if len(present) < need:
        return Unassignable(
            visit.id,
            "not_enough_carers",
            f"a double-up needs {need} carers and only {len(present)} can do it {slot}",
        )
    item = prep.item_of_visit(v)
    rules: Counter[str] = Counter()
    free = 0
    for i, _ in present:
        others = [s for s in schedules[i] if s.key != item.key]
        if clashes(prep, item, others):
            rules["double_booked"] += 1
            continue
        after = violations(prep, i, [*others, item], near=item, strict=True)
        broken = set(after) - set(violations(prep, i, others, near=item, strict=True))
        if broken:
            rules.update(broken)
        else:
            free += 1
    if free >= need:
        return Unassignable(
            visit.id, "time_limit", f"the planner stopped before placing it ({slot})"
        )
    if rules:
        code, _ = rules.most_common(1)[0]
        if code == "double_booked":
            return Unassignable(
                visit.id,
                "all_booked",
                f"everyone who could do it is booked {slot}, counting travel",
            )
        return Unassignable(visit.id, code, f"everyone who could do it {RULE_WORDS[code]} ({slot})")
    return Unassignable(visit.id, "not_enough_carers", f"not enough carers free together {slot}")
