"""Clients, care plans, notes and family access in the entity registry (careteams.registry)."""

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from careteams import admin_feed, registry, timeutil
from careteams.models import User
from clients import hooks, plain_language
from clients.models import (
    ALLERGY,
    Allergy,
    CareProblem,
    Client,
    EmergencyContact,
    FamilyAccess,
    Intervention,
    Note,
    NoteProblem,
    OutcomeRating,
)
from clients.services import allergies, care_plan, clients, family, notes

CLIENT_FIELDS = tuple(f.name for f in dataclasses.fields(clients.ClientDetails))


def _client_details(client: Client) -> clients.ClientDetails:
    values = {name: getattr(client, name) for name in CLIENT_FIELDS}
    values["nhs_number"] = values["nhs_number"] or ""
    values["risk_flags"] = list(values["risk_flags"] or [])
    return clients.ClientDetails(**values)


def _client_create(client: Client, actor: User) -> Client:
    return clients.client_create(team=client.team, details=_client_details(client), actor=actor)


def _client_update(client: Client, version: int, actor: User) -> Client:
    return clients.client_update(
        client=client, version=version, details=_client_details(client), actor=actor
    )


def _problem_add(problem: CareProblem, actor: User) -> CareProblem:
    return care_plan.problem_add(
        client=problem.client,
        problem_code=problem.problem_code,
        scope=problem.scope,
        severity=problem.severity,
        signs_symptoms=list(problem.signs_symptoms or []),
        identified_on=problem.identified_on,
        actor=actor,
    )


def _problem_resolve(problem: CareProblem, version: int, actor: User) -> CareProblem:
    """The only change a care problem takes: resolving it (on the date given, else today)."""
    return care_plan.problem_resolve(
        problem=problem,
        version=version,
        resolved_on=problem.resolved_on or timeutil.local_today(problem.client.team.zone),
        actor=actor,
    )


def _intervention_add(intervention: Intervention, actor: User) -> Intervention:
    return care_plan.intervention_add(
        problem=intervention.problem,
        category=intervention.category,
        target=intervention.target,
        care_description=intervention.care_description,
        frequency=intervention.frequency,
        actor=actor,
    )


def _rating_add(rating: OutcomeRating, actor: User) -> OutcomeRating:
    return care_plan.rating_add(
        problem=rating.problem,
        knowledge=rating.knowledge,
        behaviour=rating.behaviour,
        status=rating.status,
        rated_on=rating.rated_on,
        actor=actor,
    )


def _note_write(note: Note, actor: User) -> Note:
    # The visit by its id, as the writer may see it (the rota's scoping: clients/hooks.py).
    visit = hooks.visits().get(actor, note.client, note.visit_id) if note.visit_id else None
    return notes.note_write(
        client=note.client,
        author=note.author if note.author_id else actor,
        body=note.body,
        note_id=note.id,
        written_at=note.recorded_at,
        shareable=note.shareable,
        visit=visit,
        amends=note.amends,
    )


def _note_computed(note: Note) -> dict[str, Any]:
    """A note carries its problems, and its times to the microsecond in UTC (as note_write
    sends them, whatever the offset the writer gave)."""
    problem_ids = NoteProblem.objects.filter(note=note).values_list("problem_id", flat=True)
    return {
        "problem_ids": [str(pk) for pk in problem_ids],
        "recorded_at": note.recorded_at.astimezone(dt.UTC).isoformat(),
        "received_at": note.received_at.astimezone(dt.UTC).isoformat(),
    }


def _family_invite(access: FamilyAccess, actor: User) -> FamilyAccess:
    created, _token = family.family_invite(
        client=access.client,
        email=access.invited_email,
        relationship=access.relationship,
        consent_basis=access.consent_basis,
        actor=actor,
    )
    return created


def _family_revoke(access: FamilyAccess, version: int, actor: User) -> None:
    """Family access is never deleted: it is revoked, and the person's sockets close."""
    family.family_revoke(access=access, version=version, actor=actor)


def _allergy_values(allergy: Allergy) -> dict[str, str]:
    return {name: getattr(allergy, name) for name in ("substance", "kind", "reaction", "severity")}


def _allergy_record(allergy: Allergy, actor: User) -> Allergy:
    return allergies.allergy_record(
        client=allergy.client, allergy_id=allergy.id, actor=actor, **_allergy_values(allergy)
    )


def _allergy_change(allergy: Allergy, version: int, actor: User) -> Allergy:
    return allergies.allergy_change(
        allergy=allergy, version=version, actor=actor, **_allergy_values(allergy)
    )


def _allergy_end(allergy: Allergy, version: int, actor: User) -> None:
    allergies.allergy_end(allergy=allergy, version=version, actor=actor)


def _client_words(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": data.get("preferred_name") or data.get("given_name", "")}


def _problem_words(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": plain_language.problem_name(str(data.get("problem_code", "")))}


def _intervention_words(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": plain_language.category_words(str(data.get("category", "")))}


def _stopped(data: Mapping[str, Any]) -> bool:
    return not data.get("active", True)


for entity in (
    registry.Entity(
        name="client",
        model=Client,
        team_of=lambda obj: obj.team,
        client_of=lambda obj: obj.id,
        family=registry.FamilyView(fields=("id", "team_id", "version"), words=_client_words),
        # The feed reaches every member's device; the code only those who may read it, through
        # the visit card and the record (clients.access.key_safe_client_ids).
        server_only=frozenset({"key_safe_code"}),
        create=_client_create,
        update=_client_update,
        inputs=("team", *CLIENT_FIELDS),
        changeable=CLIENT_FIELDS,
    ),
    registry.Entity(
        name="care_problem",
        plan_input=False,
        model=CareProblem,
        team_of=lambda obj: obj.client.team,
        client_of=lambda obj: obj.client_id,
        family=registry.FamilyView(
            fields=("id", "client_id", "status", "identified_on", "resolved_on", "version"),
            words=_problem_words,
        ),
        create=_problem_add,
        update=_problem_resolve,
        inputs=(
            "client",
            "problem_code",
            "scope",
            "severity",
            "signs_symptoms",
            "identified_on",
        ),
        changeable=("resolved_on",),
    ),
    registry.Entity(
        name="intervention",
        plan_input=False,
        model=Intervention,
        team_of=lambda obj: obj.problem.client.team,
        client_of=lambda obj: obj.problem.client_id,
        family=registry.FamilyView(
            fields=("id", "problem_id", "frequency", "care_description", "version"),
            words=_intervention_words,
            gone=_stopped,
        ),
        create=_intervention_add,
        inputs=("problem", "category", "target", "care_description", "frequency"),
    ),
    registry.Entity(
        name="outcome_rating",
        plan_input=False,
        model=OutcomeRating,
        team_of=lambda obj: obj.problem.client.team,
        client_of=lambda obj: obj.problem.client_id,
        create=_rating_add,
        inputs=("problem", "knowledge", "behaviour", "status", "rated_on"),
        mutations=("outcome.rate",),
    ),
    registry.Entity(
        name="note",
        plan_input=False,
        model=Note,
        team_of=lambda obj: obj.client.team,
        client_of=lambda obj: obj.client_id,
        computed=_note_computed,
        family=registry.FamilyView(
            fields=("id", "client_id", "body", "recorded_at", "amends_id", "version"),
            only_when={"shareable": True},
        ),
        create=_note_write,
        inputs=("client", "body", "shareable", "visit_id", "amends", "recorded_at"),
        mutations=("note.create", "note.amend"),
    ),
    registry.Entity(
        name="family_access",
        plan_input=False,
        model=FamilyAccess,
        team_of=lambda obj: obj.client.team,
        client_of=lambda obj: obj.client_id,
        # The invitation link's hash opens the access: it never leaves the server.
        server_only=frozenset({"invitation_token_hash"}),
        create=_family_invite,
        delete=_family_revoke,
        inputs=("client", "invited_email", "relationship", "consent_basis"),
        ends_instead="Revoke the chosen family accesses",
    ),
    # For the team only (clients.services.doorstep): no family view, so a family member's feed,
    # sync pull and socket never carry a contact, whatever they may be told.
    registry.Entity(
        name="emergency_contact",
        plan_input=False,
        model=EmergencyContact,
        team_of=lambda obj: obj.client.team,
        client_of=lambda obj: obj.client_id,
    ),
    # The team's alone, like the rest of the clinical record: no coach view, and no family view
    # (docs/architecture.md, the worked example, says why).
    registry.Entity(
        name=ALLERGY,
        plan_input=False,
        model=Allergy,
        team_of=lambda obj: obj.client.team,
        client_of=lambda obj: obj.client_id,
        create=_allergy_record,
        update=_allergy_change,
        delete=_allergy_end,
        inputs=("client", "substance", "kind", "reaction", "severity"),
        changeable=("substance", "kind", "reaction", "severity"),
        ends_instead="End the chosen allergies",
        mutations=("allergy.create", "allergy.update", "allergy.end"),
        part=registry.ClientPart(
            title=gettext_lazy("Allergies and sensitivities"),
            add=gettext_lazy("Add an allergy or sensitivity"),
            template="clients/_allergies.html",
            ordering=("status", "-created_at"),
            related=("recorded_by",),
        ),
    ),
):
    registry.register(entity)

admin_feed.declared_admin(ALLERGY, list_display=("substance", "kind", "severity", "status"))
