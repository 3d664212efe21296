"""Everything of one client that the FHIR resources are made of, read in a fixed number of
queries. Scoping is the caller's: it passes a client it may read (a partner's consented
client, a member's client for the client's own copy)."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Max, Prefetch

from careteams.models import Change, Membership, User
from clients.models import (
    Allergy,
    CareProblem,
    Client,
    EmergencyContact,
    FamilyAccess,
    Intervention,
    Note,
    OutcomeRating,
)
from interop.models import Partner, PartnerConsent
from scheduling.models import Visit, VisitAssignment


class Notes(StrEnum):
    """Which notes go into the record: none, those shared with the client, or all (the
    client's own copy)."""

    NONE = "none"
    SHARED = "shared"
    ALL = "all"


@dataclass
class ClientRecords:
    client: Client
    contacts: list[EmergencyContact]
    family: list[FamilyAccess]
    problems: list[CareProblem]
    interventions: list[Intervention]
    ratings: list[OutcomeRating]
    visits: list[Visit]
    allergies: list[Allergy]
    notes: list[Note]
    consents: list[PartnerConsent]
    nurses: list[tuple[str, Membership]]
    # Last change of each record in the change feed, by record id.
    updated: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)

    def memberships(self) -> list[Membership]:
        seen: dict[uuid.UUID, Membership] = {m.id: m for _, m in self.nurses}
        for visit in self.visits:
            seen.update({a.member.id: a.member for a in visit.assignments.all()})
        return list(seen.values())

    def users(self) -> list[User]:
        seen: dict[uuid.UUID, User] = {m.user.id: m.user for m in self.memberships()}
        seen.update({r.rated_by.id: r.rated_by for r in self.ratings})
        seen.update({n.author.id: n.author for n in self.notes})
        seen.update({a.recorded_by.id: a.recorded_by for a in self.allergies})
        return list(seen.values())

    def partners(self) -> list[Partner]:
        return list({c.partner.id: c.partner for c in self.consents}.values())


def last_changes(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dt.datetime]:
    """When each record last changed, from the change feed (one query)."""
    rows = (
        Change.objects.filter(entity_id__in=list(ids))
        .values("entity_id")
        .annotate(last=Max("created_at"))
    )
    return {row["entity_id"]: row["last"] for row in rows}


def _notes(client: Client, notes: Notes) -> list[Note]:
    if notes == Notes.NONE:
        return []
    found = Note.objects.filter(client=client).select_related("author").order_by("recorded_at")
    if notes == Notes.SHARED:
        found = found.filter(shareable=True)
    return list(found)


def client_records(*, client: Client, notes: Notes, partner: Partner | None) -> ClientRecords:
    """One client's records. With a partner, of the consents only that partner's own (a
    partner learns nothing of the client's other partners)."""
    consents = PartnerConsent.objects.filter(client=client).select_related("partner")
    if partner is not None:
        consents = consents.filter(partner=partner)
    carers = Prefetch(
        "assignments", queryset=VisitAssignment.objects.select_related("member__user")
    )
    problems = list(CareProblem.objects.filter(client=client).order_by("problem_code"))
    nurse_ids = [
        ("Primary nurse", client.primary_nurse_id),
        ("Second nurse", client.second_nurse_id),
    ]
    members = Membership.objects.select_related("user").in_bulk([i for _, i in nurse_ids if i])
    records = ClientRecords(
        client=client,
        contacts=list(EmergencyContact.objects.filter(client=client)),
        family=list(
            FamilyAccess.objects.filter(
                client=client, person__isnull=False, revoked_at__isnull=True
            ).select_related("person")
        ),
        problems=problems,
        interventions=list(Intervention.objects.filter(problem__client=client)),
        ratings=list(
            OutcomeRating.objects.filter(problem__client=client)
            .select_related("rated_by")
            .order_by("rated_on", "id")
        ),
        visits=list(Visit.objects.filter(client=client).prefetch_related(carers)),
        allergies=list(Allergy.objects.filter(client=client).select_related("recorded_by")),
        notes=_notes(client, notes),
        consents=list(consents.order_by("recorded_at")),
        nurses=[(label, members[i]) for label, i in nurse_ids if i in members],
    )
    records.updated = last_changes(
        [
            client.id,
            *(r.id for r in records.problems),
            *(r.id for r in records.visits),
            *(r.id for r in records.allergies),
            *(r.id for r in records.family),
        ]
    )
    return records
