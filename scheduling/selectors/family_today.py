"""The family page's "Today": the domain's family day (scheduling/selectors/family_day.py: arrived,
done, late or missed) in the words of the page, with the arrival window the page and the PDF
share. Never notes, tasks or access notes."""

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careteams.access import AnyUser
from scheduling.selectors.family_day import FamilyVisitState, FamilyVisitToday, family_day
from scheduling.words import arrival, names_joined


@dataclass(frozen=True)
class PlainToday:
    arrival: str
    state: str  # expected, on_the_way, arrived, done, late, missed
    words: str


@dataclass(frozen=True)
class FamilyToday:
    visits: list[PlainToday]
    team_phone: str
    team_phone_hours: str


def _names(names: list[str]) -> str:
    return names_joined(names) if names else _("the carer")


def _late_words(visit: FamilyVisitToday) -> str:
    coming = visit.on_the_way
    first = (
        ngettext(
            "Running late: %(names)s is on the way.",
            "Running late: %(names)s are on the way.",
            max(len(coming), 1),
        )
        % {"names": _names(coming)}
        if coming
        else _("Running late: nobody has arrived yet.")
    )
    # Only what the records show: the team's day lists this visit as late as it happens.
    then = visit.team_action or _("The team can see that this visit is late.")
    return f"{first} {then}"


def _words(visit: FamilyVisitToday) -> str:
    who = _names(visit.carers)
    if visit.state == FamilyVisitState.DONE:
        return _("Done: %(names)s came today.") % {"names": who}
    if visit.state == FamilyVisitState.ARRIVED:
        return ngettext(
            "%(names)s arrived and is there now.",
            "%(names)s arrived and are there now.",
            max(len(visit.carers), 1),
        ) % {"names": who}
    if visit.state == FamilyVisitState.LATE:
        return _late_words(visit)
    if visit.state == FamilyVisitState.MISSED:
        return f"{visit.words}. {visit.team_action}".strip()
    if visit.state == FamilyVisitState.ON_THE_WAY:
        return ngettext(
            "%(names)s is on the way.", "%(names)s are on the way.", max(len(visit.on_the_way), 1)
        ) % {"names": _names(visit.on_the_way)}
    if not visit.carers:
        return _("The team is arranging who comes.")
    return ngettext("%(names)s is coming.", "%(names)s are coming.", len(visit.carers)) % {
        "names": who
    }


def family_today(
    *, user: AnyUser, client_id: uuid.UUID, timezone_name: str, now: dt.datetime | None = None
) -> FamilyToday:
    """Beside the plain view of the same client (clients/selectors/family.py), for the client
    and their family (anyone else: NotFound, from family_day), in the team's time zone."""
    zone = ZoneInfo(timezone_name)
    now = now or timezone.now()
    day = family_day(user=user, client_id=client_id, now=now)
    result = []
    for visit in day.visits:
        state, words = visit.state, _words(visit)
        when = arrival(
            start=visit.start,
            window_start=visit.window_start,
            window_end=visit.window_end,
            zone=zone,
        )
        result.append(PlainToday(arrival=when, state=state, words=words))
    return FamilyToday(result, day.team_phone, day.team_phone_hours)
