"""Writes for where a person's working day starts and ends (scheduling.start_models.StartPoint).

Personal: only the person sets or forgets their own, and it is never written to the change feed
(nor so sent to any device): the planner reads it on the server, nothing else does. The row is
versioned like the team's records, through `careteams.versioning`'s personal writes: the same
lock, check and raise, and no feed entry.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from careteams import geo, versioning
from careteams.access import AnyUser
from careteams.errors import Conflict, NotAllowed
from careteams.models import User
from scheduling.start_models import StartPoint


def _require_self(*, user: User, actor: AnyUser) -> None:
    """Only the person themself: not a teammate, a planner, a coach or the admin staff."""
    if not isinstance(actor, User) or actor.pk != user.pk:
        raise NotAllowed(_("Only the person themself sets where their working day starts."))


def _conflict() -> str:
    return _(
        "Where you start your day was changed on another page or device since this page was "
        "opened. Look at it again and try again."
    )


def start_point_set(
    *,
    user: User,
    latitude: float | None,
    longitude: float | None,
    version: int | None,
    actor: AnyUser,
) -> StartPoint:
    """Set `user`'s start point: made when they have none (`version` None), else changed at
    `version`. A stale version (or None when one was made meanwhile) is a Conflict."""
    _require_self(user=user, actor=actor)
    place = geo.checked_location(latitude, longitude, required=True)
    assert place is not None  # required: refused above otherwise
    if version is None:
        try:
            with transaction.atomic():
                return StartPoint.objects.create(user=user, latitude=place[0], longitude=place[1])
        except IntegrityError:  # made meanwhile on another page
            raise Conflict(_conflict()) from None
    with transaction.atomic():
        try:
            current = versioning.personal_locked(
                StartPoint.objects.all(), pk=user.pk, version=version, conflict=_conflict()
            )
        except StartPoint.DoesNotExist:  # forgotten meanwhile on another page
            raise Conflict(_conflict()) from None
        current.latitude, current.longitude = place
        versioning.personal_save(current, update_fields=["latitude", "longitude", "updated_at"])
    return current


def start_point_clear(*, user: User, version: int, actor: AnyUser) -> None:
    """Forget `user`'s start point, as of `version`. Already forgotten (on another page) is
    done: nothing is left to forget. A stale version is a Conflict."""
    _require_self(user=user, actor=actor)
    with transaction.atomic():
        try:
            current = versioning.personal_locked(
                StartPoint.objects.all(), pk=user.pk, version=version, conflict=_conflict()
            )
        except StartPoint.DoesNotExist:
            return
        current.delete()
