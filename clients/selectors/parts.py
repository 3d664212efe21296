"""Reads of the kinds kept on the client record (`careteams.registry.ClientPart`), whatever the
kind: each is found through its client, so it is the team's alone, and anyone else gets a 404."""

import uuid
from typing import Any

from careteams import registry
from careteams.access import AnyUser
from careteams.errors import NotFound
from clients.models import Client
from clients.selectors.records import client_get


def part_get(name: str) -> registry.Entity:
    """The declaration of a kind kept on the client record; NotFound for any other name (an
    address made up or of a kind that has no section)."""
    try:
        return registry.part(name)
    except registry.UnknownEntity:
        raise NotFound() from None


def part_records(*, client: Client, entity: registry.Entity) -> list[Any]:
    """The client's records of one kind, in its declared order (client_get checked access)."""
    assert entity.part is not None
    records = entity.model._default_manager.filter(client=client)
    return list(records.select_related(*entity.part.related).order_by(*entity.part.ordering))


def part_record_get(*, client: Client, entity: registry.Entity, record_id: uuid.UUID) -> Any:
    """One record of the client's, or NotFound."""
    found: Any = entity.model._default_manager.filter(client=client, pk=record_id).first()
    if found is None:
        raise NotFound()
    found.client = client
    return found


def part_record_of(*, user: AnyUser, entity: registry.Entity, record_id: uuid.UUID) -> Any:
    """A record found by its id alone (a device's change), when its client is the user's."""
    client_id = (
        entity.model._default_manager.filter(pk=record_id)
        .values_list("client_id", flat=True)
        .first()
    )
    if client_id is None:
        raise NotFound()
    client = client_get(user=user, client_id=client_id)
    return part_record_get(client=client, entity=entity, record_id=record_id)


def parts_of(*, client: Client) -> list[dict[str, Any]]:
    """Every kind kept on the client record, with the client's records of it, for the record
    page's sections (one query a kind)."""
    return [
        {"part": e.part, "kind": e.name, "records": part_records(client=client, entity=e)}
        for e in registry.parts()
    ]
