"""What medicines tells the apps above it when a dose is recorded, without importing them.

Three refusals in a row of a medicine raise an action for the team (tell the GP), and the
team's actions belong to teamwork, which sits above medicines (pyproject.toml's layers). So
teamwork registers a callback here from its app's `ready()`, and every dose record the
services write (a first record or a correction, from a page, the API or a tablet's queue) is
announced to it inside the record's transaction: the action and the record commit together or
not at all. A record sent again (the same id) is not written again, so it is not announced.
"""

from collections.abc import Callable

from careteams.models import User
from medicines.models import DoseRecord

DoseWritten = Callable[[DoseRecord, User], None]

_written: list[DoseWritten] = []


def register_dose_written(callback: DoseWritten) -> None:
    """Registering the same function twice adds it once; they are called in that order."""
    if callback not in _written:
        _written.append(callback)


def dose_written(record: DoseRecord, actor: User) -> None:
    for callback in _written:
        callback(record, actor)
