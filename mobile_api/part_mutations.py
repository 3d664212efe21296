"""The offline writes of every kind kept on the client record (`careteams.registry.ClientPart`):
`<name>.create`, `<name>.update` and `<name>.end`, with data made from the kind's declared
fields (mobile_api/part_fields.py) and applied through the kind's own services (its `create`,
`update` and `delete` hooks). The record and its client are found through the user's scope: a
record of another team is not found (404), as on every other door."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from careteams import registry
from clients.selectors import parts
from mobile_api import part_fields

if TYPE_CHECKING:
    from mobile_api.mutations import Applied, Context


def _create(entity: registry.Entity, ctx: "Context") -> "Applied":
    values = part_fields.create_schema(entity.name).model_validate(ctx.mutation.data).model_dump()
    client = ctx.client(values.pop("client_id"))
    record = entity.model(client=client, **values)
    assert entity.create is not None
    saved = entity.create(record, ctx.user)
    return entity.name, saved.pk, saved.version  # type: ignore[attr-defined]


def _record(entity: registry.Entity, ctx: "Context", data: part_fields.PartData) -> object:
    record_id = data.id  # type: ignore[attr-defined]
    record = parts.part_record_of(user=ctx.user, entity=entity, record_id=record_id)
    ctx.client(record.client_id)  # this team's client, not another of the user's teams
    return record


def _update(entity: registry.Entity, ctx: "Context") -> "Applied":
    data = part_fields.update_schema(entity.name).model_validate(ctx.mutation.data)
    record = _record(entity, ctx, data)
    for name, value in data.model_dump(exclude={"id"}, exclude_unset=True).items():
        setattr(record, name, value)
    assert entity.update is not None
    saved = entity.update(record, ctx.version(), ctx.user)
    return entity.name, saved.pk, saved.version  # type: ignore[attr-defined]


def _end(entity: registry.Entity, ctx: "Context") -> "Applied":
    data = part_fields.EndData.model_validate(ctx.mutation.data)
    record = _record(entity, ctx, data)
    assert entity.delete is not None
    entity.delete(record, ctx.version(), ctx.user)
    version = entity.model._default_manager.values_list("version", flat=True).get(pk=data.id)
    return entity.name, data.id, version


_STEPS = {"create": _create, "update": _update, "end": _end}


def handler(kind: str) -> "Callable[[Context], Applied] | None":
    """The generic handler of `kind` when it is one of a ClientPart's declared mutations."""
    entity = registry.mutation_writer(kind)
    name, _, step = kind.rpartition(".")
    if entity is None or entity.part is None or name != entity.name or step not in _STEPS:
        return None
    apply = _STEPS[step]
    return lambda ctx: apply(entity, ctx)
