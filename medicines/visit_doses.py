"""The medicines part of the visit card (issue 25): each dose due in the visit's window as a
task above the others, the "when required" (PRN) medicines with when the next dose is allowed,
the PRN doses still waiting to be asked whether they worked, the client's allergies, and which
lines changed since this carer was last here. A fixed number of queries however many doses."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from careteams.access import AnyUser
from careteams.models import Membership, Team
from careteams.selectors import team_for_member, team_members
from clients.models import Allergy, AllergyStatus, Client
from medicines import access
from medicines.models import DoseRecord, MedicineLine
from medicines.selectors import DueDose, current_records, doses_due, prn_next_allowed
from medicines.vocabulary import TAKEN, LineStatus, NotGivenReason, Outcome
from scheduling.models import Visit
from scheduling.selectors import membership_in, visit_get
from scheduling.selectors.since_last_visit import my_last_visit_at
from scheduling.visit_models import VisitAttendance

# How long after a PRN dose the card still asks whether it worked.
FOLLOW_UP_WITHIN = dt.timedelta(hours=24)


def dose_key(line_id: uuid.UUID, due_at: dt.datetime) -> str:
    """One scheduled dose's id on the page (and in the form): its line and its time."""
    return f"{line_id}-{int(due_at.timestamp())}"


def changed_since(line: MedicineLine, last_visit_at: dt.datetime | None) -> bool:
    """Changed (or added) after this carer's last visit here; a first visit marks nothing."""
    return last_visit_at is not None and line.changed_at > last_visit_at


@dataclass(frozen=True)
class DoseRow:
    dose: DueDose
    changed: bool
    # The id a first record of this dose takes: a retried post records it once.
    record_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def key(self) -> str:
        return dose_key(self.dose.line.pk, self.dose.due_at)

    @property
    def line(self) -> MedicineLine:
        return self.dose.line

    @property
    def record(self) -> DoseRecord | None:
        return self.dose.record


@dataclass(frozen=True)
class PrnRow:
    line: MedicineLine
    next_allowed: dt.datetime | None  # None: allowed now
    changed: bool
    record_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def key(self) -> str:
        return f"prn-{self.line.pk}"


@dataclass(frozen=True)
class FollowUpRow:
    dose: DoseRecord

    @property
    def key(self) -> str:
        return f"worked-{self.dose.pk}"


@dataclass
class VisitMedicines:
    team: Team
    visit: Visit
    client: Client
    now: dt.datetime
    rows: list[DoseRow]
    prn: list[PrnRow]
    follow_ups: list[DoseRecord]  # PRN doses taken lately, not yet asked whether they worked
    awaiting_check: list[MedicineLine]  # transcribed, not yet checked: never given
    allergies: list[Allergy]
    can_record: bool  # checked in at this visit (after check-out: a late entry): no pre-signing
    last_visit_at: dt.datetime | None
    witnesses: list[Membership] = field(default_factory=list)  # for controlled drugs
    errors: dict[str, str] = field(default_factory=dict)  # a refusal, by the row it is about

    @property
    def open_rows(self) -> list[DoseRow]:
        return [row for row in self.rows if row.record is None]

    @property
    def follow_up_rows(self) -> list[FollowUpRow]:
        return [FollowUpRow(dose) for dose in self.follow_ups]

    @property
    def changed_lines(self) -> int:
        lines = {row.line.pk for row in self.rows if row.changed}
        return len(lines | {row.line.pk for row in self.prn if row.changed})

    @property
    def outcomes(self) -> list[tuple[str, Any]]:
        return list(Outcome.choices)

    @property
    def reasons(self) -> list[tuple[str, Any]]:
        return [(value, label) for value, label in NotGivenReason.choices if value]


def _can_record(visit: Visit, me: Membership) -> bool:
    return VisitAttendance.objects.filter(
        visit=visit, member=me, withdrawn_at__isnull=True
    ).exists()


def _witnesses(
    user: AnyUser, team: Team, me: Membership, lines: list[MedicineLine]
) -> list[Membership]:
    """Who may witness a controlled drug: the team's other members (asked only when one is due)."""
    if not any(line.is_controlled for line in lines):
        return []
    return [m for m in team_members(user=user, team=team) if m.pk != me.pk]


def _follow_ups(client: Client, lines: list[MedicineLine], now: dt.datetime) -> list[DoseRecord]:
    return list(
        current_records()
        .filter(
            line__in=[line for line in lines if line.prn],
            outcome__in=TAKEN,
            taken_at__gt=now - FOLLOW_UP_WITHIN,
            follow_ups__isnull=True,
        )
        .select_related("line", "recorded_by")
        .order_by("taken_at")
    )


def visit_medicines_for(
    *, user: AnyUser, visit: Visit, me: Membership, now: dt.datetime | None = None
) -> VisitMedicines:
    """The card's medicines of a visit the caller has already scoped to the user."""
    now = now or timezone.now()
    client = visit.client
    lines = list(
        access.lines_visible_to(user)
        .filter(client=client, status=LineStatus.ACTIVE)
        .order_by("name")
    )
    last = my_last_visit_at(member=me, visit=visit, client_id=client.pk)
    rows = [DoseRow(dose, changed_since(dose.line, last)) for dose in doses_due(visit=visit)]
    prn = [
        PrnRow(line, prn_next_allowed(line=line, at=now), changed_since(line, last))
        for line in lines
        if line.prn and line.checked_at is not None
    ]
    allergies = list(
        Allergy.objects.filter(client=client, status=AllergyStatus.ACTIVE).order_by("substance")
    )
    due_lines = [row.line for row in rows] + [row.line for row in prn]
    return VisitMedicines(
        team=visit.team,
        visit=visit,
        client=client,
        now=now,
        rows=rows,
        prn=prn,
        follow_ups=_follow_ups(client, lines, now) if prn else [],
        awaiting_check=[line for line in lines if line.checked_at is None],
        allergies=allergies,
        can_record=_can_record(visit, me),
        last_visit_at=last,
        witnesses=_witnesses(user, visit.team, me, due_lines),
    )


def visit_medicines(
    *, user: AnyUser, team_id: uuid.UUID, visit_id: uuid.UUID, now: dt.datetime | None = None
) -> VisitMedicines:
    """For members of the visit's team (anyone else: NotFound)."""
    team = team_for_member(user=user, team_id=team_id)
    visit = visit_get(user=user, team=team, visit_id=visit_id)
    visit.team = team
    return visit_medicines_for(
        user=user, visit=visit, me=membership_in(user=user, team=team), now=now
    )
