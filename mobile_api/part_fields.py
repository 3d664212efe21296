"""Schemas made from a kind's declared fields (`registry.Entity.inputs`, `changeable`), so that
a kind kept on the client record states its fields once: the sync push's data and the API's
answers follow the model's own columns, choices and lengths."""

import functools
import uuid
from typing import Annotated, Any

import pydantic
from django.db import models

from careteams import registry
from mobile_api.schemas.types import AtMost, OneOf, SaneDate, Text, UtcDatetime


def _type(field: "models.Field[Any, Any]") -> Any:
    """The schema type of one model field, refused in the words the pages and services use."""
    if field.choices:
        values = tuple(str(value) for value, _label in field.flatchoices)
        return Annotated[str, OneOf(values)]
    if isinstance(field, models.CharField | models.TextField):
        limit = field.max_length
        return Annotated[Text, AtMost(limit)] if limit else Text
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):
        return int
    if isinstance(field, models.DateTimeField):
        return UtcDatetime
    if isinstance(field, models.DateField):
        return SaneDate
    if isinstance(field, models.UUIDField | models.ForeignKey):
        return uuid.UUID
    raise TypeError(f"No schema type for {field!r}: give the kind a handler of its own.")


def _fields(entity: registry.Entity, names: tuple[str, ...], *, optional: bool) -> dict[str, Any]:
    declared: dict[str, Any] = {}
    for name in names:
        if name == "client":  # named by `client_id`, and never changed
            continue
        field = entity.model._meta.get_field(name)
        assert isinstance(field, models.Field), f"{name} is not a column of {entity.name}"
        kind = _type(field)
        if optional or field.has_default() or field.blank:
            default = None if optional else field.get_default()
            declared[name] = (kind | None if optional else kind, default)
        else:
            declared[name] = (kind, ...)
    return declared


class PartData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


@functools.cache
def create_schema(name: str) -> type[PartData]:
    """`<name>.create`'s data: the record's id (made on the device), its client's and the
    fields `create` takes."""
    entity = registry.part(name)
    return pydantic.create_model(
        f"{name}_create",
        __base__=PartData,
        id=(uuid.UUID, ...),
        client_id=(uuid.UUID, ...),
        **_fields(entity, entity.inputs, optional=False),
    )


@functools.cache
def update_schema(name: str) -> type[PartData]:
    """`<name>.update`'s data: the record's id and any of the fields `update` may change
    (what is left out stays as it is)."""
    entity = registry.part(name)
    return pydantic.create_model(
        f"{name}_update",
        __base__=PartData,
        id=(uuid.UUID, ...),
        **_fields(entity, entity.changeable, optional=True),
    )


class EndData(PartData):
    id: uuid.UUID
