"""Optimistic concurrency: every write names the version it was based on."""

from typing import Any, Protocol

from careteams.errors import Conflict
from careteams.serialize import model_data


class Versioned(Protocol):
    version: int


def check_version(obj: Any, *, expected: int) -> None:
    """Refuse a write based on a stale copy, returning the server's state with the conflict."""
    if expected != obj.version:
        raise Conflict(
            f"This was changed by someone else (now version {obj.version}, "
            f"you had version {expected}). Review the current details and try again.",
            current=model_data(obj),
        )


def bump(obj: Versioned) -> None:
    obj.version += 1
