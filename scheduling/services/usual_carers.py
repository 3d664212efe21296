"""The usual carers of a visit pattern, put on the visits generated from it when they are free."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from careteams.models import Membership, Team, User
from scheduling.models import Absence, AbsenceKind, Shift, Visit, VisitAssignment, VisitStatus
from scheduling.services import visits
from scheduling.services.common import member_label, span

Span = tuple[dt.datetime, dt.datetime]


@dataclass
class _Week:
    """Each member's shifts, absences and visits of the week, loaded once (three queries)."""

    shifts: dict[uuid.UUID, list[Span]]
    absences: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime, str]]]
    busy: dict[uuid.UUID, list[Span]]

    @classmethod
    def load(cls, team: Team, start: dt.datetime, end: dt.datetime) -> "_Week":
        day = dt.timedelta(days=1)
        shifts: dict[uuid.UUID, list[Span]] = defaultdict(list)
        for member_id, s, e in (
            Shift.objects.filter(team=team, start__lt=end + day, end__gt=start - day)
            .order_by("start")
            .values_list("member_id", "start", "end")
        ):
            shifts[member_id].append((s, e))
        absences: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime, str]]] = defaultdict(list)
        labels = dict(AbsenceKind.choices)
        for member_id, s, e, kind in Absence.objects.filter(
            team=team, start__lt=end, end__gt=start
        ).values_list("member_id", "start", "end", "kind"):
            absences[member_id].append((s, e, labels.get(kind, kind).lower()))
        busy: dict[uuid.UUID, list[Span]] = defaultdict(list)
        for member_id, s, e in (
            VisitAssignment.objects.filter(
                visit__team=team, visit__planned_start__lt=end, visit__planned_end__gt=start
            )
            .exclude(visit__status=VisitStatus.CANCELLED)
            .values_list("member_id", "visit__planned_start", "visit__planned_end")
        ):
            busy[member_id].append((s, e))
        return cls(shifts, absences, busy)

    def why_not(self, member_id: uuid.UUID, start: dt.datetime, end: dt.datetime) -> str | None:
        """Why the member cannot take a visit at that time, or None when they are free."""
        for a_start, a_end, label in self.absences.get(member_id, []):
            if a_start < end and start < a_end:
                return _("away (%(kind)s)") % {"kind": label}
        if not _covered(self.shifts.get(member_id, []), start, end):
            return _("not on shift")
        if any(s < end and start < e for s, e in self.busy.get(member_id, [])):
            return _("on another visit at that time")
        return None


def _covered(spans: list[Span], start: dt.datetime, end: dt.datetime) -> bool:
    """Whether back-to-back shifts (in time order) cover the whole visit."""
    reached = start
    for lo, hi in spans:
        if lo > reached:
            break
        reached = max(reached, hi)
        if reached >= end:
            return True
    return False


def assign_usual_carers(
    team: Team, made: list[Visit], start: dt.datetime, end: dt.datetime, actor: User
) -> tuple[int, list[str]]:
    """Give each new visit its pattern's usual carers who are free: on shift, not away, not on
    another visit. A visit they cannot take stays open for the team, with a warning saying why."""
    wanted = [v for v in made if v.pattern is not None and v.pattern.usual_carers]
    if not wanted:
        return 0, []
    week = _Week.load(team, start, end)
    members = {
        m.pk: m for m in Membership.objects.active().filter(team=team).select_related("user")
    }
    assigned, warnings = 0, []
    for visit in sorted(wanted, key=lambda v: v.planned_start):
        pattern = visit.pattern
        assert pattern is not None
        taken = 0
        reasons = []
        for raw in pattern.usual_carers:
            if taken >= visit.carers_needed:
                break
            member = members.get(uuid.UUID(str(raw)))
            if member is None:
                continue  # left the team since: nothing to say about a former member
            reason = week.why_not(member.pk, visit.planned_start, visit.planned_end)
            if reason is not None:
                reasons.append(
                    _("%(name)s is %(reason)s") % {"name": member_label(member), "reason": reason}
                )
                continue
            visit = visits.visit_assign(
                visit=visit, version=visit.version, member=member, actor=actor
            ).visit
            week.busy[member.pk].append((visit.planned_start, visit.planned_end))
            taken += 1
        assigned += taken
        if taken < visit.carers_needed and reasons:
            warnings.append(
                _("%(client)s %(span)s: %(reasons)s, so the visit waits for a carer.")
                % {
                    "client": pattern.client.full_name,
                    "span": span(team, visit.planned_start, visit.planned_end),
                    "reasons": "; ".join(reasons),
                }
            )
    return assigned, warnings
