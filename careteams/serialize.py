"""A record as plain JSON data, for the change feed and devices."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


def model_data(obj: models.Model) -> dict[str, Any]:
    """Every concrete field by its attribute name (foreign keys as their ids), JSON-safe."""
    raw = {field.attname: field.value_from_object(obj) for field in obj._meta.concrete_fields}
    result: dict[str, Any] = json.loads(json.dumps(raw, cls=DjangoJSONEncoder))
    return result
