"""Plain words for the team: why each proposal, and which rule blocks each visit left open."""

from __future__ import annotations

from collections import Counter

from scheduling.planner.check import RULE_WORDS, violations
from scheduling.planner.model import PlanVisit, Proposal, Unassignable
from scheduling.planner.prepare import (
    Item,
    Prepared,
    absent,
    clashes,
    on_shift,
    role_allows,
)
from scheduling.planner.scoring import speaks_their_language
from scheduling.rules.plan import LANGUAGE_NAMES
from scheduling.rules.roles import ROLE_WORDS
from scheduling.rules.words import Said, gettext_noop, ngettext, said
from scheduling.rules.words import when as said_when


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


def when(prep: Prepared, v: int) -> Said:
    day = said_when(prep.date_of(prep.starts[v]), "%a %d %b", "D d M")
    start, end = prep.clock(prep.starts[v]), prep.clock(prep.ends[v])
    return said("%(day)s %(start)s-%(end)s", day=day, start=start, end=end)


def _seen(name: str, client: str, n: int) -> Said:
    if n == 2:
        words = gettext_noop("keeps continuity: %(name)s saw %(client)s twice in the last weeks")
        return said(words, name=name, client=client)
    forms = ngettext(
        "keeps continuity: %(name)s saw %(client)s once in the last weeks",
        "keeps continuity: %(name)s saw %(client)s %(n)s times in the last weeks",
        n,
    )
    return said(forms, name=name, client=client)


def _language_reason(name: str, visit: PlanVisit) -> Said:
    words = (
        gettext_noop("%(name)s speaks %(language)s, as %(client)s needs")
        if visit.language_needed
        else gettext_noop("%(name)s speaks %(language)s, as %(client)s prefers")
    )
    language = LANGUAGE_NAMES[visit.language]
    return said(words, name=name, language=language, client=visit.client_name)


def _day_reasons(
    prep: Prepared, v: int, i: int, schedules: list[list[Item]], name: str
) -> list[Said]:
    """Where the member comes from, and their hours against their contract."""
    visit = prep.data.visits[v]
    person = prep.data.members[i]
    reasons = []
    day = prep.day_of(prep.starts[v])
    earlier = [s for s in schedules[i] if s.end <= prep.starts[v] and prep.day_of(s.start) == day]
    if earlier:
        previous = max(earlier, key=lambda s: (s.end, s.start))
        minutes = prep.travel(previous.location, visit.location)
        words = gettext_noop(
            "%(name)s: travel %(minutes)s min from the previous visit (ends %(end)s)"
        )
        reasons.append(said(words, name=name, minutes=minutes, end=prep.clock(previous.end)))
    elif person.home is not None:
        minutes = prep.travel(person.home, visit.location)
        words = gettext_noop("%(name)s: first visit of the day, %(minutes)s min from home")
        reasons.append(said(words, name=name, minutes=minutes))
    else:
        reasons.append(said(gettext_noop("%(name)s: first visit of the day"), name=name))
    worked = sum(s.end - s.start for s in schedules[i])
    contract = person.contracted_minutes_per_week * prep.weeks
    words = gettext_noop("%(name)s: %(worked)s h planned of %(contract)s h contracted")
    reasons.append(said(words, name=name, worked=_hours(worked), contract=_hours(contract)))
    return reasons


def _moved(prep: Prepared, v: int) -> Said:
    """Why a visit is proposed at another time: where it moves to, within what the client
    allows."""
    visit, planned = prep.data.visits[v], prep.group[v]
    assert visit.window_start is not None
    assert visit.window_end is not None
    words = gettext_noop(
        "moves from %(planned)s to %(start)s, within the time %(client)s may be visited "
        "(starting %(first)s-%(last)s)"
    )
    return said(
        words,
        planned=prep.clock(prep.starts[planned]),
        start=prep.clock(prep.starts[v]),
        client=visit.client_name,
        first=prep.clock(prep.minutes(visit.window_start)),
        last=prep.clock(prep.minutes(visit.window_end)),
    )


def proposal(prep: Prepared, v: int, picked: list[int], schedules: list[list[Item]]) -> Proposal:
    visit = prep.data.visits[v]
    members = prep.data.members
    client = visit.client_name
    reasons: list[str] = [_moved(prep, v)] if visit.moved_from else []
    for i in picked:
        person = members[i]
        name = person.name
        nurses = prep.data.primary.get(visit.client_id, ())
        if nurses[:1] == (person.id,):
            words = gettext_noop("keeps continuity: %(name)s is %(client)s's primary nurse")
            reasons.append(said(words, name=name, client=client))
        elif person.id in nurses[1:2]:
            words = gettext_noop("keeps continuity: %(name)s is %(client)s's second nurse")
            reasons.append(said(words, name=name, client=client))
        seen = prep.data.history.get((person.id, visit.client_id), 0)
        if seen:
            reasons.append(_seen(name, client, seen))
        if person.preferences.get(visit.client_id, 0) > 0:
            words = gettext_noop("the team prefers %(name)s for %(client)s")
            reasons.append(said(words, name=name, client=client))
        if speaks_their_language(person, visit):
            reasons.append(_language_reason(name, visit))
        if visit.required_role:
            role = ROLE_WORDS.get(person.role, person.role)
            reasons.append(said(gettext_noop("%(name)s is a %(role)s"), name=name, role=role))
        reasons.extend(_day_reasons(prep, v, i, schedules, name))
    if len(picked) > 1:
        *others, last = [members[i].name for i in picked]
        words = gettext_noop("double-up: %(names)s and %(last)s at the same time")
        reasons.append(said(words, names=", ".join(others), last=last))
    moved = visit.moved_from is not None
    return Proposal(
        visit.id,
        tuple(members[i].id for i in picked),
        tuple(reasons),
        start=visit.start if moved else None,
        end=visit.end if moved else None,
    )


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
            words = gettext_noop("no %(role)s on shift %(slot)s")
            return Unassignable(visit.id, "no_member_with_role", said(words, role=role, slot=slot))
        members = with_role
    working = [(i, m) for i, m in members if on_shift(prep, m, v)]
    if not working:
        words = gettext_noop("nobody on shift %(slot)s")
        return Unassignable(visit.id, "no_member_on_shift", said(words, slot=slot))
    skilled = [(i, m) for i, m in working if visit.required_skills <= m.skills]
    if not skilled:
        skills = ", ".join(sorted(visit.required_skills))
        words = gettext_noop("nobody on shift %(slot)s has the skills: %(skills)s")
        return Unassignable(visit.id, "no_member_with_skill", said(words, slot=slot, skills=skills))
    present = [(i, m) for i, m in skilled if not absent(prep, m, v)]
    if not present:
        words = gettext_noop("everyone who could do it is absent %(slot)s")
        return Unassignable(visit.id, "members_absent", said(words, slot=slot))
    if len(present) < need:
        return Unassignable(
            visit.id,
            "not_enough_carers",
            said(
                gettext_noop(
                    "a double-up needs %(need)s carers and only %(can)s can do it %(slot)s"
                ),
                need=need,
                can=len(present),
                slot=slot,
            ),
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
        words = gettext_noop("the planner stopped before placing it (%(slot)s)")
        return Unassignable(visit.id, "time_limit", said(words, slot=slot))
    if rules:
        code, _ = rules.most_common(1)[0]
        if code == "double_booked":
            words = (
                gettext_noop(
                    "everyone who could do it is booked %(slot)s and at the other times it may "
                    "start, counting travel"
                )
                if len(prep.times[v]) > 1
                else gettext_noop("everyone who could do it is booked %(slot)s, counting travel")
            )
            return Unassignable(visit.id, "all_booked", said(words, slot=slot))
        return Unassignable(visit.id, code, said(RULE_WORDS[code], slot=slot))
    words = gettext_noop("not enough carers free together %(slot)s")
    return Unassignable(visit.id, "not_enough_carers", said(words, slot=slot))
