"""For the client and their family: the plain-language plan, coming visits, shared notes."""

import dataclasses
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router

from careteams.models import Door
from clients import access as clients_access
from clients.selectors import family as family_selectors
from mobile_api import selectors
from mobile_api.problems import ERRORS_FOR_READS, error_responses
from mobile_api.schemas.clients import FamilyViewOut
from mobile_api.schemas.people import FamilyClientOut
from mobile_api.security import user_of

router = Router(tags=["Family"])
READ = error_responses(ERRORS_FOR_READS)


@router.get(
    "/family/clients",
    response={200: list[FamilyClientOut], **READ},
    summary="The clients whose plain-language view I may read (my own record, or family)",
)
def family_clients(request: HttpRequest) -> list[dict[str, Any]]:
    clients = (
        clients_access.clients_in_family_view(user_of(request))
        .select_related("team")
        .order_by("given_name", "id")
    )
    return [selectors.family_client_out(c) for c in clients]


@router.get(
    "/family/clients/{client_id}",
    response={200: FamilyViewOut, **READ},
    summary="The plan in plain words, who is coming when, and the notes shared with family",
)
def family_view(request: HttpRequest, client_id: uuid.UUID) -> dict[str, Any]:
    view = family_selectors.family_view(user=user_of(request), client_id=client_id, door=Door.API)
    return dataclasses.asdict(view)
