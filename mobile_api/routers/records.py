"""The kinds kept on the client record (`careteams.registry.ClientPart`), read in one answer:
each record as the change feed carries it (its declared serialisation), so that a device's copy
from the API and from a sync pull are the same. Members of the client's team only; anyone else
gets a 404. A new kind needs nothing here."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from careteams.models import Door
from clients.selectors import parts, records
from mobile_api.problems import ERRORS_FOR_READS, error_responses
from mobile_api.security import user_of

router = Router(tags=["Clients"])


class ClientPartsOut(Schema):
    client_id: uuid.UUID
    kinds: dict[str, list[dict[str, Any]]] = Field(
        description="For each kind kept on the client record (e.g. allergy), the client's "
        "records of it, each as a sync pull carries it (docs/sync.md)."
    )


@router.get(
    "/clients/{client_id}/records",
    response={200: ClientPartsOut, **error_responses(ERRORS_FOR_READS)},
    summary="A client's records of every kind kept on the record (allergies...)",
)
def client_parts(request: HttpRequest, client_id: uuid.UUID) -> dict[str, Any]:
    user = user_of(request)
    client = records.client_get(user=user, client_id=client_id)
    records.read_logged(user=user, client=client, what="record", door=Door.API)
    kinds = {
        section["kind"]: [parts.part_get(section["kind"]).serialise(r) for r in section["records"]]
        for section in parts.parts_of(client=client)
    }
    return {"client_id": client.id, "kinds": kinds}
