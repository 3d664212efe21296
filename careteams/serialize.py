"""A record as plain JSON data, for the change feed and devices."""

import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


def _stored(field: "models.Field[Any, Any]", value: Any) -> Any:
    """A decimal as the database keeps it (20 is stored, and read back, as 20.0)."""
    if isinstance(field, models.DecimalField) and value is not None:
        return Decimal(value).quantize(Decimal(1).scaleb(-(field.decimal_places or 0)))
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
