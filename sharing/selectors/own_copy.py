"""Everything the team holds about one client, for the client's own copy (subject access).

For the client's team only (clients.selectors.records.client_get: anyone else NotFound). Read
in a fixed number of queries, section by section, as plain data (strings, numbers, lists) that
the JSON copy carries as it is and the PDF prints: one gathering, so the two cannot differ.

What is left out, and why (docs/interoperability.md, "A client's own copy"): the key-safe code
itself (the copy says one is held: it opens the client's door, and copies travel by post and
email); the team's internal records that are not about the client (rota, meetings).
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from careteams.access import AnyUser
from careteams.models import AccessEvent, User
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
from clients.omaha import PROBLEMS
from clients.selectors.records import client_get, read_logged
from interop.models import PartnerConsent
from medicines.models import DoseRecord, MedicineLine, PrnFollowUp, StockEvent
from messaging.models import ClientMessage, HandoverNote
from scheduling.models import Visit
from scheduling.visit_models import MissedVisit, VisitTaskOutcome
from sharing.models import OwnCopy

Section = list[dict[str, Any]]
OUTCOME_FIELDS = ("id", "task_label", "outcome", "reason", "note", "recorded_by", "recorded_at")
FAMILY_FIELDS = ("id", "relationship", "consent_basis", "granted_by", "granted_at", "accepted_at")
SECTIONS = (
    "client",
    "emergency_contacts",
    "care_plan",
    "notes",
    "visits",
    "family_access",
    "consents",
    "messages",
    "handover_notes",
    "allergies",
    "medicines",
    "read_log",
    "copies_produced",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, User):
        return value.get_full_name() or value.email
    return value


def _row(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _person(user: User | None) -> str:
    return _plain(user) if user is not None else ""


def _client(client: Client) -> dict[str, Any]:
    row = _row(
        client,
        (
            "id",
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "phone",
            "access_notes",
            "status",
            "risk_flags",
            "gp_practice_name",
            "gp_practice_phone",
            "communication_needs",
            "created_at",
            "updated_at",
        ),
    )
    row["nhs_number"] = client.nhs_number or ""
    row["team"] = client.team.name
    row["primary_nurse"] = _person(client.primary_nurse.user) if client.primary_nurse else ""
    row["second_nurse"] = _person(client.second_nurse.user) if client.second_nurse else ""
    row["key_safe_code"] = _("held (not printed in copies)") if client.key_safe_code else ""
    return row


def _care_plan(client: Client) -> Section:
    interventions: dict[uuid.UUID, Section] = defaultdict(list)
    for i in Intervention.objects.filter(problem__client=client).order_by("category", "target"):
        interventions[i.problem_id].append(
            _row(i, ("id", "category", "target", "care_description", "frequency", "active"))
        )
    ratings: dict[uuid.UUID, Section] = defaultdict(list)
    for r in OutcomeRating.objects.filter(problem__client=client).select_related("rated_by"):
        ratings[r.problem_id].append(
            _row(r, ("id", "rated_on", "knowledge", "behaviour", "status", "rated_by"))
        )
    plan = []
    for problem in CareProblem.objects.filter(client=client).order_by("problem_code"):
        omaha = PROBLEMS.get(problem.problem_code)
        row = _row(
            problem,
            ("id", "problem_code", "scope", "severity", "status", "identified_on", "resolved_on"),
        )
        row["problem"] = omaha.name if omaha else ""
        row["domain"] = str(omaha.domain.label) if omaha else ""
        row["signs_symptoms"] = list(problem.signs_symptoms)
        row["interventions"] = interventions[problem.pk]
        row["ratings"] = sorted(ratings[problem.pk], key=lambda r: r["rated_on"])
        plan.append(row)
    return plan


def _notes(client: Client) -> Section:
    notes = list(
        Note.objects.filter(client=client)
        .select_related("author")
        .prefetch_related("problems")
        .order_by("recorded_at", "received_at")
    )
    amended_by: dict[uuid.UUID, list[str]] = defaultdict(list)
    for note in notes:
        if note.amends_id:
            amended_by[note.amends_id].append(str(note.pk))
    rows = []
    for note in notes:
        row = _row(note, ("id", "recorded_at", "received_at", "author", "body", "shareable"))
        row["visit_id"] = _plain(note.visit_id)
        row["amends"] = _plain(note.amends_id)
        row["amended_by"] = amended_by[note.pk]
        row["problems"] = sorted(p.problem_code for p in note.problems.all())
        rows.append(row)
    return rows


def _visits(client: Client) -> Section:
    outcomes: dict[uuid.UUID, Section] = defaultdict(list)
    for o in VisitTaskOutcome.objects.filter(visit__client=client).select_related("recorded_by"):
        outcomes[o.visit_id].append(
            _row(o, OUTCOME_FIELDS) | {"supersedes": _plain(o.supersedes_id)}
        )
    missed = {
        m.visit_id: _row(m, ("reason", "note", "recorded_by", "recorded_at"))
        for m in MissedVisit.objects.filter(visit__client=client).select_related("recorded_by")
    }
    rows = []
    visits = (
        Visit.objects.filter(client=client)
        .prefetch_related("carers__user")
        .order_by("planned_start")
    )
    for visit in visits:
        row = _row(
            visit,
            ("id", "planned_start", "planned_end", "status", "checked_in_at", "checked_out_at"),
        )
        row["carers"] = sorted(_person(m.user) for m in visit.carers.all())
        row["task_outcomes"] = sorted(outcomes[visit.pk], key=lambda o: o["recorded_at"])
        row["missed"] = missed.get(visit.pk)
        rows.append(row)
    return rows


LINE_FIELDS = (
    "id",
    "name",
    "form",
    "strength",
    "dmd_code",
    "ingredients",
    "route",
    "dose_min",
    "dose_max",
    "dose_unit",
    "times",
    "visit_part",
    "food",
    "support",
    "starts_on",
    "stops_on",
    "review_on",
    "instructions",
    "time_critical",
    "cd_schedule",
    "covert",
    "covert_decision",
    "source",
    "transcribed_by",
    "checked_by",
    "checked_at",
    "prn",
    "prn_for",
    "prn_min_interval_minutes",
    "prn_max_24h",
    "status",
    "stopped_reason",
    "created_at",
    "changed_at",
)
DOSE_FIELDS = (
    "id",
    "due_at",
    "outcome",
    "amount",
    "reason",
    "note",
    "prn_reason",
    "taken_at",
    "witnessed_by",
    "recorded_by",
    "recorded_at",
    "correction_reason",
    "warning",
    "late_entry",
)


def _medicines(client: Client) -> Section:
    """Every medicine line, stopped ones too, with every dose record (corrections beside what
    they correct), PRN follow-ups and stock: the eMAR as held."""
    follow_ups: dict[uuid.UUID, Section] = defaultdict(list)
    for follow in PrnFollowUp.objects.filter(dose__client=client).select_related("recorded_by"):
        follow_ups[follow.dose_id].append(
            _row(follow, ("effective", "note", "recorded_by", "recorded_at"))
        )
    doses: dict[uuid.UUID, Section] = defaultdict(list)
    records = (
        DoseRecord.objects.filter(client=client)
        .select_related("recorded_by", "witnessed_by")
        .order_by("recorded_at", "id")
    )
    for dose in records:
        row = _row(dose, DOSE_FIELDS) | {"supersedes": _plain(dose.supersedes_id)}
        doses[dose.line_id].append(row | {"follow_ups": follow_ups[dose.pk]})
    stock: dict[uuid.UUID, Section] = defaultdict(list)
    events = StockEvent.objects.filter(line__client=client).select_related("recorded_by")
    for event in events.order_by("recorded_at", "id"):
        stock[event.line_id].append(
            _row(event, ("kind", "quantity", "note", "recorded_by", "recorded_at"))
        )
    lines = (
        MedicineLine.objects.filter(client=client)
        .select_related("transcribed_by", "checked_by")
        .order_by("created_at", "id")
    )
    return [
        _row(line, LINE_FIELDS) | {"doses": doses[line.pk], "stock": stock[line.pk]}
        for line in lines
    ]


def _family(client: Client) -> Section:
    rows = []
    for access in FamilyAccess.objects.filter(client=client).select_related(
        "person", "granted_by", "revoked_by"
    ):
        row = _row(
            access,
            FAMILY_FIELDS,
        )
        row["person"] = _person(access.person) if access.person else access.invited_email
        row["revoked_at"] = _plain(access.revoked_at)
        row["revoked_by"] = _person(access.revoked_by)
        rows.append(row)
    return rows


def _consents(client: Client, family: Section) -> Section:
    """The consents on record: each family access's basis, and each partner's (interop)."""
    rows = [
        {
            "scope": "family access",
            "who": row["person"],
            "basis": row["consent_basis"],
            "recorded_at": row["granted_at"],
            "recorded_by": row["granted_by"],
            "until": None,
            "ended_at": row["revoked_at"],
        }
        for row in family
    ]
    for consent in PartnerConsent.objects.filter(client=client).select_related(
        "partner", "recorded_by"
    ):
        rows.append(
            {
                "scope": f"partner: {consent.scope}",
                "who": consent.partner.name,
                "basis": consent.basis,
                "recorded_at": _plain(consent.recorded_at),
                "recorded_by": _person(consent.recorded_by),
                "until": _plain(consent.until),
                "ended_at": _plain(consent.revoked_at),
            }
        )
    return rows


def _messages(client: Client) -> tuple[Section, Section]:
    messages = [
        _row(m, ("id", "written_at", "author", "body", "shared_with_family"))
        for m in ClientMessage.objects.filter(client=client)
        .select_related("author")
        .order_by("written_at")
    ]
    handovers = []
    for h in (
        HandoverNote.objects.filter(client=client).select_related("author").order_by("written_at")
    ):
        row = _row(h, ("id", "written_at", "author", "body"))
        row["amends"] = _plain(h.amends_id)
        handovers.append(row)
    return messages, handovers


def _read_log(client: Client) -> Section:
    return [
        {
            "id": e.pk,
            "at": _plain(e.at),
            "who": _person(e.user) if e.user else "",
            "what": e.what,
            "door": e.door,
            "allowed": e.allowed,
        }
        for e in AccessEvent.objects.filter(client_id=client.pk)
        .select_related("user")
        .order_by("at", "id")
    ]


def own_copy_gather(*, user: AnyUser, client_id: uuid.UUID, door: str) -> dict[str, Any]:
    """The whole record of one client, section by section (SECTIONS), for their own copy."""
    client = client_get(user=user, client_id=client_id)
    read_logged(user=user, client=client, what="client's own copy", door=door)
    family = _family(client)
    messages, handovers = _messages(client)
    return {
        "client": _client(client),
        "emergency_contacts": [
            _row(c, ("name", "relationship", "phone", "may_be_told", "order"))
            for c in EmergencyContact.objects.filter(client=client).order_by("order")
        ],
        "care_plan": _care_plan(client),
        "notes": _notes(client),
        "visits": _visits(client),
        "family_access": family,
        "consents": _consents(client, family),
        "messages": messages,
        "handover_notes": handovers,
        "allergies": [
            _row(a, ("substance", "kind", "reaction", "severity", "status", "recorded_by"))
            | {"created_at": _plain(a.created_at), "ended_at": _plain(a.ended_at)}
            for a in Allergy.objects.filter(client=client).select_related("recorded_by")
        ],
        "medicines": _medicines(client),
        "read_log": _read_log(client),
        "copies_produced": [
            _row(c, ("id", "produced_at", "produced_by", "format"))
            for c in OwnCopy.objects.filter(client=client).select_related("produced_by")
        ],
    }


def own_copies_of(*, user: AnyUser, client_id: uuid.UUID) -> tuple[Client, list[OwnCopy]]:
    """The client (for the team) and the copies produced so far, newest first."""
    client = client_get(user=user, client_id=client_id)
    return client, list(
        OwnCopy.objects.filter(client=client).select_related("produced_by").order_by("-produced_at")
    )
