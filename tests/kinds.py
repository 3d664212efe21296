"""The samples of the kinds declared in their own modules (`registry.kind_name`), for the tests
that walk every kind (the registry's, the admin's, the access matrices, the read log).

A kind's own test module, `tests/<app>/test_<name>.py`, gives `new(cast)` (an unsaved record
its create service takes) and `change(record)` (a change its update service takes): found here
by name, so a new kind edits none of those walking tests."""

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from careteams import registry
from tests.conftest import Cast


def declared() -> list[str]:
    """The kinds declared outside the core literal, by name."""
    return sorted(registry.names() - registry.ENTITY_NAMES)


def _module(name: str) -> ModuleType:
    label = registry.get(name).model._meta.app_label
    return importlib.import_module(f"tests.{label}.test_{name}")


def new(name: str) -> Callable[[Cast], Any]:
    made: Callable[[Cast], Any] = _module(name).new
    return made


def change(name: str) -> Callable[[Any], None]:
    changed: Callable[[Any], None] = _module(name).change
    return changed


def sample(name: str, cast: Cast) -> Any:
    """One saved record of the kind, made through its create service by a nurse of the team."""
    create = registry.get(name).create
    assert create is not None, f"{name} has no create service to make a sample with"
    return create(new(name)(cast), cast.nurse)


def part_kwargs(cast: Cast) -> dict[str, Any]:
    """The path values of the client record's kind pages: the first kind kept on the record
    and one record of it; none while no kind is."""
    kinds = registry.parts()
    if not kinds:
        return {}
    return {"kind": kinds[0].name, "record_id": sample(kinds[0].name, cast).pk}
