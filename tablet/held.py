"""Reading the items held from a former member's tablet (tablet.models.HeldItem), for the team's
page "From a former member's tablet": newest first, each in plain words, e.g. "Check-in at
09:12 for the visit to Mary O'Neill on 7 Dec". Members of the team only; anyone else, a 404."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from careteams.access import AnyUser, get_visible
from careteams.models import Team
from careteams.selectors import team_for_member
from clients.models import CareProblem
from scheduling.models import Visit
from scheduling.selectors.visit_card import visit_tasks
from tablet.models import HeldItem

HELD_SHOWN = 100


@dataclass(frozen=True)
class HeldShown:
    item: HeldItem
    words: str  # what the item says, in plain words


@dataclass(frozen=True)
class _Known:
    """The team's records the items name, fetched once for the whole list."""

    zone: ZoneInfo
    visits: Mapping[str, Visit]
    problems: Mapping[str, CareProblem]

    def at(self, when: dt.datetime) -> str:
        return dateformat.format(when.astimezone(self.zone), "H:i")

    def visit(self, payload: Mapping[str, Any]) -> str:
        visit = self.visits.get(str(payload.get("visit_id")))
        if visit is None:
            return _("a visit not in the team's records")
        day = dateformat.format(visit.planned_start.astimezone(self.zone), "j M")
        return _("the visit to %(client)s on %(day)s") % {
            "client": visit.client.full_name,
            "day": day,
        }


def _task(item: HeldItem, known: _Known) -> str:
    payload = item.payload
    visit = known.visits.get(str(payload.get("visit_id")))
    key = str(payload.get("task_key", ""))
    labels = {task.key: task.label for task in visit_tasks(visit)} if visit else {}
    values = {
        "task": labels.get(key, key),
        "time": known.at(item.recorded_at),
        "visit": known.visit(payload),
    }
    if payload.get("outcome") == "done":
        return _("Task “%(task)s” done at %(time)s, at %(visit)s") % values
    reason = str(payload.get("reason", "")).replace("_", " ")
    return _("Task “%(task)s” not done (%(reason)s) at %(time)s, at %(visit)s") % {
        **values,
        "reason": reason,
    }


def _rating(item: HeldItem, known: _Known) -> str:
    payload = item.payload
    problem = known.problems.get(str(payload.get("problem_id")))
    return _(
        "Rating of “%(problem)s” for %(client)s: knowledge %(knowledge)s, behaviour "
        "%(behaviour)s, status %(status)s"
    ) % {
        "problem": problem.get_problem_code_display() if problem else _("a problem"),
        "client": problem.client.full_name if problem else _("a client"),
        "knowledge": payload.get("knowledge", "–"),
        "behaviour": payload.get("behaviour", "–"),
        "status": payload.get("status", "–"),
    }


def _on_visit(words: str) -> Callable[[HeldItem, _Known], str]:
    def say(item: HeldItem, known: _Known) -> str:
        values = {"time": known.at(item.recorded_at), "visit": known.visit(item.payload)}
        return _(words) % {**values, "reason": item.payload.get("reason", "")}

    return say


def _note(item: HeldItem, known: _Known) -> str:
    """A note the record could not take as sent (its client or problems not found)."""
    return _("A note written at %(time)s: “%(body)s”") % {
        "time": known.at(item.recorded_at),
        "body": str(item.payload.get("body", "")),
    }


# Marked for translation here, translated when said (the language is the reader's).
_WORDS: dict[str, Callable[[HeldItem, _Known], str]] = {
    "visit.check_in": _on_visit(gettext_noop("Check-in at %(time)s for %(visit)s")),
    "visit.check_out": _on_visit(gettext_noop("Check-out at %(time)s for %(visit)s")),
    "visit.withdraw": _on_visit(
        gettext_noop("Check-in withdrawn at %(time)s for %(visit)s: %(reason)s")
    ),
    "visit.missed": _on_visit(
        gettext_noop("Recorded at %(time)s as missed: %(visit)s (%(reason)s)")
    ),
    "visit.assign": _on_visit(gettext_noop("A carer assigned at %(time)s to %(visit)s")),
    "visit.unassign": _on_visit(gettext_noop("A carer taken off %(visit)s at %(time)s")),
    "visit.task_outcome": _task,
    "outcome.rate": _rating,
    "note.create": _note,
    "note.amend": _note,
}


def _words(item: HeldItem, known: _Known) -> str:
    say = _WORDS.get(item.kind)
    if say is None:
        return _("A change of the rota (%(kind)s) recorded at %(time)s") % {
            "kind": item.kind,
            "time": known.at(item.recorded_at),
        }
    return say(item, known)


def _known(team: Team, items: Iterable[HeldItem]) -> _Known:
    payloads = [item.payload for item in items]
    visit_ids = _ids(p.get("visit_id") for p in payloads)
    problem_ids = _ids(p.get("problem_id") for p in payloads)
    visits = Visit.objects.filter(team=team, pk__in=visit_ids).select_related("client", "team")
    problems = CareProblem.objects.filter(client__team=team, pk__in=problem_ids).select_related(
        "client"
    )
    return _Known(
        zone=team.zone,
        visits={str(v.pk): v for v in visits},
        problems={str(p.pk): p for p in problems},
    )


def _ids(values: Iterable[object]) -> set[uuid.UUID]:
    """The well-formed ids among what the tablets sent (a held item is kept as sent)."""
    found = set()
    for value in values:
        try:
            found.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def held_items(*, user: AnyUser, team_id: uuid.UUID) -> list[HeldShown]:
    """The team's held items, newest first, awaiting review or reviewed."""
    team = team_for_member(user=user, team_id=team_id)
    items = list(
        HeldItem.objects.filter(team=team).select_related("author", "reviewed_by")[:HELD_SHOWN]
    )
    known = _known(team, items)
    return [HeldShown(item=item, words=_words(item, known)) for item in items]


def held_item_get(*, user: AnyUser, team_id: uuid.UUID, item_id: uuid.UUID) -> HeldItem:
    team = team_for_member(user=user, team_id=team_id)
    return get_visible(HeldItem.objects.filter(team=team).select_related("team"), item_id)


def awaiting_review(*, team: Team) -> int:
    """How many of the team's held items nobody has reviewed yet (the team home's count)."""
    return HeldItem.objects.filter(team=team, reviewed_at__isnull=True).count()
