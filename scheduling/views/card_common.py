"""Rendering the visit card (or one of its parts, for htmx and the live script)."""

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from careteams.http import AuthedRequest
from scheduling import hooks
from scheduling.selectors import DoorstepCard
from scheduling.visit_models import NotDoneReason

PARTS = {"state"}


def card_url(card: DoorstepCard) -> str:
    return reverse(
        "scheduling:visit-card", kwargs={"team_id": card.team.id, "visit_id": card.visit.id}
    )


def render_card(
    request: AuthedRequest,
    card: DoorstepCard,
    *,
    part: str = "",
    errors: list[str] | None = None,
    status: int = 200,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    template = "scheduling/visit_card.html"
    if part in PARTS:
        template += f"#{part}"
    # What the apps above the rota add (medicines: the doses, the allergies): the whole card only.
    sections = [] if part in PARTS else hooks.card_sections(request.user, card)
    context = {
        "sections": sections,
        "task_sections": [s for s in sections if s.place == "tasks"],
        "card": card,
        "visit": card.visit,
        "client": card.client,
        "team": card.team,
        "errors": errors or [],
        "reasons": NotDoneReason.choices,
        # The visit note written on the card: a retried post with this id saves it once.
        "new_note_id": uuid.uuid4(),
        **(extra or {}),
    }
    return render(request, template, context, status=status)
