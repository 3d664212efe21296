"""The Omaha care plan: each problem a Condition, the interventions the CarePlan's activities,
and the Knowledge, Behaviour and Status ratings Observations over time.

Omaha codes are in the Omaha System code system (OMAHA_SYSTEM): a problem by its canonical
number ("27"), its domain by name, an intervention's category by name ("teaching") and its
target as "target-NN"; a rating scale as "rating-knowledge", "rating-behaviour",
"rating-status". The problem's modifiers (scope, severity) are an extension of the Condition.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from clients import omaha
from clients.models import (
    CareProblem,
    Client,
    ClientStatus,
    Intervention,
    OutcomeRating,
    ProblemStatus,
)
from interop.fhir.common import (
    LOCAL_EXTENSION,
    OMAHA_SYSTEM,
    coding,
    concept,
    fhir_id,
    prune,
    ref,
    resource,
)

MODIFIERS = LOCAL_EXTENSION + "omaha-problem-modifiers"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SCALES = ("knowledge", "behaviour", "status")


def problem_coding(problem: CareProblem) -> dict[str, str]:
    return coding(OMAHA_SYSTEM, problem.problem_code, problem.problem.name)


def condition(problem: CareProblem, updated: dt.datetime | None) -> dict[str, Any]:
    domain = problem.problem.domain
    resolved = problem.status == ProblemStatus.RESOLVED
    return prune(
        resource("Condition", problem.id, updated)
        | {
            "extension": [
                {
                    "url": MODIFIERS,
                    "extension": [
                        {
                            "url": "scope",
                            "valueCoding": coding(
                                OMAHA_SYSTEM, problem.scope, problem.get_scope_display()
                            ),
                        },
                        {
                            "url": "severity",
                            "valueCoding": coding(
                                OMAHA_SYSTEM, problem.severity, problem.get_severity_display()
                            ),
                        },
                    ],
                }
            ],
            "clinicalStatus": concept(coding(CLINICAL, "resolved" if resolved else "active")),
            "verificationStatus": concept(coding(VERIFICATION, "confirmed")),
            "category": [
                concept(coding(CATEGORY, "problem-list-item", "Problem List Item")),
                concept(coding(OMAHA_SYSTEM, str(domain), str(omaha.Domain(domain).label))),
            ],
            "code": concept(problem_coding(problem), text=problem.problem.name),
            "subject": ref("Patient", problem.client_id),
            "onsetDateTime": problem.identified_on.isoformat(),
            "abatementDateTime": problem.resolved_on.isoformat() if problem.resolved_on else "",
        }
    )


def _activity(intervention: Intervention) -> dict[str, Any]:
    target_name = omaha.TARGETS.get(intervention.target, intervention.target)
    detail = {
        "code": concept(
            coding(OMAHA_SYSTEM, intervention.category, intervention.get_category_display()),
            coding(OMAHA_SYSTEM, f"target-{intervention.target}", target_name),
            text=f"{intervention.get_category_display()}: {target_name}",
        ),
        "reasonReference": [ref("Condition", intervention.problem_id)],
        "status": "in-progress" if intervention.active else "stopped",
        "scheduledString": intervention.frequency,
        "description": intervention.care_description,
    }
    return {"id": fhir_id(intervention.id), "detail": prune(detail)}


def care_plan(
    client: Client,
    problems: Sequence[CareProblem],
    interventions: Iterable[Intervention],
    updated: dt.datetime | None,
) -> dict[str, Any]:
    active = client.status in (ClientStatus.ACTIVE, ClientStatus.PAUSED)
    return prune(
        resource("CarePlan", client.id, updated)
        | {
            "status": "active" if active else "completed",
            "intent": "plan",
            "title": "Omaha System care plan",
            "subject": ref("Patient", client.id),
            "careTeam": [ref("CareTeam", client.id)],
            "addresses": [ref("Condition", p.id, p.problem.name) for p in problems],
            "activity": [_activity(i) for i in interventions],
        }
    )


def observations(
    rating: OutcomeRating, problem: CareProblem, updated: dt.datetime | None
) -> list[dict[str, Any]]:
    """One Observation per scale (1 worst to 5 best) of one rating, each about its problem."""
    out = []
    for scale in SCALES:
        low, high = omaha.RATING_SCALES[scale]
        label = scale.capitalize()
        out.append(
            prune(
                resource("Observation", f"{rating.id}-{scale[0]}", updated)
                | {
                    "status": "final",
                    "category": [concept(coding(OBSERVATION_CATEGORY, "survey", "Survey"))],
                    "code": concept(
                        coding(OMAHA_SYSTEM, f"rating-{scale}", label),
                        text=f"{label} rating, {problem.problem.name} (1 {low}, 5 {high})",
                    ),
                    "subject": ref("Patient", problem.client_id),
                    "focus": [ref("Condition", problem.id, problem.problem.name)],
                    "effectiveDateTime": rating.rated_on.isoformat(),
                    "performer": [ref("Practitioner", rating.rated_by_id)],
                    "valueInteger": getattr(rating, scale),
                }
            )
        )
    return out
