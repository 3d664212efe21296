"""Reads of where a person's working day starts: their own only (scheduling.start_models)."""

from careteams.models import User
from scheduling.start_models import StartPoint


def start_point_of(*, user: User) -> StartPoint | None:
    """The person's own start point, or None. There is no read of anyone else's: a page shows
    only the signed-in person's, and the planner reads them on the server."""
    return StartPoint.objects.filter(user=user).first()
