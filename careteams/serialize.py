"""A record as plain JSON data, for the change feed and devices."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


def _stored(field: "models.Field[Any, Any]", value: Any) -> Any:
    """A value as the database keeps it: a decimal to its places (20 is stored, and read back,
    as 20.0); an aware time in UTC, as it is read back, and as RFC 3339 needs: an offset of
    seconds (local mean time, such as London's -00:01:15 before 1847) is not one."""
    if isinstance(field, models.DecimalField) and value is not None:
        return Decimal(value).quantize(Decimal(1).scaleb(-(field.decimal_places or 0)))
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


def stored_values(obj: models.Model) -> dict[str, Any]:
    """Every concrete field by its attribute name (foreign keys as their ids), as stored; JSON
    with DjangoJSONEncoder makes it `model_data` (the scale world writes that text directly)."""
    return {
        field.attname: _stored(field, field.value_from_object(obj))
        for field in obj._meta.concrete_fields
    }


def model_data(obj: models.Model) -> dict[str, Any]:
    """Every concrete field by its attribute name (foreign keys as their ids), JSON-safe, with
    the values as stored: the same whether `obj` was just saved or read back."""
    result: dict[str, Any] = json.loads(json.dumps(stored_values(obj), cls=DjangoJSONEncoder))
    return result
