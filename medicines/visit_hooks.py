"""What medicines adds to the rota's visits (scheduling/hooks.py), registered from the app's
ready(): the check-out refused while a dose due in the visit has no outcome, the doses and
allergies on the visit card, missed and time-critical doses on My day and Team today, missed
doses in the figures. (The actions to tell the GP are the team's: teamwork shows them.)"""

import datetime as dt

from django.utils.translation import gettext as _

from careteams.access import AnyUser
from careteams.errors import DomainError
from careteams.models import Team
from medicines.models import DOSE_RECORD, MEDICINE_LINE, PRN_FOLLOW_UP
from medicines.selectors import doses_due
from medicines.visit_doses import visit_medicines_for
from medicines.visit_missed import dose_watch, missed_count
from scheduling import hooks
from scheduling.selectors.doorstep import DoorstepCard

# The kinds whose changes refresh the medicines parts of the pages (live.js).
ENTITIES = (DOSE_RECORD, MEDICINE_LINE, PRN_FOLLOW_UP)


def refuse_open_doses(attempt: hooks.CheckOutAttempt) -> None:
    """The carer records every dose due in the visit before leaving: "not given" with its
    reason is an outcome too, so there is always a way out. A check-out from a tablet's queue
    is taken: the carer has left, and a dose left open turns missed for the team at the end of
    its window."""
    if attempt.offline:
        return
    open_doses = [dose for dose in doses_due(visit=attempt.visit) if dose.record is None]
    if not open_doses:
        return
    zone = attempt.visit.team.zone
    names = ", ".join(f"{dose.due_at.astimezone(zone):%H:%M} {dose.line}" for dose in open_doses)
    raise DomainError(
        _(
            "Record what happened to every dose due in this visit before you check out: "
            "%(doses)s. A dose not given is recorded as “Not given” with the reason."
        )
        % {"doses": names},
        field="doses",
    )


def card_sections(user: AnyUser, card: DoorstepCard) -> list[hooks.CardSection]:
    meds = visit_medicines_for(user=user, visit=card.visit, me=card.me, now=card.now)
    context = {"meds": meds}
    sections = [hooks.CardSection("doorstep", "medicines/visit_allergies.html", context)]
    if meds.rows or meds.prn or meds.follow_ups or meds.awaiting_check:
        sections.append(hooks.CardSection("tasks", "medicines/visit_doses.html", context))
    if meds.open_rows:
        sections.append(hooks.CardSection("check_out", "medicines/visit_check_out.html", context))
    return sections


def day_sections(ask: hooks.DayAsk) -> list[hooks.DaySection]:
    mine = ask.member is not None
    watch = dose_watch(
        team=ask.team,
        start=ask.start,
        end=ask.end,
        now=ask.now,
        visits=ask.visits,
        only_visits=mine,
    )
    context = {"watch": watch, "team": ask.team, "mine": mine}
    return [
        hooks.DaySection(
            "medicines/visit_day.html",
            context,
            entities=ENTITIES,
            refresh_at=watch.next_change,
        )
    ]


def week_figures(
    team: Team, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[hooks.WeekFigure]:
    counted = missed_count(team=team, start=start, end=end, now=now)
    if counted is None:
        return []
    missed, critical = counted
    detail = _("%(count)d time-critical") % {"count": critical} if critical else ""
    return [hooks.WeekFigure(_("Doses missed"), missed, detail)]


def install() -> None:
    hooks.register_check_out_guard(refuse_open_doses)
    hooks.register_card_sections(card_sections)
    hooks.register_day_sections(day_sections)
    hooks.register_week_figures(week_figures)
