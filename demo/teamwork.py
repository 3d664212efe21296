"""How each demo team runs itself: its rotating roles held for terms (the planner's due to
rotate), last week's meeting with a decision and its action, an item still on the agenda, and a
question for the coach. Through the teamwork services, like every other part of the demo."""

import datetime as dt

from careteams import timeutil
from careteams.models import TeamRole
from demo.context import Context
from demo.people import TeamWorld
from teamwork.services import help as help_services
from teamwork.services import meetings, roles


def build_teamwork(ctx: Context, world: TeamWorld) -> None:
    team = world.team
    today = timeutil.local_today(team.zone, now=ctx.now)
    planner = world.planner
    actor = planner.user
    taken: set[str] = set()
    for member in world.members:
        for role in member.team_roles:
            if role in taken:
                continue
            taken.add(role)
            # The planner's term ends soon: the team sees it is due to rotate.
            days_left = 10 if role == TeamRole.PLANNER else 60 + 30 * len(taken)
            started = today - dt.timedelta(days=150)
            # On its first day in the team's zone: 150 days of hours back from just after
            # midnight, across a clock change, is the day before, when the term had not begun.
            with ctx.clock.at(dt.datetime.combine(started, dt.time(9), tzinfo=team.zone)):
                roles.role_term_start(
                    team=team,
                    member=member,
                    role=role,
                    starts_on=started,
                    ends_on=today + dt.timedelta(days=days_left),
                    actor=actor,
                )
    held_on = today - dt.timedelta(days=7)
    with ctx.clock.at(ctx.now - dt.timedelta(days=8)):
        meeting = meetings.meeting_create(
            team=team, title="Weekly team meeting", held_on=held_on, actor=actor
        )
        item = meetings.agenda_item_add(
            meeting=meeting,
            title="Handover at the shift change",
            proposal="A ten-minute handover by phone at 14:45 every weekday.",
            actor=world.members[-1].user,
        )
    present = [m.pk for m in world.members[:5]]
    with ctx.clock.at(ctx.now - dt.timedelta(days=7)):
        decision = meetings.decision_record(
            item=item,
            text="A ten-minute handover by phone at 14:45 every weekday; the early shift calls.",
            outcome="changed",
            present=present,
            objections="Weekends need one too (met: the early shift calls).",
            actor=actor,
        )
        meetings.action_add(
            decision=decision,
            text="Put the handover call in everyone's calendar",
            owner=world.members[1],
            due_on=today + dt.timedelta(days=2),
            actor=actor,
        )
        meetings.agenda_item_add(
            meeting=meeting,
            title="Mileage claims",
            proposal="Claim mileage weekly, by Friday.",
            actor=actor,
        )
    with ctx.clock.at(ctx.now - dt.timedelta(days=2)):
        help_services.help_request_ask(
            team=team,
            topic="deciding",
            text="Our meetings overrun: how do other teams keep a consent round short?",
            actor=actor,
        )
